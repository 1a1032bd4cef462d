"""Ceilings for pocketcloud's numbers: the same uvicorn + uvloop + httptools stack with (almost) nothing behind it.

- `bare`: read the body, answer 200 `{}` — what the HTTP stack alone costs per request.
- `sqlite_insert`: read the body, store it in SQLite in its own transaction (WAL, synchronous=NORMAL, as
  pocketcloud's engine does) — what a durable write costs before any DynamoDB work.
- `bare-http`: pocketcloud's own HTTP server (server/http.py) with a handler answering 200 `{}` — the same
  ceiling for `pocketcloud up`'s default server.
Run with `uvicorn baselines:bare --app-dir bench/dynamodb`, or `python bench/dynamodb/baselines.py bare-http
--port P` (run.py does).
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

_HEADERS = [(b"content-type", b"application/x-amz-json-1.0"), (b"content-length", b"2")]


async def _body(receive: Any) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def bare(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await _body(receive)
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": b"{}"})


_conn: sqlite3.Connection | None = None


def _db() -> sqlite3.Connection:
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(os.environ.get("BENCH_SQLITE_PATH", "baseline.db"), isolation_level=None)
        _conn.execute("PRAGMA journal_mode=WAL")
        _conn.execute("PRAGMA synchronous=NORMAL")
        _conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
    return _conn


async def sqlite_insert(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = await _body(receive)
    conn = _db()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t (body) VALUES (?)", (body,))
    conn.execute("COMMIT")
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": b"{}"})


class BareApp:
    """What server/http.py needs of an App (startup, handle, shutdown), answering 200 `{}` to everything."""

    async def startup(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def handle(self, request: Any) -> Any:
        from pocketcloud.protocols.base import Response

        return Response(200, b"{}", {"content-type": "application/x-amz-json-1.0"})


if __name__ == "__main__":
    import argparse

    from pocketcloud.server import http

    parser = argparse.ArgumentParser()
    parser.add_argument("which", choices=["bare-http"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    raise SystemExit(http.run(BareApp(), "127.0.0.1", args.port))  # type: ignore[arg-type]
