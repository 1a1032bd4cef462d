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
import time
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
        loop = self._batching_loop()
        if loop is None:
            self.flush_pending()
            super().emit(record)
            return
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - as logging does: report, do not raise
            self.handleError(record)
            return
        self._queue(loop, line)

    def append_line(self, logger: logging.Logger, level: int, text: str) -> bool:
        """Queue `text` as `logger`'s record at `level` would be formatted, without a LogRecord: False (the caller
        logs normally) unless on the loop's thread with a SecondsFormatter, whose lines differ only by the second.
        """
        formatter = self.formatter
        loop = self._batching_loop()
        if loop is None or not isinstance(formatter, SecondsFormatter):
            return False
        prefix, suffix = formatter.frame(logger.name, level)
        self._queue(loop, prefix + text + suffix)
        return True

    def _batching_loop(self) -> asyncio.AbstractEventLoop | None:
        """The loop lines are batched on, when called from its thread while it is open; else None."""
        loop = self._loop
        if loop is None or threading.get_ident() != self._loop_thread or loop.is_closed():
            return None
        return loop

    def _queue(self, loop: asyncio.AbstractEventLoop, line: str) -> None:
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
        self._frames: dict[tuple[str, int], tuple[str, str]] = {}  # (logger, level) -> text around the message
        self._frames_second = -1

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - logging's name
        second = int(record.created)
        if second != self._second:
            self._text = super().formatTime(record, datefmt)
            self._second = second
        return self._text

    def frame(self, name: str, level: int) -> tuple[str, str]:
        """(before, after) the message in a line of logger `name` at `level` this second: the format holds
        nothing else that changes per record (`quiet_records`: no process, thread or caller fields)."""
        second = int(time.time())
        if second != self._frames_second:
            self._frames.clear()
            self._frames_second = second
        frame = self._frames.get((name, level))
        if frame is None:
            record = logging.LogRecord(name, level, "", 0, _MARK, None, None)
            record.created = float(second)
            frame = self._frames[(name, level)] = tuple(self.format(record).split(_MARK, 1))  # type: ignore[assignment]
        return frame


_MARK = "\0message\0"


def info_line(logger: logging.Logger, text: str) -> None:
    """`logger.info("%s", text)` for a line per request (API Gateway's request log): when `pocketcloud up`'s
    batched handler is the only place the line goes, the line is made from the formatter's per-second frame
    (~1 µs) instead of a LogRecord passing through logging's machinery (~10 µs of the event loop)."""
    if not logger.isEnabledFor(logging.INFO):
        return
    handler = _sole_handler(logger)
    if handler is None or not handler.append_line(logger, logging.INFO, text):
        logger.info("%s", text)


def _sole_handler(logger: logging.Logger) -> LoopBatchedHandler | None:
    """The LoopBatchedHandler if it is the only handler `logger`'s records reach and no filter is in the way
    (a test's log capture adds its own handler: then the normal path)."""
    found = None
    node: Any = logger
    while node is not None:
        if node.filters:
            return None
        for handler in node.handlers:
            if found is not None or not isinstance(handler, LoopBatchedHandler) or handler.filters \
                    or handler.level > logging.INFO:
                return None
            found = handler
        if not node.propagate:
            break
        node = node.parent
    return found


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
