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

    def insert(self, scope: Scope, kind: str, key: str, doc: dict[str, Any]) -> bool:
        with self.engine.transaction() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO resources (service, account, region, kind, key, doc) VALUES (?,?,?,?,?,?)",
                (scope.service, scope.account, scope.region, kind, key, orjson.dumps(doc)),
            )
            return cur.rowcount == 1

    def delete(self, scope: Scope, kind: str, key: str) -> bool:
        with self.engine.transaction() as c:
            cur = c.execute(
                "DELETE FROM resources WHERE service=? AND account=? AND region=? AND kind=? AND key=?",
                (scope.service, scope.account, scope.region, kind, key),
            )
            return cur.rowcount > 0

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
