"""Where `pocketcloud up` writes its log: stderr, one write per event-loop iteration rather than one per line.

Under load an iteration answers several requests, each logging a line at INFO (API Gateway's request log):
their lines go out together when the iteration ends, so nothing waits longer than the iteration itself (a quiet
server still writes each line at once, one iteration later). Lines from other threads, and every line before
the loop runs or after it stopped, are written straight away.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any


class LoopBatchedHandler(logging.StreamHandler):  # type: ignore[type-arg]
    def __init__(self, stream: Any = None) -> None:
        super().__init__(stream)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._pending: list[str] = []

    def attach(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """Batch on `loop` (called from the loop's thread), or stop batching (None) after writing what waits."""
        self.flush_pending()
        self._loop = loop
        self._loop_thread = threading.get_ident() if loop is not None else 0

    def emit(self, record: logging.LogRecord) -> None:
        loop = self._loop
        if loop is None or threading.get_ident() != self._loop_thread or loop.is_closed():
            self.flush_pending()
            super().emit(record)
            return
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - as logging does: report, do not raise
            self.handleError(record)
            return
        if not self._pending:
            loop.call_soon(self.flush_pending)
        self._pending.append(line + self.terminator)

    def flush_pending(self) -> None:
        if not self._pending:
            return
        self.acquire()  # (emit runs under this lock too: Handler.handle takes it)
        try:
            pending, self._pending = self._pending, []
            self.stream.write("".join(pending))
            self.stream.flush()
        except Exception:  # noqa: BLE001 - a closed terminal must not take the server down
            pass
        finally:
            self.release()


class SecondsFormatter(logging.Formatter):
    """A Formatter whose %(asctime)s (a datefmt without sub-second fields) is formatted once per second, not once
    per record (localtime + strftime: ~3 µs a line at one line per API Gateway request)."""

    def __init__(self, fmt: str, datefmt: str) -> None:
        super().__init__(fmt, datefmt)
        self._second = -1
        self._text = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        second = int(record.created)
        if second != self._second:
            self._text = super().formatTime(record, datefmt)
            self._second = second
        return self._text


def quiet_records() -> None:
    """Fields of a LogRecord `pocketcloud up`'s format never shows, not worked out per record: the caller's file
    and line (a walk up the stack), the process id (a getpid() system call), the thread."""
    logging._srcfile = None  # type: ignore[attr-defined]  # documented switch: skips findCaller
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging.logThreads = False


def batched_handler() -> LoopBatchedHandler | None:
    """The root logger's LoopBatchedHandler, if `pocketcloud up` installed one."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, LoopBatchedHandler):
            return handler
    return None
