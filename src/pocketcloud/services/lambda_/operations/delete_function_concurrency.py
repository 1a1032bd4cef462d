"""DeleteFunctionConcurrency: https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunctionConcurrency.html"""

from __future__ import annotations

from typing import Any

from ._common import load, save, unqualified_ref


def delete_function_concurrency(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    doc = load(ctx, r)
    doc["concurrency"] = None
    save(ctx, r, doc)
    return {}
