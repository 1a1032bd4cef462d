"""A worker's log lines: capture from its stdout/stderr pipe, and the platform lines Lambda adds.

Formats follow https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
(START / END / REPORT lines, log stream names "2024/01/31/[$LATEST]<32 hex>").
"""

from __future__ import annotations

import asyncio
import math
import os
import secrets
import time
from datetime import datetime, timezone

LogLine = tuple[int, str]
LOG_TAIL_BYTES = 4096
# Longest line kept from a worker; AWS caps a log event at 256 KB.
MAX_LINE_BYTES = 256 * 1024
_MARK = b"\0PC:"
_READ_BYTES = 65536
# How much of a line without a newline is buffered before it is cut (as asyncio's StreamReader limit did).
_LINE_LIMIT = MAX_LINE_BYTES * 4


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
    """Reads one worker's stdout/stderr pipe into timestamped lines, noticing the runtime's init mark.

    The pipe is read in the event loop's reader callback, and also on demand (`take_all`, `wait_mark` drain it
    first): a runtime writes an invoke's lines (and its init mark) before it sends the result (or "ready"), so when
    that frame arrives they are in the pipe already, and the invoke needs no second wake-up of the loop to collect
    its lines.
    """

    def __init__(self, fd: int, loop: asyncio.AbstractEventLoop) -> None:
        self._fd = fd
        self._loop = loop
        self._partial = b""
        self.lines: list[LogLine] = []
        self._marks: set[str] = set()
        self._waiter: asyncio.Future | None = None
        self._eof = loop.create_future()
        self.closed = False
        os.set_blocking(fd, False)
        loop.add_reader(fd, self.drain)

    def drain(self) -> None:
        """Read what the pipe holds now (never blocks)."""
        added = False
        while not self.closed:
            try:
                data = os.read(self._fd, _READ_BYTES)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                data = b""
            if not data:
                self._end()
                added = True
                break
            self._feed(data)
            added = True
            if len(data) < _READ_BYTES:
                break  # a short read: the pipe is empty
        if added and self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def _feed(self, data: bytes) -> None:
        buffered = self._partial + data if self._partial else data
        lines = buffered.split(b"\n")
        self._partial = lines.pop()
        for raw in lines:
            self._add(raw)
        if len(self._partial) > _LINE_LIMIT:
            # A runaway line without a newline: keep its start, as the event it becomes is capped anyway.
            self._add(self._partial[:MAX_LINE_BYTES])
            self._partial = b""

    def _end(self) -> None:
        self._end_partial_line()
        self.closed = True
        self._release_fd()
        if not self._eof.done():
            self._eof.set_result(None)

    def _release_fd(self) -> None:
        if self._fd >= 0:
            self._loop.remove_reader(self._fd)
            os.close(self._fd)
            self._fd = -1

    def _add(self, raw: bytes) -> None:
        if raw.startswith(_MARK):
            label = raw[len(_MARK):].decode(errors="replace")
            self._marks.add(label)
            self.lines.append((-1, label))
        else:
            # "\r" joins the lines of one record (a console.log of several lines, a Python traceback).
            self.lines.append((now_ms(), raw[:MAX_LINE_BYTES].decode(errors="replace").replace("\r", "\n")))

    async def wait_mark(self, label: str, timeout: float) -> bool:
        """Wait until the runtime wrote its mark `label` (every line before it has been read)."""
        if label in self._marks:
            return True
        self.drain()
        if label in self._marks or self.closed:
            return label in self._marks
        deadline = time.monotonic() + timeout
        while label not in self._marks and not self.closed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._waiter = self._loop.create_future()
            timer = self._loop.call_later(remaining, _wake, self._waiter)
            try:
                await self._waiter
            finally:
                timer.cancel()
                self._waiter = None
        return label in self._marks

    async def wait_closed(self, timeout: float) -> None:
        self.drain()
        if self.closed:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._eof), timeout)
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

    def take_all(self, *, read: bool = True) -> list[LogLine]:
        """Everything the pipe holds now, a last line without its newline included (an invoke's end ends it).
        `read` False: the writer said the pipe holds nothing unread (what it wrote was read already)."""
        if read:
            self.drain()
        self._end_partial_line()
        return self.take_until(None)

    def _end_partial_line(self) -> None:
        """A last line without its newline becomes a line of its own (the pipe or the invoke ended)."""
        if self._partial:
            self._add(self._partial)
            self._partial = b""

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._release_fd()
            if not self._eof.done():
                self._eof.set_result(None)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


def _wake(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_result(None)


def split_at(lines: list[LogLine], mark: str) -> tuple[list[LogLine], list[LogLine]]:
    """(lines before mark, lines after it), marks removed; ([], all) when the mark is absent."""
    for i, (ts, text) in enumerate(lines):
        if ts == -1 and text == mark:
            return without_marks(lines[:i]), without_marks(lines[i + 1:])
    return [], without_marks(lines)


def without_marks(lines: list[LogLine]) -> list[LogLine]:
    return [line for line in lines if line[0] != -1]
