"""Everything a running server holds: configuration, storage, identity, and per-service runtime objects."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path
from collections.abc import Awaitable, Callable
from typing import Any

from pocketcloud.config import Config
from pocketcloud.storage import open_storage
from pocketcloud.storage.base import Storage

from .auth import Authenticator

log = logging.getLogger(__name__)


class AppState:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.storage: Storage = open_storage(config)
        self.auth = Authenticator(default_account=config.account_id, default_region=config.region)
        # Runtime objects services create once (the Lambda worker pool, ...), by name.
        self.runtime: dict[str, Any] = {}
        self._tasks: list[asyncio.Task[Any]] = []
        # Files services keep beside the database (unzipped function code, ...); a temp dir when in memory.
        if config.in_memory:
            self._tmp = tempfile.TemporaryDirectory(prefix="pocketcloud-")
            self.files_dir = Path(self._tmp.name)
        else:
            self.files_dir = config.data_dir.resolve() / "files"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        self._closers: list[Callable[[], Awaitable[None] | None]] = []

    def spawn(self, coro: Awaitable[Any], name: str) -> asyncio.Task[Any]:
        """Run a background coroutine for the life of the server; failures are logged, not lost."""
        task = asyncio.ensure_future(coro)
        task.set_name(name)
        task.add_done_callback(_log_failure)
        self._tasks.append(task)
        return task

    def on_close(self, fn: Callable[[], Awaitable[None] | None]) -> None:
        self._closers.append(fn)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        for fn in reversed(self._closers):
            try:
                result = fn()
                if asyncio.iscoroutine(result):
                    await result
            except Exception:
                log.exception("error while shutting down")
        self.storage.close()


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task %s failed", task.get_name(), exc_info=task.exception())
