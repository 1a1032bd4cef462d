"""DescribeLogGroups: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterException
from ..model import scope


def describe_log_groups(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    prefix = params.get("logGroupNamePrefix") or ""
    pattern = params.get("logGroupNamePattern")
    if prefix and pattern:
        raise InvalidParameterException("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
    limit = params.get("limit") or 50
    after = params.get("nextToken")
    store = ctx.state.storage.resources
    rows = store.list(scope(ctx.account_id, ctx.region), "group", prefix=prefix, after=after)
    if pattern:
        rows = [(k, d) for k, d in rows if pattern.lower() in k.lower()]
    if params.get("logGroupIdentifiers"):
        wanted = {i.split(":log-group:", 1)[-1].removesuffix(":*") for i in params["logGroupIdentifiers"]}
        rows = [(k, d) for k, d in rows if k in wanted]
    chunk = rows[:limit]
    groups = []
    for name, doc in chunk:
        out = {k: v for k, v in doc.items() if not k.startswith("_")}
        out["storedBytes"] = ctx.state.storage.logs.group_bytes(ctx.account_id, ctx.region, name)
        groups.append(out)
    result: dict[str, Any] = {"logGroups": groups}
    if len(rows) > limit:
        result["nextToken"] = chunk[-1][0]
    return result
