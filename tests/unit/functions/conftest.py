"""Fixtures for the function engine tests: one event loop and worker pool per module, functions in tmp dirs."""

from __future__ import annotations

import asyncio
import json
import textwrap
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pocketcloud.functions import FunctionSpec, InvokeResult, WorkerPool

INVOKE_TIMEOUT_S = 20


class Engine:
    """A worker pool on its own event loop, with the log lines it emitted, for synchronous tests."""

    def __init__(self, endpoint_url: str, idle_timeout: float = 300) -> None:
        self.loop = asyncio.new_event_loop()
        self.logs: dict[str, list[tuple[str, list[tuple[int, str]]]]] = defaultdict(list)
        self.pool = self.run(self._make_pool(endpoint_url, idle_timeout))

    async def _make_pool(self, endpoint_url: str, idle_timeout: float) -> WorkerPool:
        return WorkerPool(endpoint_url=endpoint_url, log_sink=self._sink, idle_timeout=idle_timeout)

    def _sink(self, spec: FunctionSpec, stream: str, lines: list[tuple[int, str]]) -> None:
        self.logs[spec.name].append((stream, lines))

    def run(self, coro, timeout: float = INVOKE_TIMEOUT_S):
        return self.loop.run_until_complete(asyncio.wait_for(coro, timeout))

    def invoke(self, spec: FunctionSpec, event: object = None, **kwargs) -> InvokeResult:
        payload = json.dumps({} if event is None else event).encode()
        return self.run(self.pool.invoke(spec, payload, request_id=str(uuid.uuid4()), **kwargs))

    def log_messages(self, spec: FunctionSpec) -> list[str]:
        return [message for _, lines in self.logs[spec.name] for _, message in lines]

    def close(self) -> None:
        self.run(self.pool.close())
        self.loop.close()


class FakeAws:
    """A tiny HTTP server on 127.0.0.1 standing in for pocketcloud; records requests, answers JSON."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.response: dict = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body.decode()})
                data = json.dumps(fake.response).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-amz-json-1.0")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def fake_aws() -> Iterator[FakeAws]:
    fake = FakeAws()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def engine(fake_aws: FakeAws) -> Iterator[Engine]:
    eng = Engine(fake_aws.url)
    yield eng
    eng.close()


@pytest.fixture
def make_function(tmp_path: Path):
    """Write `files` into a fresh code dir and describe it as a function."""

    def make(runtime: str, handler: str, files: dict[str, str], **overrides) -> FunctionSpec:
        name = overrides.pop("name", f"fn-{uuid.uuid4().hex[:10]}")
        code_dir = tmp_path / name
        for relative, text in files.items():
            path = code_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        fields = dict(
            name=name, arn=f"arn:aws:lambda:us-west-2:123456789012:function:{name}", version="$LATEST",
            runtime=runtime, handler=handler, code_dir=code_dir, code_sha256=uuid.uuid4().hex, timeout=5,
            memory_mb=128, environment={}, region="us-west-2", account_id="123456789012",
        )
        fields.update(overrides)
        return FunctionSpec(**fields)

    return make


def body(result: InvokeResult) -> object:
    return json.loads(result.payload)
