"""Control-plane documents in SQLite (Lambda functions, REST APIs, IAM roles, log events ...)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson

from ..base import Scope
from .engine import Engine


class SqliteResourceStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn = engine.conn
        self._generations: dict[str, int] = {}

    def generation(self, service: str) -> int:
        """A number that changes whenever a document of `service` is written: callers cache what they derived
        from the documents (a function's resolved configuration on the invoke path) until it changes.
        One process owns this database, so an in-memory counter is enough; a store shared by several servers
        (PostgreSQL) must answer from the database instead (a per-service version row bumped by every write)."""
        return self._generations.get(service, 0)

    def _changed(self, scope: Scope) -> None:
        self._generations[scope.service] = self._generations.get(scope.service, 0) + 1

    def invalidate(self) -> None:
        """Move every generation: what callers derived from documents may describe writes undone since (a group
        commit that failed and rolled back)."""
        for service in self._generations:
            self._generations[service] += 1

    def get(self, scope: Scope, kind: str, key: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT doc FROM resources WHERE service=? AND account=? AND region=? AND kind=? AND key=?",
            (scope.service, scope.account, scope.region, kind, key),
        ).fetchone()
        return orjson.loads(row[0]) if row else None

    def put(self, scope: Scope, kind: str, key: str, doc: dict[str, Any]) -> None:
        with self.engine.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO resources (service, account, region, kind, key, doc) VALUES (?,?,?,?,?,?)",
                (scope.service, scope.account, scope.region, kind, key, orjson.dumps(doc)),
            )
            self._changed(scope)

    def insert(self, scope: Scope, kind: str, key: str, doc: dict[str, Any]) -> bool:
        with self.engine.transaction() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO resources (service, account, region, kind, key, doc) VALUES (?,?,?,?,?,?)",
                (scope.service, scope.account, scope.region, kind, key, orjson.dumps(doc)),
            )
            if cur.rowcount != 1:
                return False
            self._changed(scope)
            return True

    def delete(self, scope: Scope, kind: str, key: str) -> bool:
        with self.engine.transaction() as c:
            cur = c.execute(
                "DELETE FROM resources WHERE service=? AND account=? AND region=? AND kind=? AND key=?",
                (scope.service, scope.account, scope.region, kind, key),
            )
            if cur.rowcount == 0:
                return False
            self._changed(scope)
            return True

    def list(
        self, scope: Scope, kind: str, *, prefix: str = "", after: str | None = None, limit: int | None = None
    ) -> list[tuple[str, dict[str, Any]]]:
        sql = "SELECT key, doc FROM resources WHERE service=? AND account=? AND region=? AND kind=?"
        args: list[Any] = [scope.service, scope.account, scope.region, kind]
        if prefix:
            sql += " AND key >= ? AND key < ?"
            args += [prefix, prefix + "\U0010ffff"]
        if after is not None:
            sql += " AND key > ?"
            args.append(after)
        sql += " ORDER BY key"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [(k, orjson.loads(d)) for k, d in self.conn.execute(sql, args)]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.engine.transaction():
            yield
