"""The asynchronous invocation queue: Event invokes are stored in the ResourceStore (so they survive a restart)
and run in the background, retried twice on function errors.

Follows https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html, with AWS's retry delays (1 and 2
minutes) shortened to RETRY_DELAYS seconds (config.extra["lambda_async_retry_delays"] = "1,2" overrides them).
Delivery is at least once, as on AWS: an event is removed only after its run finished.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
import uuid
from typing import Any

from pocketcloud.storage.base import Scope

from .errors import FunctionNotFound, ResourceNotFoundException, TooManyRequestsException
from .models import FunctionRef, resolve

log = logging.getLogger(__name__)

SCOPE = Scope("lambda", "", "")  # one queue for every account and region
KIND = "event"
RETRY_DELAYS = (1.0, 2.0)
THROTTLE_DELAY = 1.0
MAX_EVENT_AGE_S = 6 * 3600
POLL_S = 1.0
MAX_PARALLEL = 32
_KEY = "lambda.queue"


class EventQueue:
    def __init__(self, state: Any) -> None:
        self.state = state
        extra = (state.config.extra or {}).get("lambda_async_retry_delays")
        self.retry_delays = tuple(float(x) for x in extra.split(",")) if extra else RETRY_DELAYS
        self._wake = asyncio.Event()
        self._running: set[str] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop_task: asyncio.Task[Any] | None = None

    def start(self) -> None:
        if self._loop_task is None:
            self._loop_task = self.state.spawn(self._run_forever(), "lambda-async-queue")

    async def stop(self) -> None:
        for task in [self._loop_task, *self._tasks]:
            if task is not None:
                task.cancel()

    def enqueue(self, ref: FunctionRef, payload: bytes, *, request_id: str) -> None:
        now = time.time()
        doc = {
            "account": ref.account, "region": ref.region, "function": ref.name, "qualifier": ref.qualifier,
            "payload": base64.b64encode(payload).decode(), "request_id": request_id, "attempt": 0,
            "due": now, "created": now,
        }
        self.state.storage.resources.put(SCOPE, KIND, _key(now, request_id), doc)
        self.start()
        self._wake.set()

    def pending(self) -> int:
        return len(self.state.storage.resources.list(SCOPE, KIND))

    async def _run_forever(self) -> None:
        while True:
            self._wake.clear()
            wait = POLL_S
            now = time.time()
            for key, doc in self.state.storage.resources.list(SCOPE, KIND, limit=MAX_PARALLEL * 4):
                if doc["due"] > now:
                    wait = min(wait, doc["due"] - now)
                    break  # keys sort by due time
                if key in self._running or len(self._running) >= MAX_PARALLEL:
                    continue
                self._running.add(key)
                task = asyncio.ensure_future(self._execute(key, doc))
                self._tasks.add(task)
                task.add_done_callback(self._done(key))
            try:
                await asyncio.wait_for(self._wake.wait(), max(0.01, wait))
            except asyncio.TimeoutError:
                pass

    def _done(self, key: str) -> Any:
        def callback(task: asyncio.Task[Any]) -> None:
            self._running.discard(key)
            self._tasks.discard(task)
            self._wake.set()
            if not task.cancelled() and task.exception() is not None:
                log.error("async invoke %s failed", key, exc_info=task.exception())
        return callback

    async def _execute(self, key: str, doc: dict[str, Any]) -> None:
        from .invoker import run

        store = self.state.storage.resources
        ref = FunctionRef(doc["function"], doc["qualifier"], doc["account"], doc["region"])
        failed = False
        try:
            resolved = resolve(store, ref)
            result = await run(self.state, ref, resolved, base64.b64decode(doc["payload"]), request_id=doc["request_id"])
            failed = result.function_error is not None
        except (FunctionNotFound, ResourceNotFoundException):
            log.warning("async invoke %s: function %s no longer exists; event dropped", doc["request_id"], ref.name)
        except TooManyRequestsException:
            if time.time() - doc["created"] < MAX_EVENT_AGE_S:
                self._reschedule(key, doc, THROTTLE_DELAY, doc["attempt"])
                return
        except Exception:  # noqa: BLE001 - a platform failure counts as a failed attempt
            log.exception("async invoke %s of %s failed", doc["request_id"], ref.name)
            failed = True
        if failed and doc["attempt"] < len(self.retry_delays):
            self._reschedule(key, doc, self.retry_delays[doc["attempt"]], doc["attempt"] + 1)
            return
        if failed:
            log.warning("async invoke %s of %s failed after %d attempts; event dropped",
                        doc["request_id"], ref.name, doc["attempt"] + 1)
        store.delete(SCOPE, KIND, key)

    def _reschedule(self, key: str, doc: dict[str, Any], delay: float, attempt: int) -> None:
        store = self.state.storage.resources
        due = time.time() + delay
        with store.transaction():
            store.delete(SCOPE, KIND, key)
            store.put(SCOPE, KIND, _key(due, doc["request_id"]), {**doc, "due": due, "attempt": attempt})


def _key(due: float, request_id: str) -> str:
    return f"{int(due * 1000):015d}:{request_id or uuid.uuid4()}"


def get_queue(state: Any) -> EventQueue:
    queue = state.runtime.get(_KEY)
    if queue is None:
        from .runtime import get_runtime

        queue = state.runtime[_KEY] = EventQueue(state)
        get_runtime(state).queue = queue
    return queue


def start_queue(state: Any) -> None:
    """on_startup hook: resume events left from before a restart."""
    get_queue(state).start()
