"""UpdateContinuousBackups — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateContinuousBackups.html"""

from __future__ import annotations

import copy
import time
from typing import Any

from ..errors import ValidationException
from .describe_continuous_backups import backups_table, continuous_backups_description


def update_continuous_backups(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    spec = params["PointInTimeRecoverySpecification"]
    table = backups_table(ctx, params["TableName"])
    enabled = bool(spec["PointInTimeRecoveryEnabled"])
    if not enabled and spec.get("RecoveryPeriodInDays") is not None:
        raise ValidationException("Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.")
    desc = copy.deepcopy(table.description)
    if enabled:
        previous = desc.get("_pitr") or {}
        since = previous.get("Since") if previous.get("Enabled") else round(time.time(), 3)
        desc["_pitr"] = {"Enabled": True, "Since": since, "RecoveryPeriodInDays": spec.get("RecoveryPeriodInDays") or 35}
    else:
        desc["_pitr"] = {"Enabled": False}
    saved = ctx.state.storage.dynamodb.save_table(table, desc)
    return {"ContinuousBackupsDescription": continuous_backups_description(saved.description)}
