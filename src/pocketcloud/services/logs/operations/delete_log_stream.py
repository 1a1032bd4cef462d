"""DeleteLogStream: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogStream.html"""

from __future__ import annotations

from typing import Any

from ..errors import stream_not_found
from ..model import scope
from ._common import load_group


def delete_log_stream(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    group, stream = params["logGroupName"], params["logStreamName"]
    load_group(ctx, group)
    store = ctx.state.storage.resources
    with store.transaction():
        if not store.delete(scope(ctx.account_id, ctx.region), "stream", f"{group}:{stream}"):
            raise stream_not_found()
        ctx.state.storage.logs.delete(ctx.account_id, ctx.region, group, stream)
    return {}
