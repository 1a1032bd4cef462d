"""CloudWatch Logs events in their own SQLite file, written by one background thread.

One append-only table, indexed by (group, stream, timestamp) and by (group, timestamp) for FilterLogEvents across
a group's streams. https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html

Function logs are written on every invoke; in the main database that write (the WAL append of the table and both
indexes, its COMMIT, the checkpoints it causes) ran on the event loop and cost 40-130 µs per invoke. Here appends
are handed to a writer thread through a queue and return at once; the thread writes whatever has queued up in one
transaction (SQLite releases the GIL while it steps, so the write overlaps the event loop's work). Reads and deletes
first wait until every append handed over before them is written ("flush, then read"), so the logs API sees
everything a function logged before the call, in order.
"""

from __future__ import annotations

import functools
import logging
import queue
import sqlite3
import threading
from pathlib import Path
from typing import Any

from ..base import LogEvent, LogStreamStats
from .engine import Engine

log = logging.getLogger(__name__)

LOG_SCHEMA = """
CREATE TABLE IF NOT EXISTS log_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, stream TEXT NOT NULL,
    ts INTEGER NOT NULL, ingested INTEGER NOT NULL, message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS log_events_stream ON log_events (account, region, grp, stream, ts, seq);
CREATE INDEX IF NOT EXISTS log_events_group ON log_events (account, region, grp, ts, seq);
"""
_CHUNKS = (1024, 256, 64, 16, 4, 1)  # rows per INSERT statement: few distinct statements, all kept prepared


@functools.lru_cache(maxsize=None)
def _insert_rows(rows: int) -> str:
    return ("INSERT INTO log_events (account, region, grp, stream, ts, ingested, message) VALUES "
            + ",".join(["(?,?,?,?,?,?,?)"] * rows))


Batch = list[tuple[str, str, str, str, list[tuple[int, str]], int]]
_STOP = object()
# Appends the writer takes into one transaction at most (each a batch of several invokes' events).
_MAX_TAKE = 256


class SqliteLogStore:
    """The LogStore over its own connection (`path`, or memory when None); appends are written by a thread."""

    def __init__(self, path: Path | None, *, synchronous: str = "NORMAL") -> None:
        self.engine = Engine(path, synchronous=synchronous, schema=LOG_SCHEMA)
        self.conn = self.engine.conn
        most = self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // 7  # 999 before SQLite 3.32, then 32766
        self._chunks = tuple(n for n in _CHUNKS if n <= most)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._progress = threading.Condition(threading.Lock())
        self._handed = 0  # appends handed to the writer
        self._written = 0  # appends the writer is done with (written, or failed and logged)
        self._closed = False
        self._writer = threading.Thread(target=self._run, name="pocketcloud-logs-writer", daemon=True)
        self._writer.start()

    # -- writes: handed over ------------------------------------------------------------------------------
    def append(self, account: str, region: str, group: str, stream: str, events: list[tuple[int, str]],
               ingestion_time: int) -> None:
        if events:
            self.append_batch([(account, region, group, stream, events, ingestion_time)])

    def append_batch(self, batch: Batch) -> None:
        """Several appends — (account, region, group, stream, events, ingestion_time) each — in one write,
        done by the writer thread; readers wait for it."""
        if not batch:
            return
        if self._closed:  # after close (a late flush): write here rather than lose the events
            self._write([batch])
            return
        with self._progress:
            self._handed += 1
        self._queue.put(batch)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            taken = [item]
            while len(taken) < _MAX_TAKE:
                try:
                    taken.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(t is _STOP for t in taken)
            batches = [t for t in taken if t is not _STOP]
            try:
                self._write(batches)
            except Exception:  # noqa: BLE001 - a failed log write must not stop the writer; it is reported
                log.exception("could not write %d batches of log events", len(batches))
            finally:
                with self._progress:
                    self._written += len(batches)
                    self._progress.notify_all()
            if stop:
                return

    def _write(self, batches: list[Batch]) -> None:
        values = [value for batch in batches for account, region, group, stream, events, ingested in batch
                  for ts, message in events for value in (account, region, group, stream, ts, ingested, message)]
        if not values:
            return
        # Multi-row INSERTs in a few fixed sizes rather than executemany: executemany steps once per row, and every
        # step gives up the GIL and must win it back from the busy event loop thread (up to the 5 ms switch
        # interval each time: measured, a writer doing ~1 row per 5 ms fell further behind every batch). Here a
        # whole chunk is one step.
        with self.engine.transaction() as c:
            at, total = 0, len(values) // 7
            while at < total:
                size = next(n for n in self._chunks if n <= total - at)
                c.execute(_insert_rows(size), values[at * 7:(at + size) * 7])
                at += size

    def settle(self) -> None:
        """Wait until every append handed over so far is written (a few ms at most: one transaction)."""
        with self._progress:
            target = self._handed
            while self._written < target and self._writer.is_alive():
                self._progress.wait(1.0)

    def close(self) -> None:
        """Write what is still queued, stop the writer, checkpoint and close the file."""
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
            self._writer.join()
        self.engine.close()

    def import_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """Events copied from an older data directory (seq kept, so their order is too; a copy interrupted
        by a crash is redone from the start, the rows already copied skipped)."""
        with self.engine.transaction() as c:
            c.executemany("INSERT OR IGNORE INTO log_events (seq, account, region, grp, stream, ts, ingested, message)"
                          " VALUES (?,?,?,?,?,?,?,?)", rows)

    # -- reads and deletes: after the writer caught up ----------------------------------------------------
    def read(
        self, account: str, region: str, group: str, streams: list[str] | None, *,
        start: int | None = None, end: int | None = None, after: tuple[int, int] | None = None,
        before: tuple[int, int] | None = None, forward: bool = True, limit: int = 10000,
    ) -> list[LogEvent]:
        sql = "SELECT seq, stream, ts, ingested, message FROM log_events WHERE account=? AND region=? AND grp=?"
        args: list[Any] = [account, region, group]
        if streams is not None:
            if not streams:
                return []
            sql += f" AND stream IN ({','.join('?' * len(streams))})"
            args += streams
        if start is not None:
            sql += " AND ts >= ?"
            args.append(start)
        if end is not None:
            sql += " AND ts < ?"
            args.append(end)
        if after is not None:
            sql += " AND (ts > ? OR (ts = ? AND seq > ?))"
            args += [after[0], after[0], after[1]]
        if before is not None:
            sql += " AND (ts < ? OR (ts = ? AND seq < ?))"
            args += [before[0], before[0], before[1]]
        sql += " ORDER BY ts, seq" if forward else " ORDER BY ts DESC, seq DESC"
        sql += " LIMIT ?"
        args.append(limit)
        self.settle()
        with self.engine.lock:
            rows = self.conn.execute(sql, args).fetchall()
        return [LogEvent(*row) for row in rows]

    def stream_stats(self, account: str, region: str, group: str) -> dict[str, LogStreamStats]:
        self.settle()
        with self.engine.lock:
            rows = self.conn.execute(
                "SELECT stream, min(ts), max(ts), max(ingested), sum(length(CAST(message AS BLOB)) + 26)"
                " FROM log_events WHERE account=? AND region=? AND grp=? GROUP BY stream",
                (account, region, group),
            ).fetchall()
        return {r[0]: LogStreamStats(r[1], r[2], r[3], r[4]) for r in rows}

    def group_bytes(self, account: str, region: str, group: str) -> int:
        self.settle()
        with self.engine.lock:
            row = self.conn.execute(
                "SELECT coalesce(sum(length(CAST(message AS BLOB)) + 26), 0) FROM log_events"
                " WHERE account=? AND region=? AND grp=?",
                (account, region, group),
            ).fetchone()
        return int(row[0])

    def delete(self, account: str, region: str, group: str, stream: str | None = None) -> None:
        self.settle()
        with self.engine.transaction() as c:
            if stream is None:
                c.execute("DELETE FROM log_events WHERE account=? AND region=? AND grp=?", (account, region, group))
            else:
                c.execute("DELETE FROM log_events WHERE account=? AND region=? AND grp=? AND stream=?",
                          (account, region, group, stream))
