"""FilterLogEvents: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html

Events of a group (or some of its streams) in time order, matched against a filter pattern; what
`aws logs tail` (CLI v2) and `pocketcloud logs` poll.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterException
from ..filter_pattern import compile_pattern
from ..model import scope
from ._common import event_id, group_name, load_group, opaque_token, read_opaque

# Rows examined per call before answering with a nextToken, so a rare pattern cannot stall the server.
SCAN_BUDGET = 50000
BATCH = 2000


def filter_log_events(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    group = group_name(params)
    load_group(ctx, group)
    if params.get("logStreamNames") and params.get("logStreamNamePrefix"):
        raise InvalidParameterException("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
    streams: list[str] | None = params.get("logStreamNames")
    if params.get("logStreamNamePrefix"):
        prefix = f"{group}:{params['logStreamNamePrefix']}"
        streams = [d["logStreamName"] for _, d in ctx.state.storage.resources.list(scope(ctx.account_id, ctx.region), "stream", prefix=prefix)]
    match = compile_pattern(params.get("filterPattern"))
    limit = params.get("limit") or 10000
    position = read_opaque(params["nextToken"]) if params.get("nextToken") else None
    store = ctx.state.storage.logs
    found: list[dict[str, Any]] = []
    scanned = 0
    more = False
    while True:
        batch = store.read(ctx.account_id, ctx.region, group, streams, start=params.get("startTime"),
                           end=params.get("endTime"), after=position, limit=BATCH)
        for event in batch:
            position = (event.timestamp, event.seq)
            if match(event.message):
                found.append({"logStreamName": event.stream, "timestamp": event.timestamp, "message": event.message,
                              "ingestionTime": event.ingestion_time, "eventId": event_id(event)})
                if len(found) >= limit:
                    break
        scanned += len(batch)
        if len(found) >= limit:
            more = _has_more(store, ctx, group, streams, params, position)
            break
        if len(batch) < BATCH:
            break
        if scanned >= SCAN_BUDGET:
            more = True
            break
    result: dict[str, Any] = {"events": found, "searchedLogStreams": []}
    if more and position is not None:
        result["nextToken"] = opaque_token(position)
    return result


def _has_more(store: Any, ctx: Any, group: str, streams: list[str] | None, params: dict[str, Any], position: Any) -> bool:
    return bool(store.read(ctx.account_id, ctx.region, group, streams, start=params.get("startTime"),
                           end=params.get("endTime"), after=position, limit=1))
