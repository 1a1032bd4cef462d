"""DescribeLogStreams: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterException
from ..model import scope
from ._common import group_name, load_group


def describe_log_streams(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    group = group_name(params)
    load_group(ctx, group)
    prefix = params.get("logStreamNamePrefix") or ""
    order = params.get("orderBy") or "LogStreamName"
    if order == "LastEventTime" and prefix:
        raise InvalidParameterException("Cannot order by LastEventTime with a logStreamNamePrefix.")
    limit = params.get("limit") or 50
    stats = ctx.state.storage.logs.stream_stats(ctx.account_id, ctx.region, group)
    streams = []
    for _, doc in ctx.state.storage.resources.list(scope(ctx.account_id, ctx.region), "stream", prefix=f"{group}:{prefix}"):
        out = dict(doc)
        s = stats.get(doc["logStreamName"])
        out["storedBytes"] = 0
        if s is not None:
            out.update(firstEventTimestamp=s.first_event, lastEventTimestamp=s.last_event,
                       lastIngestionTime=s.last_ingestion, storedBytes=s.stored_bytes)
        streams.append(out)
    if order == "LastEventTime":
        streams.sort(key=lambda s: (s.get("lastEventTimestamp", 0), s["logStreamName"]))
    if params.get("descending"):
        streams.reverse()
    start = int(params["nextToken"]) if str(params.get("nextToken") or "").isdigit() else 0
    chunk = streams[start:start + limit]
    result: dict[str, Any] = {"logStreams": chunk}
    if start + limit < len(streams):
        result["nextToken"] = str(start + limit)
    return result
