"""The SQLite connection: pragmas, schema, and transactions. The one place that opens a SQLite file.

WAL with synchronous=NORMAL: a transaction is in the WAL file when COMMIT returns, so an acknowledged write
survives `kill -9` of the server (only a power loss can take the last commits; `synchronous="FULL"` in the config
closes that too, at a cost per write).

Group commit (the main database, on the server's event loop): the writes of one loop iteration after its first
share one transaction. The first write of an iteration commits on its own at once (one autocommit statement, or
BEGIN IMMEDIATE .. COMMIT around a `transaction()` block), so a client sending one request at a time pays no
BEGIN, SAVEPOINT, flush or wait; it schedules `_flush_soon` with `loop.call_soon`, which marks the iteration's
end. A second write in the same iteration opens the group (BEGIN IMMEDIATE) that `_flush_soon` COMMITs for all
of them; within it each `transaction()` block is a SAVEPOINT, so a failing request undoes only its own changes,
and a lone statement (`execute_write`) just joins. A response must not leave before the COMMIT covering its
writes: the server awaits `committed()` after every request while `pending` is set (a group is open), and
answers 500 when `failures` moved meanwhile.
Outside a running loop (CLI, tests, shutdown) every transaction commits at once, as without grouping.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_running_loop = asyncio._get_running_loop  # the loop running in this thread, or None (C, ~30 ns)

SCHEMA = """
CREATE TABLE IF NOT EXISTS pc_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS resources (
    service TEXT NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
    doc BLOB NOT NULL,
    PRIMARY KEY (service, account, region, kind, key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS ddb_tables (
    tid INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
    description BLOB NOT NULL,
    UNIQUE (account, region, name)
);

CREATE TABLE IF NOT EXISTS ddb_items (
    tid INTEGER NOT NULL, hb INTEGER NOT NULL, hk BLOB NOT NULL, rk BLOB NOT NULL,
    item BLOB NOT NULL, size INTEGER NOT NULL, ttl REAL,
    PRIMARY KEY (tid, hb, hk, rk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ddb_items_ttl ON ddb_items (tid, ttl) WHERE ttl IS NOT NULL;

CREATE TABLE IF NOT EXISTS ddb_index_entries (
    tid INTEGER NOT NULL, iid INTEGER NOT NULL, ihb INTEGER NOT NULL, ihk BLOB NOT NULL, irk BLOB NOT NULL,
    hb INTEGER NOT NULL, hk BLOB NOT NULL, rk BLOB NOT NULL,
    PRIMARY KEY (tid, iid, ihb, ihk, irk, hk, rk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ddb_index_entries_item ON ddb_index_entries (tid, hb, hk, rk);

CREATE TABLE IF NOT EXISTS ddb_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tid INTEGER NOT NULL, created REAL NOT NULL, record BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS ddb_changes_table ON ddb_changes (tid, seq);
"""  # log events live in a file of their own (logs.py)


class Engine:
    """One SQLite connection shared by the server's event loop (SQLite calls are short and never awaited).

    `group_commit`: writes made on a running event loop are grouped per loop iteration (module docstring).
    """

    def __init__(
        self, path: Path | None, *, synchronous: str = "NORMAL", schema: str = SCHEMA, group_commit: bool = False,
    ) -> None:
        self.path = path
        target = ":memory:" if path is None else str(path)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, cached_statements=256)
        self.lock = threading.RLock()
        c = self.conn
        try:
            if path is not None:
                # One process owns the file (the server): holding its locks for good, SQLite skips the lock
                # syscalls of every transaction and keeps the WAL index in memory rather than in a shared file.
                c.execute("PRAGMA locking_mode=EXCLUSIVE")
                c.execute("PRAGMA journal_mode=WAL")
                # Checkpoint every 4,000 pages (16 MB of WAL) rather than SQLite's 1,000: a checkpoint copies
                # pages into the database and fsyncs it on the event loop, and pages written again between two
                # checkpoints are copied once. Measured on random 130-byte inserts: 25 -> 19 µs CPU per write,
                # 35-100 -> 25 µs wall.
                c.execute("PRAGMA wal_autocheckpoint=4000")
            c.execute(f"PRAGMA synchronous={synchronous}")
            c.execute("PRAGMA cache_size=-16000")  # 16 MB of page cache: memory stays flat as tables grow
            c.execute("PRAGMA temp_store=MEMORY")
            c.execute("PRAGMA foreign_keys=OFF")
            c.executescript(schema)
        except sqlite3.OperationalError as err:
            if "locked" not in str(err):
                raise
            raise sqlite3.OperationalError(f"{path} is in use by another pocketcloud server (database is locked)") from None
        self._depth = 0
        self._group_commit = group_commit
        self._group_loop: asyncio.AbstractEventLoop | None = None  # set while a group transaction is open
        # The loop whose current iteration has written already, and how many writes it made: set by the first,
        # cleared by the flush it scheduled. `_solo`: the first write of an iteration commits on its own (the
        # iteration before held one write); else it opens the group.
        self._pass_loop: asyncio.AbstractEventLoop | None = None
        self._pass_writes = 0
        self._solo = True
        self._waiters: list[asyncio.Future[None]] = []
        self._on_rollback: list[Callable[[], None]] = []
        # Writes on the event loop not committed yet: the server waits for `committed()` before answering.
        self.pending = False
        # Group commits that failed (and were rolled back) so far: a request that sees this move while it
        # ran answers 500, whatever its own writes were.
        self.failures = 0

    # -- transactions ---------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested calls join the outer one. Within a group, a savepoint of it."""
        with self.lock:
            conn = self.conn
            if self._depth:
                self._depth += 1
                try:
                    yield conn
                finally:
                    self._depth -= 1
                return
            if self._join_group():
                conn.execute("SAVEPOINT request")
                self._depth = 1
                try:
                    yield conn
                except BaseException:
                    self._depth = 0
                    self._undo_savepoint()
                    raise
                self._depth = 0
                conn.execute("RELEASE request")
                return
            conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield conn
            except BaseException:
                self._depth = 0
                conn.execute("ROLLBACK")
                raise
            self._depth = 0
            try:
                conn.execute("COMMIT")
            except sqlite3.Error:
                self._rolled_back()
                raise

    def execute_write(self, sql: str, args: Any) -> sqlite3.Cursor:
        """One write statement, atomic by itself: it joins the open transaction (the group's, or a
        `transaction()` block's); with neither, it commits on its own (autocommit)."""
        with self.lock:
            if not self._depth:
                self._join_group()
            try:
                return self.conn.execute(sql, args)
            except sqlite3.Error:
                self._check_group()
                raise

    def _join_group(self) -> bool:
        """Open (or join) this loop iteration's group transaction; False when the write is to commit on its own:
        made outside a loop, or the first of an iteration while iterations hold one write each (`_solo`)."""
        loop = _running_loop() if self._group_commit else None
        current = self._group_loop
        if current is not None:
            if current is loop:
                self._pass_writes += 1
                return True
            self.flush()  # a group of another loop, or a write from outside the loop: commit it first
        if loop is None:
            return False
        if self._pass_loop is not loop:  # the iteration's first write; the flush it schedules ends the iteration
            self._pass_loop = loop
            self._pass_writes = 1
            loop.call_soon(self._flush_soon)
            if self._solo:
                return False
        else:
            self._pass_writes += 1
        self.conn.execute("BEGIN IMMEDIATE")
        self._group_loop = loop
        self.pending = True
        return True

    def _undo_savepoint(self) -> None:
        """Undo a failed request's changes, leaving the rest of the group alone."""
        try:
            self.conn.execute("ROLLBACK TO request")
            self.conn.execute("RELEASE request")
        except sqlite3.Error:
            log.exception("rolling back to a savepoint failed")
            if self.conn.in_transaction:
                raise
        self._check_group()

    def _check_group(self) -> None:
        """After an error: SQLite rolls the whole transaction back by itself on some (disk full, I/O error);
        then the group is lost, and its waiting requests must hear so."""
        if self._group_loop is not None and not self.conn.in_transaction:
            log.error("the group transaction was rolled back by SQLite after an error")
            self._end_group(ok=False)

    # -- group commit ---------------------------------------------------------------------------------

    def _flush_soon(self) -> None:
        """The end of an iteration that wrote: commit its group, if one opened."""
        loop = self._group_loop
        if loop is not None and self._depth:  # pragma: no cover - a transaction() block held across an await
            log.warning("a transaction was held across an await; group commit delayed")
            loop.call_soon(self._flush_soon)
            return
        # Predict the next iteration from this one: one write alone commits on its own (no BEGIN, no flush, no
        # wait); under concurrent load the first write opens the group, as the ones after it would.
        self._solo = self._pass_writes == 1
        self._pass_loop = None
        if loop is not None:  # else flushed already (close(), or a write from outside the loop), or never opened
            self.flush()

    def flush(self) -> None:
        """Commit the open group now (nothing to do without one)."""
        with self.lock:
            if self._group_loop is None:
                return
            if self._depth:
                raise RuntimeError("flush() inside a transaction() block")
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error:
                log.exception("group commit failed: its writes are rolled back and its requests answered 500")
                self._end_group(ok=False)
                return
            self._end_group(ok=True)

    def _end_group(self, *, ok: bool) -> None:
        loop, waiters = self._group_loop, self._waiters
        assert loop is not None
        self._group_loop, self._waiters, self.pending = None, [], False
        if not ok:
            self.failures += 1
            self._rolled_back()
        if not waiters:
            return
        if _running_loop() is loop:
            _wake(waiters)
        else:  # another thread, or after the loop stopped
            try:
                loop.call_soon_threadsafe(_wake, waiters)
            except RuntimeError:  # the loop is closed: nobody is waiting any more
                pass

    def _rolled_back(self) -> None:
        """After a failed COMMIT: end the transaction if SQLite left it open, and tell the caches."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                log.exception("rollback after a failed commit failed")
        for hook in self._on_rollback:
            hook()

    async def committed(self) -> None:
        """Return once the writes made so far are committed, or their group failed (see `failures`)."""
        loop = self._group_loop
        if loop is None:
            return
        if loop is not _running_loop():  # a group of another loop (tests running several): commit it here
            self.flush()
            return
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiters.append(waiter)
        await waiter

    def on_rollback(self, hook: Callable[[], None]) -> None:
        """Call `hook` when a group is rolled back: memory that mirrors the database (caches) must forget."""
        self._on_rollback.append(hook)

    def close(self) -> None:
        try:
            self.flush()
        except sqlite3.Error:  # pragma: no cover - logged by flush
            pass
        try:
            if self.path is not None:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:  # pragma: no cover - best effort at shutdown
            log.warning("WAL checkpoint at shutdown failed", exc_info=True)
        self.conn.close()


def _wake(waiters: list[asyncio.Future[None]]) -> None:
    for waiter in waiters:
        if not waiter.done():  # a waiter whose request was cancelled is done already
            waiter.set_result(None)
