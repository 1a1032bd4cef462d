"""GetFunctionConcurrency: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConcurrency.html"""

from __future__ import annotations

from typing import Any

from ._common import load, unqualified_ref


def get_function_concurrency(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    doc = load(ctx, unqualified_ref(ctx, params["FunctionName"]))
    return {} if doc.get("concurrency") is None else {"ReservedConcurrentExecutions": doc["concurrency"]}
