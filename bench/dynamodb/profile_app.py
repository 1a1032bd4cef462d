"""pocketcloud's own cost per request, without HTTP: PutItem / GetItem / Query straight through the ASGI app.

    python bench/dynamodb/profile_app.py [--ops put,get,query] [--seconds 2] [--profile] [--in-memory]

Calls `App.__call__` with an in-process receive/send pair (what uvicorn would hand it), so the figures are
pocketcloud's parsing, validation, operation, SQLite and serialization — no sockets, no uvicorn. `--profile`
prints cProfile's top functions per op (cProfile inflates Python-heavy code; compare µs/op without it).
Figures are the best of 5 rounds: the machine is shared, the fastest round is the least disturbed. CPU µs/op
(process time) moves less than wall time when other work shares the cores; wall time also holds SQLite's I/O
waits (WAL checkpoints fsync).
Data goes to a temporary directory (durable WAL mode, as `pocketcloud up`) unless --in-memory.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from pocketcloud.config import Config
from pocketcloud.server.app import App

AUTH = (b"AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, "
        b"Signature=0")
PAYLOAD = "x" * 100
ITEMS = 10_000


def _scope(target: str, length: int) -> dict[str, Any]:
    return {
        "type": "http", "method": "POST", "path": "/", "raw_path": b"/", "query_string": b"",
        "client": ("127.0.0.1", 50000),
        "headers": [(b"host", b"127.0.0.1:4566"), (b"content-type", b"application/x-amz-json-1.0"),
                    (b"x-amz-target", f"DynamoDB_20120810.{target}".encode()), (b"x-amz-date", b"20260101T000000Z"),
                    (b"authorization", AUTH), (b"content-length", str(length).encode())],
    }


async def call(app: App, target: str, body: dict[str, Any]) -> tuple[int, bytes]:
    raw = orjson.dumps(body)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": raw, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(_scope(target, len(raw)), receive, send)
    return sent[0]["status"], sent[1]["body"]


def _item(i: int, pk: str | None = None) -> dict[str, Any]:
    return {"pk": {"S": pk or f"p{i // 100:06d}"}, "sk": {"N": str(i % 100)}, "n": {"N": str(i % 100 * 7)},
            "data": {"S": PAYLOAD}}


def _request(op: str, i: int) -> tuple[str, dict[str, Any]]:
    if op == "put":
        return "PutItem", {"TableName": "puts", "Item": _item(0, pk=f"w{i}")}
    j = (i * 7919) % ITEMS
    if op == "get":
        return "GetItem", {"TableName": "small", "Key": {"pk": {"S": f"p{j // 100:06d}"}, "sk": {"N": str(j % 100)}}}
    return "Query", {"TableName": "small", "KeyConditionExpression": "pk = :p",
                     "ExpressionAttributeValues": {":p": {"S": f"p{j // 100:06d}"}}, "Limit": 10}


async def setup(app: App) -> None:
    await app.startup()
    for name in ("small", "puts"):
        status, body = await call(app, "CreateTable", {
            "TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                     {"AttributeName": "sk", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]})
        assert status == 200, body
    for i in range(ITEMS):
        status, body = await call(app, "PutItem", {"TableName": "small", "Item": _item(i)})
        assert status == 200, body


async def measure(app: App, op: str, seconds: float, profile: bool) -> tuple[float, float, int, str]:
    target, body = _request(op, 0)
    status, out = await call(app, target, body)
    if status != 200:
        return 0.0, 0.0, 0, f"{target} answered {status}: {out[:200]!r}"
    profiler = cProfile.Profile() if profile else None
    # Best of 5 rounds: the machine is shared (2 cores), and the fastest round is the one least disturbed.
    n, i, best, best_cpu = 0, 1, float("inf"), float("inf")
    if profiler:
        profiler.enable()
    for _ in range(5):
        deadline = time.perf_counter() + seconds / 5
        t0, c0, done = time.perf_counter(), time.process_time(), 0
        while time.perf_counter() < deadline:  # bounded in time
            for _ in range(100):
                target, body = _request(op, i)
                await call(app, target, body)
                i += 1
            done += 100
        best = min(best, (time.perf_counter() - t0) / done)
        best_cpu = min(best_cpu, (time.process_time() - c0) / done)
        n += done
    if profiler:
        profiler.disable()
    text = ""
    if profiler:
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats("tottime").print_stats(25)
        text = buf.getvalue()
    return best * 1e6, best_cpu * 1e6, n, text


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="pocketcloud-profile-") as tmp:
        app = App(Config(data_dir=Path(tmp) / "data", in_memory=args.in_memory, log_level="warning"))
        await setup(app)
        try:
            for op in args.ops.split(","):
                us, cpu, n, text = await measure(app, op, args.seconds, args.profile)
                print(f"{op}: {us:.1f} µs/op in-process, CPU {cpu:.1f} µs/op, best of 5 rounds ({n:,} calls, "
                      f"{1e6 / us if us else 0:,.0f} op/s on one core)")
                if text:
                    print(text)
        finally:
            await app.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ops", default="put,get,query")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--in-memory", action="store_true")
    args = parser.parse_args()
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
