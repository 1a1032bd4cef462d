"""DescribeTimeToLive — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTimeToLive.html"""

from __future__ import annotations

from typing import Any

from ..control import control_table


def describe_time_to_live(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = control_table(ctx, params["TableName"])
    ttl = table.description.get("_ttl") or {}
    if ttl.get("Enabled"):
        return {"TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": ttl["AttributeName"]}}
    return {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
