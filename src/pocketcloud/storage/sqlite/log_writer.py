"""The log writer process: appends CloudWatch Logs events to logs.sqlite3 for the server (storage/sqlite/logs.py).

Run as a script by the server, never imported by it: `python log_writer.py <path> <synchronous>`. It reads frames
from stdin — a 4-byte big-endian length, then a JSON array — and writes everything that arrived together in one
transaction:

    ["batch", [[account, region, group, stream, [[ts, message], ...], ingested], ...]]   append events
    ["import", [[seq, account, region, group, stream, ts, ingested, message], ...]]      copy old events over
    ["delete", account, region, group, stream or null]                                   drop a group / a stream
    ["sync", n]          after committing what came before it, answer "n\\n" on stdout
    ["stop"]             commit, checkpoint, exit (so does the end of stdin: the server went away)

It prints "ready\\n" once the schema exists. Only the standard library and orjson: it starts in ~30 ms.
Why a process: a writer thread in the server held the GIL for every batch it built and bound, and took it over
each time the event loop released it for a socket call; the loop then waited to get it back.
"""

from __future__ import annotations

import os
import select
import sqlite3
import struct
import sys

try:
    import orjson

    _loads = orjson.loads
except ImportError:  # pragma: no cover - orjson is a dependency of pocketcloud
    import json

    _loads = json.loads

SCHEMA = """
CREATE TABLE IF NOT EXISTS log_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, stream TEXT NOT NULL,
    ts INTEGER NOT NULL, ingested INTEGER NOT NULL, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_events_stream ON log_events (account, region, grp, stream, ts, seq);
CREATE INDEX IF NOT EXISTS log_events_group ON log_events (account, region, grp, ts, seq);
"""
_LENGTH = struct.Struct(">I")
_CHUNKS = (1024, 256, 64, 16, 4, 1)  # rows per INSERT statement: few distinct statements, all kept prepared
_READ_BYTES = 1 << 20
# Frames taken into one transaction at most before committing (a sync waits for no more than this).
_MAX_FRAMES = 512


def connect(path: str, synchronous: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, cached_statements=64)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.executescript(SCHEMA)
    return conn


class Writer:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        most = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // 7  # 999 before SQLite 3.32, then 32766
        self.chunks = tuple(n for n in _CHUNKS if n <= most)
        self.statements: dict[int, str] = {}

    def insert_sql(self, rows: int) -> str:
        sql = self.statements.get(rows)
        if sql is None:
            sql = self.statements[rows] = (
                "INSERT INTO log_events (account, region, grp, stream, ts, ingested, message) VALUES "
                + ",".join(["(?,?,?,?,?,?,?)"] * rows))
        return sql

    def apply(self, frames: list[list]) -> tuple[list[int], bool]:
        """Write the frames in one transaction: (sync numbers to answer, stop?)."""
        syncs = [frame[1] for frame in frames if frame[0] == "sync"]  # answered even if the write fails
        stop = any(frame[0] == "stop" for frame in frames)
        values: list = []
        c = self.conn
        c.execute("BEGIN IMMEDIATE")
        try:
            for frame in frames:
                kind = frame[0]
                if kind == "batch":
                    for account, region, group, stream, events, ingested in frame[1]:
                        for ts, message in events:
                            values += (account, region, group, stream, ts, ingested, message)
                    continue
                self.insert(values)  # keep the order: a delete or import after appends sees them
                values = []
                if kind == "delete":
                    _, account, region, group, stream = frame
                    if stream is None:
                        c.execute("DELETE FROM log_events WHERE account=? AND region=? AND grp=?", (account, region, group))
                    else:
                        c.execute("DELETE FROM log_events WHERE account=? AND region=? AND grp=? AND stream=?",
                                  (account, region, group, stream))
                elif kind == "import":
                    c.executemany("INSERT OR IGNORE INTO log_events (seq, account, region, grp, stream, ts, ingested,"
                                  " message) VALUES (?,?,?,?,?,?,?,?)", frame[1])
            self.insert(values)
            c.execute("COMMIT")
        except Exception as e:  # noqa: BLE001 - report and go on: one bad batch must not stop the logs
            c.execute("ROLLBACK")
            print(f"pocketcloud log writer: could not write {len(frames)} frames: {e}", file=sys.stderr, flush=True)
        return syncs, stop

    def insert(self, values: list) -> None:
        at, total = 0, len(values) // 7
        while at < total:
            size = next(n for n in self.chunks if n <= total - at)
            self.conn.execute(self.insert_sql(size), values[at * 7:(at + size) * 7])
            at += size


def say(out: "object", data: bytes) -> None:
    """Answer the server; one that stopped listening (it is closing) is no reason to stop writing."""
    try:
        out.write(data)  # type: ignore[attr-defined]
        out.flush()  # type: ignore[attr-defined]
    except BrokenPipeError:
        pass


def main(path: str, synchronous: str = "NORMAL") -> int:
    conn = connect(path, synchronous)
    writer = Writer(conn)
    out = sys.stdout.buffer
    say(out, b"ready\n")
    stdin = sys.stdin.buffer.fileno()
    buffer = b""
    ended = False
    while not ended:
        data = os.read(stdin, _READ_BYTES)
        if not data:
            ended = True
        buffer += data
        frames: list[list] = []
        while True:
            while len(buffer) >= 4:
                end = 4 + _LENGTH.unpack_from(buffer)[0]
                if len(buffer) < end:
                    break
                frames.append(_loads(buffer[4:end]))
                buffer = buffer[end:]
            # Whatever else is already in the pipe joins this transaction.
            if ended or len(frames) >= _MAX_FRAMES or not select.select([stdin], [], [], 0)[0]:
                break
            more = os.read(stdin, _READ_BYTES)
            if not more:
                ended = True
            buffer += more
        if not frames:
            continue
        syncs, stop = writer.apply(frames)
        if syncs:
            say(out, b"".join(b"%d\n" % n for n in syncs))
        if stop:
            break
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
