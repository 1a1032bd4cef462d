"""ListTables — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html"""

from __future__ import annotations

from typing import Any


def list_tables(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    limit = params.get("Limit", 100)
    names = ctx.state.storage.dynamodb.list_tables(
        ctx.account_id, ctx.region, after=params.get("ExclusiveStartTableName"), limit=limit + 1
    )
    out: dict[str, Any] = {"TableNames": names[:limit]}
    if len(names) > limit:
        out["LastEvaluatedTableName"] = names[limit - 1]
    return out
