"""PutFunctionConcurrency: https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterValueException
from ..models import scope
from ._common import load, save, unqualified_ref
from .get_account_settings import ACCOUNT_CONCURRENCY, MIN_UNRESERVED


def put_function_concurrency(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    doc = load(ctx, r)
    wanted = params["ReservedConcurrentExecutions"]
    others = sum(d.get("concurrency") or 0 for name, d in ctx.state.storage.resources.list(scope(r.account, r.region), "function")
                 if name != r.name)
    if ACCOUNT_CONCURRENCY - others - wanted < MIN_UNRESERVED:
        raise InvalidParameterValueException(
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
            f"below its minimum value of [{MIN_UNRESERVED}]."
        )
    doc["concurrency"] = wanted
    save(ctx, r, doc)
    return {"ReservedConcurrentExecutions": wanted}
