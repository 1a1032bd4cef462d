"""UpdateTimeToLive — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html

The TTL setting lives in the table description as "_ttl" ({"Enabled", "AttributeName", "ChangedAt"}). Turning
it on, or off, recomputes the stored expiry of every existing item so the sweeper (services/dynamodb/ttl.py)
sees them. Like AWS, a second change within the cool-down window is refused.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from ..control import control_table
from ..errors import ValidationException
from ..tables import schema, ttl_value

# AWS refuses another TTL change for a while after one ("up to one hour"; measured ~30 minutes).
COOLDOWN_SECONDS = 1800.0


def update_time_to_live(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    spec = params["TimeToLiveSpecification"]
    table = control_table(ctx, params["TableName"])
    current = table.description.get("_ttl") or {}
    enabled, attribute = bool(spec["Enabled"]), spec["AttributeName"]
    if current.get("Enabled"):
        if current["AttributeName"] != attribute:
            raise ValidationException(
                f"TimeToLive is active on a different AttributeName: current AttributeName is {current['AttributeName']}"
            )
        if enabled:
            raise ValidationException("TimeToLive is already enabled")
    elif not enabled:
        raise ValidationException("TimeToLive is already disabled")
    now = time.time()
    if current.get("ChangedAt") and now - current["ChangedAt"] < COOLDOWN_SECONDS:
        raise ValidationException("Time to live has been modified multiple times within a fixed interval")
    desc = copy.deepcopy(table.description)
    desc["_ttl"] = {"Enabled": enabled, "AttributeName": attribute, "ChangedAt": now}
    store = ctx.state.storage.dynamodb
    saved = store.save_table(table, desc)
    sch = schema(saved)
    store.recompute_ttl(saved, lambda item: ttl_value(sch, item))
    return {"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": attribute}}
