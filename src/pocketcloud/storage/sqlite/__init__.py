"""SQLite, the embedded default storage engine: the main file, and log events in a file of their own."""

from __future__ import annotations

import logging
from pathlib import Path

from .dynamodb import SqliteDynamoStore
from .engine import Engine
from .logs import SqliteLogStore
from .resources import SqliteResourceStore

log = logging.getLogger(__name__)


class SqliteStorage:
    def __init__(self, path: Path | None, *, synchronous: str = "NORMAL", logs_path: Path | None = None) -> None:
        """`path` None: both databases in memory. `logs_path` defaults to logs.sqlite3 beside `path`."""
        self.engine = Engine(path, synchronous=synchronous, group_commit=True)
        self.commits = self.engine  # pending / failures / committed(): the server's durability barrier
        self.resources = SqliteResourceStore(self.engine)
        self.dynamodb = SqliteDynamoStore(self.engine)
        if path is not None and logs_path is None:
            logs_path = path.with_name("logs.sqlite3")
        self.logs = SqliteLogStore(logs_path if path is not None else None, synchronous=synchronous)
        _move_old_log_events(self.engine, self.logs)
        self.engine.on_rollback(self._resources_rolled_back)

    def _resources_rolled_back(self) -> None:
        # A failed group commit may have undone documents that callers cached by generation: move them all.
        self.resources.invalidate()

    def close(self) -> None:
        self.logs.close()
        self.engine.close()


def _move_old_log_events(engine: Engine, logs: SqliteLogStore) -> None:
    """Data directories from before logs.sqlite3 kept log events in the main file: move them over, once."""
    c = engine.conn
    if c.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='log_events'").fetchone() is None:
        return
    moved, last = 0, -1
    while True:
        rows = c.execute("SELECT seq, account, region, grp, stream, ts, ingested, message FROM log_events"
                         " WHERE seq > ? ORDER BY seq LIMIT 10000", (last,)).fetchall()
        if not rows:
            break
        logs.import_rows(rows)
        moved, last = moved + len(rows), rows[-1][0]
    with engine.transaction():
        c.execute("DROP TABLE log_events")
    if moved:
        log.info("moved %d log events into %s", moved, logs.path)
