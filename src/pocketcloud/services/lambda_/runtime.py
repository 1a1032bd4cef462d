"""Lambda's per-server runtime objects: the worker pool (shared by the API, the async queue and API Gateway)
and where its log lines go (CloudWatch Logs, /aws/lambda/<name>)."""

from __future__ import annotations

import logging
from typing import Any

from pocketcloud.functions import FunctionSpec, WorkerPool
from pocketcloud.services.logs.model import flush, write_events

log = logging.getLogger(__name__)

_KEY = "lambda"


class LambdaRuntime:
    def __init__(self, state: Any) -> None:
        self.state = state
        self.pool = WorkerPool(
            endpoint_url=state.config.endpoint_url,
            log_sink=self._log_sink,
            idle_timeout=state.config.function_idle_seconds,
        )
        self.queue: Any = None  # the async event queue (queue.py), started by the service's on_startup
        state.on_close(self.close)

    def _log_sink(self, spec: FunctionSpec, stream: str, lines: list[tuple[int, str]]) -> None:
        if lines:
            write_events(self.state, spec.account_id, spec.region, spec.log_group, stream, lines)

    async def close(self) -> None:
        if self.queue is not None:
            await self.queue.stop()
        await self.pool.close()
        flush(self.state)  # the last lines (workers stopped just now) before the storage closes


def get_runtime(state: Any) -> LambdaRuntime:
    """The server's LambdaRuntime, made on first use (API Gateway may invoke before any Lambda API call)."""
    runtime = state.runtime.get(_KEY)
    if runtime is None:
        runtime = state.runtime[_KEY] = LambdaRuntime(state)
        from .queue import get_queue

        # Events queued before a restart run as soon as anything (an API Gateway invoke too) needs Lambda.
        get_queue(state).start()
    return runtime
