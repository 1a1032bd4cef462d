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

    def _loads(data):  # type: ignore[no-untyped-def]
        return json.loads(bytes(data))

# Events carry small integer ids of their group and stream (names live once in log_groups / log_streams): index
# entries of ~20 bytes instead of ~120. Measured writing 15-row transactions: 13.1 -> 8.1 µs CPU per row; with ten
# times the rows per transaction, 8.0 -> 4.0.
SCHEMA = """
CREATE TABLE IF NOT EXISTS log_groups (
    gid INTEGER PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL,
    UNIQUE (account, region, grp)
);
CREATE TABLE IF NOT EXISTS log_streams (
    sid INTEGER PRIMARY KEY, gid INTEGER NOT NULL, stream TEXT NOT NULL,
    UNIQUE (gid, stream)
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    gid INTEGER NOT NULL, sid INTEGER NOT NULL, ts INTEGER NOT NULL, ingested INTEGER NOT NULL, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_stream ON events (sid, ts, seq);
CREATE INDEX IF NOT EXISTS events_group ON events (gid, ts, seq);
"""
_LENGTH = struct.Struct(">I")
_CHUNKS = (1024, 256, 64, 16, 4, 1)  # rows per INSERT statement: few distinct statements, all kept prepared
_COLUMNS = 5
_READ_BYTES = 65536  # a bigger read allocates (and maps) a bigger buffer each time
# Frames taken into one transaction at most before committing (a sync waits for no more than this).
_MAX_FRAMES = 512


def connect(path: str, synchronous: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, cached_statements=64)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.executescript(SCHEMA)
    migrate(conn)
    return conn


def migrate(conn: sqlite3.Connection) -> None:
    """A logs.sqlite3 from before the ids (one log_events table with the names in every row): move it over."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='log_events'").fetchone() is None:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("INSERT OR IGNORE INTO log_groups (account, region, grp)"
                     " SELECT DISTINCT account, region, grp FROM log_events")
        conn.execute("INSERT OR IGNORE INTO log_streams (gid, stream) SELECT DISTINCT g.gid, e.stream"
                     " FROM log_events e JOIN log_groups g ON g.account=e.account AND g.region=e.region AND g.grp=e.grp")
        conn.execute("INSERT INTO events (seq, gid, sid, ts, ingested, message)"
                     " SELECT e.seq, g.gid, s.sid, e.ts, e.ingested, e.message FROM log_events e"
                     " JOIN log_groups g ON g.account=e.account AND g.region=e.region AND g.grp=e.grp"
                     " JOIN log_streams s ON s.gid=g.gid AND s.stream=e.stream ORDER BY e.seq")
        conn.execute("DROP TABLE log_events")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class Writer:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        most = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // _COLUMNS  # 999 before SQLite 3.32
        self.chunks = tuple(n for n in _CHUNKS if n <= most)
        self.statements: dict[int, str] = {}
        self.ids: dict[tuple[str, str, str, str], tuple[int, int]] = {}  # (account, region, group, stream) -> ids

    def insert_sql(self, rows: int) -> str:
        sql = self.statements.get(rows)
        if sql is None:
            sql = self.statements[rows] = (
                "INSERT INTO events (gid, sid, ts, ingested, message) VALUES " + ",".join(["(?,?,?,?,?)"] * rows))
        return sql

    def stream_ids(self, account: str, region: str, group: str, stream: str) -> tuple[int, int]:
        key = (account, region, group, stream)
        ids = self.ids.get(key)
        if ids is None:
            c = self.conn
            c.execute("INSERT OR IGNORE INTO log_groups (account, region, grp) VALUES (?,?,?)", (account, region, group))
            gid = c.execute("SELECT gid FROM log_groups WHERE account=? AND region=? AND grp=?",
                            (account, region, group)).fetchone()[0]
            c.execute("INSERT OR IGNORE INTO log_streams (gid, stream) VALUES (?,?)", (gid, stream))
            sid = c.execute("SELECT sid FROM log_streams WHERE gid=? AND stream=?", (gid, stream)).fetchone()[0]
            ids = self.ids[key] = (gid, sid)
        return ids

    def apply(self, frames: list[list]) -> tuple[list[int], bool]:
        """Write the frames in one transaction: (sync numbers to answer, stop?)."""
        syncs = [frame[1] for frame in frames if frame[0] == "sync"]  # answered even if the write fails
        stop = any(frame[0] == "stop" for frame in frames)
        values: list = []
        c = self.conn
        ids = self.ids
        c.execute("BEGIN IMMEDIATE")
        try:
            for frame in frames:
                kind = frame[0]
                if kind == "batch":
                    for account, region, group, stream, events, ingested in frame[1]:
                        gid, sid = ids.get((account, region, group, stream)) or self.stream_ids(
                            account, region, group, stream)
                        for ts, message in events:
                            values += (gid, sid, ts, ingested, message)
                    continue
                self.insert(values)  # keep the order: a delete or import after appends sees them
                values = []
                if kind == "delete":
                    self.delete(*frame[1:])
                elif kind == "import":
                    for seq, account, region, group, stream, ts, ingested, message in frame[1]:
                        gid, sid = self.stream_ids(account, region, group, stream)
                        c.execute("INSERT OR IGNORE INTO events (seq, gid, sid, ts, ingested, message)"
                                  " VALUES (?,?,?,?,?,?)", (seq, gid, sid, ts, ingested, message))
            self.insert(values)
            c.execute("COMMIT")
        except Exception as e:  # noqa: BLE001 - report and go on: one bad batch must not stop the logs
            c.execute("ROLLBACK")
            self.ids.clear()  # ids made in the rolled-back transaction are gone too
            print(f"pocketcloud log writer: could not write {len(frames)} frames: {e}", file=sys.stderr, flush=True)
        return syncs, stop

    def delete(self, account: str, region: str, group: str, stream: str | None) -> None:
        c = self.conn
        row = c.execute("SELECT gid FROM log_groups WHERE account=? AND region=? AND grp=?",
                        (account, region, group)).fetchone()
        if row is None:
            return
        gid = row[0]
        if stream is None:
            c.execute("DELETE FROM events WHERE gid=?", (gid,))
            c.execute("DELETE FROM log_streams WHERE gid=?", (gid,))
            c.execute("DELETE FROM log_groups WHERE gid=?", (gid,))
            for key in [k for k in self.ids if k[:3] == (account, region, group)]:
                del self.ids[key]
        else:
            row = c.execute("SELECT sid FROM log_streams WHERE gid=? AND stream=?", (gid, stream)).fetchone()
            if row is not None:
                c.execute("DELETE FROM events WHERE sid=?", (row[0],))
                c.execute("DELETE FROM log_streams WHERE sid=?", (row[0],))
                self.ids.pop((account, region, group, stream), None)

    def insert(self, values: list) -> None:
        at, total = 0, len(values) // _COLUMNS
        while at < total:
            size = next(n for n in self.chunks if n <= total - at)
            self.conn.execute(self.insert_sql(size), values[at * _COLUMNS:(at + size) * _COLUMNS])
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
    buffer = bytearray()
    ended = False
    while not ended:
        data = os.read(stdin, _READ_BYTES)
        if not data:
            ended = True
        buffer += data
        frames: list[list] = []
        while True:
            at, size = 0, len(buffer)
            view = memoryview(buffer)
            while size - at >= 4:
                end = at + 4 + _LENGTH.unpack_from(buffer, at)[0]
                if end > size:
                    break
                frames.append(_loads(view[at + 4:end]))
                at = end
            view.release()
            del buffer[:at]  # one move of the unfinished frame's bytes per read, not one per frame
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
