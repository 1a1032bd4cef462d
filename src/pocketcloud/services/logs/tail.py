"""`pocketcloud logs <function> [-f]`: print a function's log events (START/END/REPORT and errors coloured),
following new ones by polling FilterLogEvents, as `aws logs tail --follow` does."""

from __future__ import annotations

import os
import re
import sys
import time
from datetime import datetime
from typing import Any, TextIO

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_ERROR = re.compile(r"\[ERROR\]|Traceback|Task timed out|errorMessage|Runtime\.\w+Error|\bERROR\b|Error:")
_COLOURS = {"platform": "\033[36m", "report": "\033[2;36m", "error": "\033[31m", "time": "\033[2m", "reset": "\033[0m"}
POLL_S = 1.0


def parse_since(text: str) -> int:
    """'10m' -> ms since the epoch, 10 minutes ago."""
    m = re.fullmatch(r"(\d+)([smhdw]?)", text.strip())
    if m is None:
        raise ValueError(f"--since must look like 30s, 10m, 2h or 1d, not {text!r}")
    seconds = int(m.group(1)) * _UNITS[m.group(2) or "s"]
    return int((time.time() - seconds) * 1000)


def kind_of(message: str) -> str:
    if message.startswith(("START RequestId:", "END RequestId:", "INIT_START")):
        return "platform"
    if message.startswith("REPORT RequestId:"):
        return "report"
    if _ERROR.search(message):
        return "error"
    return "plain"


def format_event(event: dict[str, Any], colour: bool) -> str:
    stamp = datetime.fromtimestamp(event["timestamp"] / 1000).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    message = event["message"].rstrip("\n").replace("\t", "  ")
    if not colour:
        return f"{stamp} {message}"
    kind = kind_of(event["message"])
    c = _COLOURS
    body = f"{c[kind]}{message}{c['reset']}" if kind in c else message
    return f"{c['time']}{stamp}{c['reset']} {body}"


def client(endpoint: str, region: str) -> Any:
    import boto3

    return boto3.client(
        "logs", endpoint_url=endpoint, region_name=region,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "pocketcloud"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "pocketcloud"),
        aws_session_token=os.environ.get("AWS_SESSION_TOKEN"),
    )


def fetch(logs: Any, group: str, start: int, seen: set[str]) -> list[dict[str, Any]]:
    """Events at or after `start` not printed yet (FilterLogEvents pages, deduplicated by eventId)."""
    out: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"logGroupName": group, "startTime": start, "interleaved": True}
    while True:
        try:
            page = logs.filter_log_events(**kwargs)
        except logs.exceptions.ResourceNotFoundException:
            return out
        for event in page["events"]:
            if event["eventId"] not in seen:
                seen.add(event["eventId"])
                out.append(event)
        if not page.get("nextToken"):
            return out
        kwargs["nextToken"] = page["nextToken"]


def run(function: str, *, endpoint: str, region: str, follow: bool, since: str, colour: bool | None = None,
        out: TextIO = sys.stdout, max_seconds: float | None = None) -> int:
    group = function if function.startswith("/") else f"/aws/lambda/{function}"
    colour = out.isatty() if colour is None else colour
    logs = client(endpoint, region)
    start = parse_since(since)
    seen: set[str] = set()
    began = time.monotonic()
    events = fetch(logs, group, start, seen)
    if not events and not follow:
        print(f"no log events for {function} in the last {since} (log group {group})", file=sys.stderr)
    try:
        while True:
            for event in events:
                out.write(format_event(event, colour) + "\n")
                start = max(start, event["timestamp"])
            out.flush()
            if not follow or (max_seconds is not None and time.monotonic() - began > max_seconds):
                return 0
            time.sleep(POLL_S)
            events = fetch(logs, group, start, seen)
    except (KeyboardInterrupt, BrokenPipeError):
        return 0
