"""Ceilings for pocketcloud's numbers: the same uvicorn + uvloop + httptools stack with (almost) nothing behind it.

- `bare`: read the body, answer 200 `{}` — what the HTTP stack alone costs per request.
- `sqlite_insert`: read the body, store it in SQLite in its own transaction (WAL, synchronous=NORMAL, as
  pocketcloud's engine does) — what a durable write costs before any DynamoDB work.
Run with `uvicorn baselines:bare --app-dir bench/dynamodb` (run.py does).
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
