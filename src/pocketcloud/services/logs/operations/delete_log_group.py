"""DeleteLogGroup: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html"""

from __future__ import annotations

from typing import Any

from ..errors import group_not_found
from ..model import scope


def delete_log_group(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params["logGroupName"]
    store = ctx.state.storage.resources
    sc = scope(ctx.account_id, ctx.region)
    with store.transaction():
        if not store.delete(sc, "group", name):
            raise group_not_found()
        for key, _ in store.list(sc, "stream", prefix=f"{name}:"):
            store.delete(sc, "stream", key)
        ctx.state.storage.logs.delete(ctx.account_id, ctx.region, name)
    return {}
