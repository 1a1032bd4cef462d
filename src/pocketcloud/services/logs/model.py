"""CloudWatch Logs state: log groups and streams as ResourceStore documents, events in the LogStore.

Groups: Scope("logs", account, region), kind "group", key <name>. Streams: kind "stream", key "<group>:<stream>"
(stream names cannot contain ':'). https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from pocketcloud.storage.base import Scope

log = logging.getLogger(__name__)


def now_ms() -> int:
    return int(time.time() * 1000)


def scope(account: str, region: str) -> Scope:
    return Scope("logs", account, region)


def group_arn(account: str, region: str, group: str) -> str:
    return f"arn:aws:logs:{region}:{account}:log-group:{group}"


def new_group(account: str, region: str, group: str, **extra: Any) -> dict[str, Any]:
    arn = group_arn(account, region, group)
    doc = {
        "logGroupName": group,
        "creationTime": now_ms(),
        "metricFilterCount": 0,
        "arn": arn + ":*",
        "logGroupClass": "STANDARD",
        "logGroupArn": arn,
    }
    doc.update({k: v for k, v in extra.items() if v is not None})
    return doc


def new_stream(account: str, region: str, group: str, stream: str) -> dict[str, Any]:
    return {
        "logStreamName": stream,
        "creationTime": now_ms(),
        "arn": f"{group_arn(account, region, group)}:log-stream:{stream}",
    }


def ensure_group(store: Any, account: str, region: str, group: str) -> None:
    store.insert(scope(account, region), "group", group, new_group(account, region, group))


def ensure_stream(store: Any, account: str, region: str, group: str, stream: str) -> None:
    store.insert(scope(account, region), "stream", f"{group}:{stream}", new_stream(account, region, group, stream))


def write_events(state: Any, account: str, region: str, group: str, stream: str, events: list[tuple[int, str]]) -> None:
    """What Lambda's platform does with a function's output: create the group/stream if needed, append.

    The write is deferred by a few milliseconds (see PendingEvents): the invokes answered meanwhile share one
    transaction. Any CloudWatch Logs operation writes the pending events first (the logs
    service calls `flush`), so the API never misses what a function has already logged."""
    if not events:
        return
    now = now_ms()
    resolved = [(ts if ts > 0 else now, msg) for ts, msg in events]
    pending = state.runtime.get(_PENDING)
    if pending is not None and pending.scheduled is not None and not pending.scheduled.is_closed():
        # A flush is due on a running loop already: join it. (asyncio.get_running_loop() costs a getpid()
        # system call per invoke.)
        pending.add(pending.scheduled, (account, region, group, stream), resolved, now)
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no event loop (a script, a sync test): write at once
        _write(state, [((account, region, group, stream), resolved, now)], set())
        return
    if pending is None:
        pending = state.runtime[_PENDING] = PendingEvents(state)
    pending.add(loop, (account, region, group, stream), resolved, now)


def flush(state: Any) -> None:
    """Write the events still waiting for their transaction (before reading or deleting logs, at shutdown)."""
    pending = state.runtime.get(_PENDING)
    if pending is not None:
        pending.flush()


_PENDING = "logs.pending"
# How long function log events may wait for their transaction: long enough that a busy server writes the
# events of many invokes at once, short enough that `pocketcloud logs -f` shows them at once (and a kill -9
# loses only that much; CloudWatch Logs itself shows events seconds after the invoke). The log writer process
# spends about half as much per event in a transaction of ten times as many (storage/sqlite/log_writer.py).
FLUSH_DELAY_S = 0.05
StreamKey = tuple[str, str, str, str]  # account, region, group, stream


class PendingEvents:
    """Function log events waiting to be written: one transaction every FLUSH_DELAY_S instead of one per invoke.

    Handing a batch to the LogStore's writer process costs one pipe write however many invokes it holds; the
    writer puts it in one transaction. A kill -9 can lose the last FLUSH_DELAY_S of them (the writer commits what
    it was sent before the end of its input).
    The group and stream documents are created once per stream (remembered until anything in CloudWatch Logs is
    written again, e.g. DeleteLogGroup).
    """

    def __init__(self, state: Any) -> None:
        self.state = state
        self.batch: list[tuple[StreamKey, list[tuple[int, str]], int]] = []
        self.scheduled: asyncio.AbstractEventLoop | None = None  # the loop a flush is scheduled on
        self.known: set[StreamKey] = set()
        self.known_generation = -1
        state.on_close(self.flush)

    def add(self, loop: asyncio.AbstractEventLoop, key: StreamKey, events: list[tuple[int, str]], ingested: int) -> None:
        self.batch.append((key, events, ingested))
        if self.scheduled is not loop:  # (a flush scheduled on a loop that has ended since would never run)
            self.scheduled = loop
            loop.call_later(FLUSH_DELAY_S, self.flush)

    def flush(self) -> None:
        self.scheduled = None
        batch, self.batch = self.batch, []
        if not batch:
            return
        resources = self.state.storage.resources
        generation = getattr(resources, "generation", None)
        if generation is None or generation("logs") != self.known_generation:
            self.known.clear()
        try:
            _write(self.state, batch, self.known)
        except Exception:  # noqa: BLE001 - a failed log write must not take the server down; it is reported
            log.exception("could not write %d batches of function log events", len(batch))
            self.known.clear()
            return
        if generation is not None:
            self.known_generation = generation("logs")


def _write(state: Any, batch: list[tuple[StreamKey, list[tuple[int, str]], int]], known: set[StreamKey]) -> None:
    """Group and stream documents first (main database, only for streams not seen yet), then the events: handed
    to the LogStore, which writes them off the event loop (storage/sqlite/logs.py)."""
    new = {key for key, _, _ in batch if key not in known}
    if new:
        resources = state.storage.resources
        with resources.transaction():
            for key in new:
                account, region, group, stream = key
                ensure_group(resources, account, region, group)
                ensure_stream(resources, account, region, group, stream)
        known.update(new)
    state.storage.logs.append_batch([(*key, events, ingested) for key, events, ingested in batch])
