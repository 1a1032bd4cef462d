"""A worker's log lines: capture from its stdout/stderr pipe, and the platform lines Lambda adds.

Formats follow https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
(START / END / REPORT lines, log stream names "2024/01/31/[$LATEST]<32 hex>").
"""

from __future__ import annotations

import asyncio
import math
import secrets
import time
from datetime import datetime, timezone

LogLine = tuple[int, str]
LOG_TAIL_BYTES = 4096
# Longest line kept from a worker; AWS caps a log event at 256 KB.
MAX_LINE_BYTES = 256 * 1024
_MARK = b"\0PC:"


def now_ms() -> int:
    return int(time.time() * 1000)


def new_log_stream_name(version: str) -> str:
    day = datetime.now(timezone.utc).strftime("%Y/%m/%d")
    return f"{day}/[{version}]{secrets.token_hex(16)}"


def start_line(request_id: str, version: str) -> str:
    return f"START RequestId: {request_id} Version: {version}"


def end_line(request_id: str) -> str:
    return f"END RequestId: {request_id}"


def billed_ms(duration_ms: float) -> int:
    return max(1, math.ceil(duration_ms))


def report_line(request_id: str, duration_ms: float, memory_mb: int, max_used_mb: int, init_ms: float | None) -> str:
    line = (
        f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\tBilled Duration: {billed_ms(duration_ms)} ms"
        f"\tMemory Size: {memory_mb} MB\tMax Memory Used: {max_used_mb} MB\t"
    )
    if init_ms is not None:
        line += f"Init Duration: {init_ms:.2f} ms\t"
    return line


def timeout_line(request_id: str, timeout_s: int) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return f"{stamp} {request_id} Task timed out after {timeout_s:.2f} seconds"


def log_tail(lines: list[LogLine]) -> str:
    """The last 4 KB of an invoke's log text, as Invoke's LogType=Tail returns it (before base64)."""
    data = "".join(message + "\n" for _, message in lines).encode()
    return data[-LOG_TAIL_BYTES:].decode(errors="ignore")


class LogCollector:
    """Reads one worker's stdout/stderr pipe into timestamped lines, noticing the runtime's phase marks."""

    def __init__(self, reader: asyncio.StreamReader) -> None:
        self._reader = reader
        self.lines: list[LogLine] = []
        self._marks: set[str] = set()
        self._changed = asyncio.Event()
        self.closed = False
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            while True:
                try:
                    raw = await self._reader.readuntil(b"\n")
                except asyncio.IncompleteReadError as e:
                    if e.partial:
                        self._add(e.partial)
                    return
                except asyncio.LimitOverrunError as e:
                    raw = await self._reader.readexactly(e.consumed)
                    raw = raw[:MAX_LINE_BYTES]
                self._add(raw.rstrip(b"\n"))
        except (OSError, asyncio.CancelledError):
            return
        finally:
            self.closed = True
            self._changed.set()

    def _add(self, raw: bytes) -> None:
        if raw.startswith(_MARK):
            self._marks.add(raw[len(_MARK):].decode(errors="replace"))
            self.lines.append((-1, raw[len(_MARK):].decode(errors="replace")))
        else:
            # "\r" joins the lines of one record (a console.log of several lines, a Python traceback).
            self.lines.append((now_ms(), raw[:MAX_LINE_BYTES].decode(errors="replace").replace("\r", "\n")))
        self._changed.set()

    async def wait_mark(self, label: str, timeout: float) -> bool:
        """Wait until the runtime wrote its mark `label` (every line before it has been read)."""
        deadline = time.monotonic() + timeout
        while label not in self._marks and not self.closed:
            self._changed.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                return False
        return label in self._marks

    async def wait_closed(self, timeout: float) -> None:
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except asyncio.TimeoutError:
            pass

    def take_until(self, mark: str | None) -> list[LogLine]:
        """Take the lines read so far up to and including `mark` (all of them when it is None or unseen).

        Marks stay in the result as (-1, label) entries; `split_at` and `without_marks` handle them.
        """
        lines = self.lines
        if mark is not None:
            self._marks.discard(mark)
            for i, (ts, text) in enumerate(lines):
                if ts == -1 and text == mark:
                    self.lines = lines[i + 1:]
                    return lines[: i + 1]
        self.lines = []
        return lines

    def close(self) -> None:
        self._task.cancel()


def split_at(lines: list[LogLine], mark: str) -> tuple[list[LogLine], list[LogLine]]:
    """(lines before mark, lines after it), marks removed; ([], all) when the mark is absent."""
    for i, (ts, text) in enumerate(lines):
        if ts == -1 and text == mark:
            return without_marks(lines[:i]), without_marks(lines[i + 1:])
    return [], without_marks(lines)


def without_marks(lines: list[LogLine]) -> list[LogLine]:
    return [line for line in lines if line[0] != -1]
