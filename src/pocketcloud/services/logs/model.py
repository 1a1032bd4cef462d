"""CloudWatch Logs state: log groups and streams as ResourceStore documents, events in the LogStore.

Groups: Scope("logs", account, region), kind "group", key <name>. Streams: kind "stream", key "<group>:<stream>"
(stream names cannot contain ':'). https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/
"""

from __future__ import annotations

import time
from typing import Any

from pocketcloud.storage.base import Scope


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
    """What Lambda's platform does with a function's output: create the group/stream if needed, append."""
    resources = state.storage.resources
    with resources.transaction():
        ensure_group(resources, account, region, group)
        ensure_stream(resources, account, region, group, stream)
        now = now_ms()
        state.storage.logs.append(account, region, group, stream, [(ts if ts > 0 else now, msg) for ts, msg in events], now)
