"""pocketcloud up's log output: lines logged on the event loop go out together when the iteration ends."""

from __future__ import annotations

import asyncio
import io
import logging
import threading

from pocketcloud.server.log_output import LoopBatchedHandler


def _logger(handler: LoopBatchedHandler) -> logging.Logger:
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(f"test-log-output-{id(handler)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def test_lines_logged_in_one_loop_iteration_are_written_together_at_its_end() -> None:
    stream = io.StringIO()
    handler = LoopBatchedHandler(stream)
    log = _logger(handler)
    seen: list[str] = []

    async def main() -> None:
        handler.attach(asyncio.get_running_loop())
        log.info("one")
        log.info("two")
        seen.append(stream.getvalue())  # nothing written yet, mid-iteration
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        seen.append(stream.getvalue())
        log.info("three")
        handler.attach(None)  # stopping writes what waits
        seen.append(stream.getvalue())

    asyncio.run(main())
    assert seen == ["", "one\ntwo\n", "one\ntwo\nthree\n"]


def test_lines_from_another_thread_or_without_a_loop_are_written_at_once_and_in_order() -> None:
    stream = io.StringIO()
    handler = LoopBatchedHandler(stream)
    log = _logger(handler)
    log.info("before the loop")
    assert stream.getvalue() == "before the loop\n"

    async def main() -> None:
        handler.attach(asyncio.get_running_loop())
        log.info("on the loop")
        thread = threading.Thread(target=log.info, args=("from a thread",))
        thread.start()
        thread.join()
        handler.attach(None)

    asyncio.run(main())
    assert stream.getvalue() == "before the loop\non the loop\nfrom a thread\n"


def _seconds_logger(handler: LoopBatchedHandler, name: str) -> logging.Logger:
    from pocketcloud.server.log_output import SecondsFormatter

    handler.setFormatter(SecondsFormatter("%(asctime)s %(levelname)-5s %(name)s: %(message)s", "%H:%M:%S"))
    logger = logging.getLogger(name)
    logger.propagate = False
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    return logger


def test_info_line_writes_what_logger_info_would() -> None:
    from pocketcloud.server.log_output import info_line

    fast, slow = io.StringIO(), io.StringIO()
    fast_log = _seconds_logger(LoopBatchedHandler(fast), "test-info-line")
    slow_log = _seconds_logger(LoopBatchedHandler(slow), "test-info-line-ref")

    async def main() -> None:
        for log in (fast_log, slow_log):
            log.handlers[0].attach(asyncio.get_running_loop())
        for i in range(3):
            info_line(fast_log, f"request {i} -> 200 in 0.{i} ms")
            slow_log.info("request %d -> 200 in 0.%d ms", i, i)
        for log in (fast_log, slow_log):
            log.handlers[0].attach(None)

    asyncio.run(main())
    expected = slow.getvalue().replace("test-info-line-ref", "test-info-line")
    # (the two may straddle a second boundary: compare without the time)
    assert [line[9:] for line in fast.getvalue().splitlines()] == [line[9:] for line in expected.splitlines()]
    assert fast.getvalue().count("\n") == 3


def test_info_line_goes_through_logging_when_another_handler_listens() -> None:
    from pocketcloud.server.log_output import info_line

    stream = io.StringIO()
    log = _seconds_logger(LoopBatchedHandler(stream), "test-info-line-captured")
    seen: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    log.addHandler(Capture())

    async def main() -> None:
        log.handlers[0].attach(asyncio.get_running_loop())
        info_line(log, "captured")
        log.handlers[0].attach(None)

    asyncio.run(main())
    assert seen == ["captured"]
    assert stream.getvalue().endswith("INFO  test-info-line-captured: captured\n")


def test_info_line_is_silent_below_the_loggers_level() -> None:
    from pocketcloud.server.log_output import info_line

    stream = io.StringIO()
    log = _seconds_logger(LoopBatchedHandler(stream), "test-info-line-quiet")
    log.setLevel(logging.WARNING)
    info_line(log, "not shown")
    assert stream.getvalue() == ""
