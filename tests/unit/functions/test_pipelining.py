"""Invokes queued on a worker behind the running one (functions/pool.py PIPELINE_DEPTH, worker.py send_invoke):
each reads its own result in order, one that never started says so, its time limit starts when it starts, and
under load a quiet tiny function is pipelined without mixing up results or log lines."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest

from pocketcloud.functions import pool as pool_module
from pocketcloud.functions.worker import NotStarted

from .conftest import body

ECHO = """
import os, time
def handler(event, context):
    time.sleep(event.get("sleep", 0))
    if event.get("exit"):
        os._exit(3)
    return {"event": event, "id": context.aws_request_id, "left": context.get_remaining_time_in_millis(),
            "pid": os.getpid()}
"""
NODE_ECHO = """
exports.handler = async (event, context) => {
  if (event.sleep) await new Promise((resolve) => setTimeout(resolve, event.sleep * 1000));
  if (event.exit) process.exit(3);
  return { event, id: context.awsRequestId, left: context.getRemainingTimeInMillis(), pid: process.pid };
};
"""
# Both runtimes queue an invoke that arrives while one runs (Node.js's handler awaits: its process keeps reading).
RUNTIMES = pytest.mark.parametrize("runtime, files", [
    ("python3.12", {"app.py": ECHO}), ("nodejs20.x", {"app.js": NODE_ECHO}),
], ids=["python", "nodejs"])
QUIET = """
def handler(event, context):
    return {"event": event, "id": context.aws_request_id}
"""
NODE_QUIET = "exports.handler = async (event, context) => ({ event, id: context.awsRequestId });\n"


def _payload(event: dict) -> bytes:
    return json.dumps(event).encode()


def _worker(engine, spec):
    """A warm worker of `spec`, taken out of the pool's idle list (the test drives it directly)."""
    engine.invoke(spec, {})
    worker = engine.pool._take_idle(spec)
    assert worker is not None and worker.initialized
    return worker


@RUNTIMES
def test_invokes_sent_behind_a_running_one_read_their_own_results_in_order(engine, make_function, runtime, files):
    spec = make_function(runtime, "app.handler", files)
    worker = _worker(engine, spec)

    async def three():
        ids = [str(uuid.uuid4()) for _ in range(3)]
        first = asyncio.ensure_future(worker.invoke(_payload({"n": 0, "sleep": 0.2}), ids[0], None, time.monotonic()))
        await asyncio.sleep(0.05)  # the first is running in the worker
        numbers = [worker.send_invoke(_payload({"n": n}), ids[n], None) for n in (1, 2)]
        assert worker.inflight == 3
        rest = [worker.invoke(_payload({"n": n}), ids[n], None, time.monotonic(), sent=number)
                for n, number in zip((1, 2), numbers)]
        results = await asyncio.gather(first, *rest)
        return ids, [result for result, _ in results]

    ids, results = engine.run(three())
    for n, result in enumerate(results):
        assert body(result)["event"]["n"] == n
        assert body(result)["id"] == ids[n] == result.request_id
    assert worker.inflight == 0
    engine.run(engine.pool._release(worker))


@RUNTIMES
def test_an_invoke_queued_behind_one_that_ends_the_worker_never_started(engine, make_function, runtime, files):
    spec = make_function(runtime, "app.handler", files)
    worker = _worker(engine, spec)

    async def crash_then_queued():
        first = asyncio.ensure_future(worker.invoke(_payload({"exit": True, "sleep": 0.1}), "a", None, time.monotonic()))
        await asyncio.sleep(0.02)  # sent first
        number = worker.send_invoke(_payload({"n": 1}), "b", None)
        second = worker.invoke(_payload({"n": 1}), "b", None, time.monotonic(), sent=number)
        return await asyncio.gather(first, second, return_exceptions=True)

    (crashed, _), queued = engine.run(crash_then_queued())
    assert crashed.function_error == "Unhandled" and b"Runtime.ExitError" in crashed.payload
    assert isinstance(queued, NotStarted)
    assert not worker.alive


@RUNTIMES
def test_a_queued_invoke_gets_its_whole_time_limit_from_when_it_starts(engine, make_function, runtime, files):
    spec = make_function(runtime, "app.handler", files, timeout=2)
    worker = _worker(engine, spec)

    async def behind_a_slow_one():
        first = asyncio.ensure_future(worker.invoke(_payload({"sleep": 1.0}), "a", None, time.monotonic()))
        await asyncio.sleep(0.02)  # sent first
        number = worker.send_invoke(_payload({}), "b", None)
        second = worker.invoke(_payload({}), "b", None, time.monotonic(), sent=number)
        return await asyncio.gather(first, second)

    (slow, _), (queued, _) = engine.run(behind_a_slow_one())
    assert slow.function_error is None and queued.function_error is None
    assert body(queued)["left"] > 1900  # not the ~1000 ms left had its clock started when it was sent
    engine.run(engine.pool._release(worker))


@pytest.mark.parametrize("runtime, files", [
    ("python3.12", {"app.py": QUIET}), ("nodejs20.x", {"app.js": NODE_QUIET}),
], ids=["python", "nodejs"])
def test_a_quiet_tiny_function_under_load_is_pipelined_and_every_caller_gets_its_own_answer(
        engine, make_function, monkeypatch, runtime, files):
    monkeypatch.setattr(pool_module, "QUIET_BEFORE_PIPELINING", 4)
    monkeypatch.setattr(pool_module, "TINY_BUSY_BEFORE_WAITING", 2)
    spec = make_function(runtime, "app.handler", files)
    sent_behind = []
    real_fill = engine.pool._fill

    def counting_fill(demand, only=None):
        before = sum(w.inflight for w in demand.workers)
        real_fill(demand, only)
        sent_behind.append(sum(w.inflight for w in demand.workers) - before)

    monkeypatch.setattr(engine.pool, "_fill", counting_fill)

    async def load():
        async def one(n):
            rid = str(uuid.uuid4())
            result = await engine.pool.invoke(spec, _payload({"n": n}), request_id=rid)
            return n, rid, result

        for n in range(8):  # warm and quiet
            await one(n)
        return await asyncio.gather(*(one(n) for n in range(400)))

    for n, rid, result in engine.run(load(), timeout=60):
        assert result.function_error is None
        assert body(result)["event"] == {"n": n} and body(result)["id"] == rid
        messages = [message for _, message in result.log_lines]
        assert messages[0].startswith(f"START RequestId: {rid} ") and len(messages) == 3
    assert sum(sent_behind) > 0, "no invoke was ever queued behind a running one"
    assert engine.pool.in_flight(spec.name) == 0


def test_a_function_that_logs_is_not_pipelined_and_its_lines_stay_with_their_invoke(
        engine, make_function, monkeypatch):
    monkeypatch.setattr(pool_module, "QUIET_BEFORE_PIPELINING", 4)
    monkeypatch.setattr(pool_module, "TINY_BUSY_BEFORE_WAITING", 2)
    spec = make_function("python3.12", "app.handler", {"app.py": (
        "def handler(event, context):\n"
        "    print('line of', context.aws_request_id)\n"
        "    return event\n")})

    async def load():
        async def one(n):
            rid = str(uuid.uuid4())
            return rid, await engine.pool.invoke(spec, _payload({"n": n}), request_id=rid)
        return await asyncio.gather(*(one(n) for n in range(200)))

    for rid, result in engine.run(load(), timeout=60):
        messages = [message for _, message in result.log_lines]
        assert messages[1] == f"line of {rid}", messages
    assert not engine.pool._demand[spec.pool_key].pipelined()
    assert all(w.inflight == 0 for w in engine.pool._workers if w.spec.name == spec.name)
