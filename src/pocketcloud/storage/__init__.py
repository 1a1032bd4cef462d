"""Storage engines. `open_storage` picks one from the configuration."""

from __future__ import annotations

from pocketcloud.config import Config

from .base import Storage


def open_storage(config: Config) -> Storage:
    from .sqlite import SqliteStorage

    if config.in_memory:
        return SqliteStorage(None, synchronous="OFF")
    return SqliteStorage(config.data_dir / "pocketcloud.sqlite3", synchronous=config.sqlite_synchronous)
