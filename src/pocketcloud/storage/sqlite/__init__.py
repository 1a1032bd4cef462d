"""SQLite, the embedded default storage engine."""

from __future__ import annotations

from pathlib import Path

from .dynamodb import SqliteDynamoStore
from .engine import Engine
from .logs import SqliteLogStore
from .resources import SqliteResourceStore


class SqliteStorage:
    def __init__(self, path: Path | None, *, synchronous: str = "NORMAL") -> None:
        self.engine = Engine(path, synchronous=synchronous)
        self.resources = SqliteResourceStore(self.engine)
        self.dynamodb = SqliteDynamoStore(self.engine)
        self.logs = SqliteLogStore(self.engine)

    def close(self) -> None:
        self.engine.close()
