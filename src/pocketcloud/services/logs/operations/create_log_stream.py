"""CreateLogStream: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterException, ResourceAlreadyExistsException
from ..model import new_stream, scope
from ._common import load_group


def create_log_stream(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    group, stream = params["logGroupName"], params["logStreamName"]
    if ":" in stream or "*" in stream:
        raise InvalidParameterException(f"Invalid log stream name: {stream}")
    load_group(ctx, group)
    doc = new_stream(ctx.account_id, ctx.region, group, stream)
    if not ctx.state.storage.resources.insert(scope(ctx.account_id, ctx.region), "stream", f"{group}:{stream}", doc):
        raise ResourceAlreadyExistsException("The specified log stream already exists")
    return {}
