"""DescribeContinuousBackups — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeContinuousBackups.html

Point-in-time recovery is only a setting here ("_pitr" in the description); nothing is restorable.
"""

from __future__ import annotations

import time
from typing import Any

from ..errors import TableNotFoundException
from ..tables import table_name_from


def continuous_backups_description(desc: dict[str, Any]) -> dict[str, Any]:
    pitr = desc.get("_pitr") or {}
    if not pitr.get("Enabled"):
        recovery: dict[str, Any] = {"PointInTimeRecoveryStatus": "DISABLED"}
    else:
        recovery = {
            "PointInTimeRecoveryStatus": "ENABLED",
            "RecoveryPeriodInDays": pitr.get("RecoveryPeriodInDays", 35),
            "EarliestRestorableDateTime": pitr["Since"],
            "LatestRestorableDateTime": round(time.time() - 300, 3),
        }
    return {"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": recovery}


def backups_table(ctx: Any, name: str) -> Any:
    table = ctx.state.storage.dynamodb.get_table(ctx.account_id, ctx.region, table_name_from(name))
    if table is None:
        raise TableNotFoundException(f"Table not found: {table_name_from(name)}")
    return table


def describe_continuous_backups(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = backups_table(ctx, params["TableName"])
    return {"ContinuousBackupsDescription": continuous_backups_description(table.description)}
