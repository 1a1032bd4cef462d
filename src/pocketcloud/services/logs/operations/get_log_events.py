"""GetLogEvents: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html

Tokens are positions: "f/<ts>/<seq>" reads after it, "b/<ts>/<seq>" before it. At the end of the stream the
forward token comes back unchanged, which is how clients know to stop (as on AWS).
"""

from __future__ import annotations

from typing import Any

from ._common import decode_token, encode_token, group_name, load_group, load_stream

_HEAD = (-1, 0)
_TAIL = (2**62, 0)


def get_log_events(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    group = group_name(params)
    stream = params["logStreamName"]
    load_group(ctx, group)
    load_stream(ctx, group, stream)
    limit = params.get("limit") or 10000
    store = ctx.state.storage.logs
    common = dict(start=params.get("startTime"), end=params.get("endTime"), limit=limit)
    token = params.get("nextToken")
    if token:
        kind, position = decode_token(token)
    else:
        kind, position = ("f", _HEAD) if params.get("startFromHead") else ("b", _TAIL)
    if kind == "f":
        events = store.read(ctx.account_id, ctx.region, group, [stream], after=position, forward=True, **common)
    else:
        events = list(reversed(store.read(ctx.account_id, ctx.region, group, [stream], before=position, forward=False, **common)))
    first = (events[0].timestamp, events[0].seq) if events else position
    last = (events[-1].timestamp, events[-1].seq) if events else position
    return {
        "events": [{"timestamp": e.timestamp, "message": e.message, "ingestionTime": e.ingestion_time} for e in events],
        # A backward read that found nothing leaves the forward reader at the head: everything is after it.
        "nextForwardToken": encode_token("f", last if events or kind == "f" else _HEAD),
        "nextBackwardToken": encode_token("b", first),
    }
