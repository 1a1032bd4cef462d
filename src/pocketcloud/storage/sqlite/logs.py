"""CloudWatch Logs events in their own SQLite file, written by a process of their own (log_writer.py).

One append-only table of events, indexed by (stream, timestamp) and by (group, timestamp) for FilterLogEvents
across a group's streams; groups and streams are small integer ids there (names in log_groups / log_streams). https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html

Function logs are written on every invoke (START, END, REPORT and the function's own lines). Appends are sent to
the writer process as one frame per batch (orjson, one pipe write) and return at once; the writer puts whatever
has arrived into one transaction. Reads and deletes first wait until the writer has committed every frame sent
before them ("sync, then read"), so the logs API sees everything a function logged before the call, in order.

Why a process and not a thread: a writer thread needs the GIL to build and bind every batch, and took it each
time the event loop let it go for a socket call; the loop then waited to get it back. Measured in-process on the
API Gateway -> no-op function path at 32 concurrent invokes, the event loop spent ~25 µs more per invoke with the
thread than with no log writes at all, and the thread ~30-50 µs of the other core.
The server reads the file through a connection of its own (WAL: readers and the writer do not block each other).
`path` None (in-memory runs) keeps the file in a temporary directory removed at close.
"""

from __future__ import annotations

import logging
import os
import select
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import orjson

from pocketcloud.processes import batch_priority

from ..base import LogEvent, LogStreamStats

log = logging.getLogger(__name__)

_WRITER = Path(__file__).with_name("log_writer.py")
_LENGTH = struct.Struct(">I")
# How long a read waits for the writer to catch up before it reads what is there (and says so in the log).
SYNC_TIMEOUT_S = 30.0
# The pipe to the writer holds this much (Linux, F_SETPIPE_SZ) so that a burst never blocks the event loop.
_PIPE_BYTES = 1 << 20

Batch = list[tuple[str, str, str, str, list[tuple[int, str]], int]]


class SqliteLogStore:
    """The LogStore over `path` (a temporary file when None); appends are written by the writer process."""

    def __init__(self, path: Path | None, *, synchronous: str = "NORMAL") -> None:
        self._tmpdir = None
        if path is None:
            self._tmpdir = tempfile.mkdtemp(prefix="pocketcloud-logs-")
            path = Path(self._tmpdir) / "logs.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.synchronous = synchronous
        self._lock = threading.RLock()
        self._synced = 0  # the last sync number asked for
        self._out = b""  # what the writer printed and was not read yet
        self._closed = False
        self._process: subprocess.Popen[bytes] | None = None
        # Started by the first append or read, not here: a server whose functions never ran keeps ~18 MB (the
        # writer's Python) and ~30 ms of start-up to itself.
        self.conn: sqlite3.Connection | None = None

    # -- the writer process -----------------------------------------------------------------------------
    def _start(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(_WRITER), str(self.path), self.synchronous],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
        )
        self._out = b""
        batch_priority(self._process.pid)
        try:
            import fcntl

            fcntl.fcntl(self._process.stdin.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
        except (ImportError, OSError):  # not Linux, or a lower pipe-max-size: the default buffer then
            pass

    def _send(self, message: list[Any]) -> None:
        data = orjson.dumps(message)
        frame = _LENGTH.pack(len(data)) + data
        with self._lock:
            if self._process is None:
                self._start()
            for attempt in (1, 2):
                process = self._process
                assert process is not None and process.stdin is not None
                try:
                    view = memoryview(frame)
                    while view:
                        written = os.write(process.stdin.fileno(), view)
                        view = view[written:]
                    return
                except (BrokenPipeError, OSError) as e:
                    if attempt == 2:
                        raise
                    log.error("the log writer process ended (%s, exit %s); starting a new one (events being "
                              "written by it may be lost)", e, process.poll())
                    self._reap(process)
                    self._start()

    def _line(self, deadline: float) -> bytes | None:
        """The next line the writer printed, or None when it printed nothing before `deadline` or ended."""
        process = self._process
        assert process is not None and process.stdout is not None
        fd = process.stdout.fileno()
        while b"\n" not in self._out:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                return None
            data = os.read(fd, 65536)
            if not data:
                return None
            self._out += data
        line, _, self._out = self._out.partition(b"\n")
        return line

    def settle(self) -> None:
        """Wait until the writer committed every frame sent so far (a few ms: one transaction)."""
        with self._lock:
            if self._closed:
                return
            self._synced += 1
            target = self._synced
            self._send(["sync", target])
            deadline = time.monotonic() + SYNC_TIMEOUT_S
            while True:
                line = self._line(deadline)
                if line is None:
                    log.error("the log writer did not answer (it ended, or took over %.0f s); reading what is "
                              "written", SYNC_TIMEOUT_S)
                    return
                if line == b"ready":  # its first line, once the schema exists
                    continue
                if int(line) >= target:
                    return

    def _reader(self) -> sqlite3.Connection:
        """The server's read connection; call after settle() (the schema exists once the writer answered)."""
        if self.conn is None:
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=10000")
            self.conn = conn
        return self.conn

    @staticmethod
    def _reap(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
        """Close its stdin (it ends after writing what it read) and wait for it; its stdout stays open until
        then, or an answer it prints would kill it with SIGPIPE before it wrote everything."""
        try:
            if process.stdin is not None:
                process.stdin.close()
        except OSError:
            pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.error("the log writer did not finish in %.0f s; stopping it", timeout)
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    # -- writes: handed over ------------------------------------------------------------------------------
    def append(self, account: str, region: str, group: str, stream: str, events: list[tuple[int, str]],
               ingestion_time: int) -> None:
        if events:
            self.append_batch([(account, region, group, stream, events, ingestion_time)])

    def append_batch(self, batch: Batch) -> None:
        """Several appends — (account, region, group, stream, events, ingestion_time) each — in one frame to the
        writer, which writes them in one transaction; readers wait for it."""
        if not batch:
            return
        if self._closed:  # after close (a late flush): write them here rather than lose them
            self._write_directly(batch)
            return
        self._send(["batch", batch])

    def _write_directly(self, batch: Batch) -> None:
        from . import log_writer

        conn = log_writer.connect(str(self.path), self.synchronous)
        try:
            log_writer.Writer(conn).apply([["batch", batch]])
        finally:
            conn.close()

    def close(self) -> None:
        """Let the writer commit what it was sent, checkpoint and exit; then close the file."""
        if self._closed:
            return
        with self._lock:
            if self._process is not None:  # (never started: nothing was logged or read)
                try:
                    self._send(["stop"])
                except OSError:
                    pass
            self._closed = True
            if self._process is not None:
                self._reap(self._process)
            if self.conn is not None:
                self.conn.close()
                self.conn = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)

    def import_rows(self, rows: list[tuple[Any, ...]]) -> None:
        """Events copied from an older data directory (seq kept, so their order is too; a copy interrupted
        by a crash is redone from the start, the rows already copied skipped)."""
        self._send(["import", rows])
        self.settle()

    # -- reads and deletes: after the writer caught up ----------------------------------------------------
    def read(
        self, account: str, region: str, group: str, streams: list[str] | None, *,
        start: int | None = None, end: int | None = None, after: tuple[int, int] | None = None,
        before: tuple[int, int] | None = None, forward: bool = True, limit: int = 10000,
    ) -> list[LogEvent]:
        if streams is not None and not streams:
            return []
        sql = ("SELECT e.seq, s.stream, e.ts, e.ingested, e.message FROM events e JOIN log_streams s ON s.sid = e.sid"
               " WHERE e.gid = (SELECT gid FROM log_groups WHERE account=? AND region=? AND grp=?)")
        args: list[Any] = [account, region, group]
        if streams is not None:
            sql += f" AND s.stream IN ({','.join('?' * len(streams))})"
            args += streams
        if start is not None:
            sql += " AND e.ts >= ?"
            args.append(start)
        if end is not None:
            sql += " AND e.ts < ?"
            args.append(end)
        if after is not None:
            sql += " AND (e.ts > ? OR (e.ts = ? AND e.seq > ?))"
            args += [after[0], after[0], after[1]]
        if before is not None:
            sql += " AND (e.ts < ? OR (e.ts = ? AND e.seq < ?))"
            args += [before[0], before[0], before[1]]
        sql += " ORDER BY e.ts, e.seq" if forward else " ORDER BY e.ts DESC, e.seq DESC"
        sql += " LIMIT ?"
        args.append(limit)
        return [LogEvent(*row) for row in self._query(sql, args)]

    def stream_stats(self, account: str, region: str, group: str) -> dict[str, LogStreamStats]:
        rows = self._query(
            "SELECT s.stream, min(e.ts), max(e.ts), max(e.ingested), sum(length(CAST(e.message AS BLOB)) + 26)"
            " FROM events e JOIN log_streams s ON s.sid = e.sid"
            " WHERE e.gid = (SELECT gid FROM log_groups WHERE account=? AND region=? AND grp=?) GROUP BY e.sid",
            (account, region, group),
        )
        return {r[0]: LogStreamStats(r[1], r[2], r[3], r[4]) for r in rows}

    def group_bytes(self, account: str, region: str, group: str) -> int:
        rows = self._query(
            "SELECT coalesce(sum(length(CAST(message AS BLOB)) + 26), 0) FROM events"
            " WHERE gid = (SELECT gid FROM log_groups WHERE account=? AND region=? AND grp=?)",
            (account, region, group),
        )
        return int(rows[0][0])

    def delete(self, account: str, region: str, group: str, stream: str | None = None) -> None:
        self._send(["delete", account, region, group, stream])  # after the appends sent before it
        self.settle()

    def _query(self, sql: str, args: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            self.settle()
            return self._reader().execute(sql, args).fetchall()
