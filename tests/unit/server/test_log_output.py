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
