"""PutLogEvents: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html"""

from __future__ import annotations

import uuid
from typing import Any

from ..errors import InvalidParameterException
from ..model import now_ms
from ._common import load_group, load_stream

MAX_AGE_MS = 14 * 24 * 3600 * 1000
MAX_FUTURE_MS = 2 * 3600 * 1000


def put_log_events(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    group, stream = params["logGroupName"], params["logStreamName"]
    load_group(ctx, group)
    load_stream(ctx, group, stream)
    events = params["logEvents"]
    stamps = [e["timestamp"] for e in events]
    if stamps != sorted(stamps):
        raise InvalidParameterException("Log events in a single PutLogEvents request must be in chronological order.")
    now = now_ms()
    accepted, too_old, too_new = [], None, None
    for i, e in enumerate(events):
        if e["timestamp"] < now - MAX_AGE_MS:
            too_old = i
        elif e["timestamp"] > now + MAX_FUTURE_MS:
            too_new = i if too_new is None else too_new
        else:
            accepted.append((e["timestamp"], e["message"]))
    ctx.state.storage.logs.append(ctx.account_id, ctx.region, group, stream, accepted, now)
    result: dict[str, Any] = {"nextSequenceToken": uuid.uuid4().int.__str__()[:56].rjust(56, "0")}
    rejected = {}
    if too_old is not None:
        rejected["tooOldLogEventEndIndex"] = too_old + 1
    if too_new is not None:
        rejected["tooNewLogEventStartIndex"] = too_new
    if rejected:
        result["rejectedLogEventsInfo"] = rejected
    return result
