"""The worker pool: concurrency, reuse keys, drop, scale to zero, unsupported runtimes."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
import uuid

import pytest

from pocketcloud.functions import RuntimeNotInstalled, UnsupportedRuntime, check_runtime
from pocketcloud.functions import runtimes

from .conftest import Engine, body

PID = "import os, time\ndef handler(event, context):\n    time.sleep(event.get('sleep', 0))\n    return os.getpid()\n"


def test_concurrent_invokes_run_on_separate_workers_and_count_as_in_flight(engine, make_function):
    spec = make_function("python3.12", "app.handler", {"app.py": PID})
    seen = []

    async def both():
        async def probe():
            deadline = time.monotonic() + 5
            while engine.pool.in_flight(spec.name) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            seen.append(engine.pool.in_flight(spec.name))

        payload = json.dumps({"sleep": 0.3}).encode()
        calls = [engine.pool.invoke(spec, payload, request_id=str(uuid.uuid4())) for _ in range(2)]
        return await asyncio.gather(*calls, probe())

    first, second, _ = engine.run(both())
    assert body(first) != body(second)
    assert seen == [2]
    assert engine.pool.in_flight(spec.name) == 0


def test_a_changed_environment_gets_a_fresh_worker(engine, make_function):
    spec = make_function("python3.12", "app.handler", {"app.py": PID})
    changed = dataclasses.replace(spec, environment={"X": "1"})
    assert body(engine.invoke(spec)) != body(engine.invoke(changed))


def test_drop_stops_idle_workers_so_the_next_invoke_is_cold(engine, make_function):
    spec = make_function("python3.12", "app.handler", {"app.py": PID})
    first = engine.invoke(spec)
    engine.run(engine.pool.drop(spec.name))
    second = engine.invoke(spec)
    assert body(first) != body(second)
    assert second.init_ms is not None


def test_idle_workers_are_stopped_after_the_idle_timeout(fake_aws, make_function):
    eng = Engine(fake_aws.url, idle_timeout=0.2)
    try:
        spec = make_function("python3.12", "app.handler", {"app.py": PID})
        first = eng.invoke(spec)
        eng.run(asyncio.sleep(0.8))
        second = eng.invoke(spec)
        assert body(first) != body(second)
        assert second.init_ms is not None
    finally:
        eng.close()


def test_invoking_an_unsupported_runtime_raises_unsupported_runtime(engine, make_function):
    spec = make_function("java8", "example.Handler::handleRequest", {})
    with pytest.raises(UnsupportedRuntime, match="java8 is not supported"):
        engine.invoke(spec)


@pytest.mark.parametrize("name", ["java8", "java21", "dotnet6", "go1.x", "provided.al2", "ruby3.2", "cobol1"])
def test_check_runtime_rejects_runtimes_that_cannot_run_locally(name):
    with pytest.raises(UnsupportedRuntime):
        check_runtime(name)


@pytest.mark.parametrize("name", ["python2.7", "python3.8", "python3.13", "nodejs", "nodejs4.3", "nodejs6.10", "nodejs20.x"])
def test_check_runtime_accepts_python_and_node_runtimes(name):
    check_runtime(name)


def test_check_runtime_names_node_when_it_is_not_installed(monkeypatch):
    monkeypatch.setattr(runtimes.shutil, "which", lambda _: None)
    with pytest.raises(RuntimeNotInstalled, match="install `node`"):
        check_runtime("nodejs16.x")


def test_a_log_sink_that_raises_does_not_fail_the_invoke(fake_aws, make_function):
    eng = Engine(fake_aws.url)

    def broken(*_):
        raise RuntimeError("sink down")

    eng.pool.log_sink = broken
    try:
        spec = make_function("python3.12", "app.handler", {"app.py": PID})
        assert eng.invoke(spec).function_error is None
    finally:
        eng.close()
