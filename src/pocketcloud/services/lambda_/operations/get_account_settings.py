"""GetAccountSettings: https://docs.aws.amazon.com/lambda/latest/api/API_GetAccountSettings.html (default quotas)"""

from __future__ import annotations

from typing import Any

from ..models import scope

ACCOUNT_CONCURRENCY = 1000
MIN_UNRESERVED = 100


def get_account_settings(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    docs = [d for _, d in ctx.state.storage.resources.list(scope(ctx.account_id, ctx.region), "function")]
    reserved = sum(d.get("concurrency") or 0 for d in docs)
    return {
        "AccountLimit": {
            "TotalCodeSize": 80530636800,
            "CodeSizeUnzipped": 262144000,
            "CodeSizeZipped": 52428800,
            "ConcurrentExecutions": ACCOUNT_CONCURRENCY,
            "UnreservedConcurrentExecutions": ACCOUNT_CONCURRENCY - reserved,
        },
        "AccountUsage": {"TotalCodeSize": sum(d["config"]["CodeSize"] for d in docs), "FunctionCount": len(docs)},
    }
