"""DynamoDB tables, items, index entries and change records in SQLite.

Items live in `ddb_items` keyed by (table, hash bucket, hash key, range key) — all order-preserving bytes — so a
Query is a range scan of the primary key and a Scan walks buckets in order (which is also how parallel scan
segments split the table). Index entries are rows of their own, written in the same transaction as the item.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson

from ..base import Bound, IndexEntry, ItemKey, TableRecord
from .engine import Engine

_dumps = orjson.dumps
_loads = orjson.loads
_PUT = "INSERT OR REPLACE INTO ddb_items (tid, hb, hk, rk, item, size, ttl) VALUES (?,?,?,?,?,?,?)"


class SqliteDynamoWrite:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def get(self, table: TableRecord, key: ItemKey) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT item FROM ddb_items WHERE tid=? AND hb=? AND hk=? AND rk=?", (table.tid, *key)
        ).fetchone()
        return _loads(row[0]) if row else None

    def put(
        self, table: TableRecord, key: ItemKey, item: dict[str, Any], size: int, entries: list[IndexEntry], ttl: float | None
    ) -> None:
        c = self.conn
        tid = table.tid
        c.execute(_PUT, (tid, key[0], key[1], key[2], _dumps(item), size, ttl))
        if table.description.get("_indexes"):
            c.execute("DELETE FROM ddb_index_entries WHERE tid=? AND hb=? AND hk=? AND rk=?", (tid, *key))
            if entries:
                c.executemany(
                    "INSERT OR REPLACE INTO ddb_index_entries (tid, iid, ihb, ihk, irk, hb, hk, rk) VALUES (?,?,?,?,?,?,?,?)",
                    [(tid, iid, ihb, ihk, irk, key[0], key[1], key[2]) for iid, ihb, ihk, irk in entries],
                )

    def delete(self, table: TableRecord, key: ItemKey) -> None:
        c = self.conn
        c.execute("DELETE FROM ddb_items WHERE tid=? AND hb=? AND hk=? AND rk=?", (table.tid, *key))
        if table.description.get("_indexes"):
            c.execute("DELETE FROM ddb_index_entries WHERE tid=? AND hb=? AND hk=? AND rk=?", (table.tid, *key))

    def add_index_entries(self, table: TableRecord, key: ItemKey, entries: list[IndexEntry]) -> None:
        if entries:
            self.conn.executemany(
                "INSERT OR REPLACE INTO ddb_index_entries (tid, iid, ihb, ihk, irk, hb, hk, rk) VALUES (?,?,?,?,?,?,?,?)",
                [(table.tid, iid, ihb, ihk, irk, key[0], key[1], key[2]) for iid, ihb, ihk, irk in entries],
            )

    def append_change(self, table: TableRecord, record: dict[str, Any]) -> int:
        cur = self.conn.execute(
            "INSERT INTO ddb_changes (tid, created, record) VALUES (?,?,?)", (table.tid, time.time(), _dumps(record))
        )
        return int(cur.lastrowid)


class SqliteDynamoStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn = engine.conn
        # Table descriptions are read on every request: keep them in memory; this process owns the file.
        self._tables: dict[tuple[str, str, str], TableRecord] = {}
        engine.on_rollback(self._tables.clear)  # a failed group commit may have undone a table change

    # -- tables ---------------------------------------------------------------------------------------

    def create_table(self, account: str, region: str, name: str, description: dict[str, Any]) -> TableRecord | None:
        with self.engine.transaction() as c:
            cur = c.execute(
                "INSERT OR IGNORE INTO ddb_tables (account, region, name, description) VALUES (?,?,?,?)",
                (account, region, name, _dumps(description)),
            )
            if cur.rowcount != 1:
                return None
            record = TableRecord(int(cur.lastrowid), account, region, name, description)
        self._tables[(account, region, name)] = record
        return record

    def get_table(self, account: str, region: str, name: str) -> TableRecord | None:
        key = (account, region, name)
        record = self._tables.get(key)
        if record is None:
            row = self.conn.execute(
                "SELECT tid, description FROM ddb_tables WHERE account=? AND region=? AND name=?", key
            ).fetchone()
            if row is None:
                return None
            record = TableRecord(row[0], account, region, name, _loads(row[1]))
            self._tables[key] = record
        return record

    def list_tables(self, account: str, region: str, *, after: str | None, limit: int) -> list[str]:
        sql = "SELECT name FROM ddb_tables WHERE account=? AND region=?"
        args: list[Any] = [account, region]
        if after is not None:
            sql += " AND name > ?"
            args.append(after)
        sql += " ORDER BY name LIMIT ?"
        args.append(limit)
        return [r[0] for r in self.conn.execute(sql, args)]

    def all_tables(self) -> list[TableRecord]:
        rows = self.conn.execute("SELECT tid, account, region, name, description FROM ddb_tables").fetchall()
        return [TableRecord(r[0], r[1], r[2], r[3], _loads(r[4])) for r in rows]

    def save_table(self, table: TableRecord, description: dict[str, Any]) -> TableRecord:
        with self.engine.transaction() as c:
            c.execute("UPDATE ddb_tables SET description=? WHERE tid=?", (_dumps(description), table.tid))
        record = TableRecord(table.tid, table.account, table.region, table.name, description)
        self._tables[(table.account, table.region, table.name)] = record
        return record

    def drop_table(self, table: TableRecord) -> None:
        with self.engine.transaction() as c:
            for sql in (
                "DELETE FROM ddb_items WHERE tid=?",
                "DELETE FROM ddb_index_entries WHERE tid=?",
                "DELETE FROM ddb_changes WHERE tid=?",
                "DELETE FROM ddb_tables WHERE tid=?",
            ):
                c.execute(sql, (table.tid,))
        self._tables.pop((table.account, table.region, table.name), None)

    def drop_index(self, table: TableRecord, iid: int) -> None:
        with self.engine.transaction() as c:
            c.execute("DELETE FROM ddb_index_entries WHERE tid=? AND iid=?", (table.tid, iid))

    def table_stats(self, table: TableRecord) -> tuple[int, int]:
        row = self.conn.execute("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM ddb_items WHERE tid=?", (table.tid,)).fetchone()
        return int(row[0]), int(row[1])

    def index_stats(self, table: TableRecord, iid: int) -> tuple[int, int]:
        row = self.conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(i.size), 0) FROM ddb_index_entries x JOIN ddb_items i"
            " ON i.tid=x.tid AND i.hb=x.hb AND i.hk=x.hk AND i.rk=x.rk WHERE x.tid=? AND x.iid=?",
            (table.tid, iid),
        ).fetchone()
        return int(row[0]), int(row[1])

    # -- items ----------------------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[SqliteDynamoWrite]:
        with self.engine.transaction() as c:
            yield SqliteDynamoWrite(c)

    def put_item(self, table: TableRecord, key: ItemKey, item: dict[str, Any], size: int, ttl: float | None) -> None:
        if table.description.get("_indexes"):
            with self.write() as txn:
                txn.put(table, key, item, size, [], ttl)
            return
        # One statement is atomic by itself: no savepoint around it. It joins the open transaction (the event
        # loop's group commit, or BatchWriteItem's); alone, it is its own transaction (autocommit).
        self.engine.execute_write(_PUT, (table.tid, key[0], key[1], key[2], _dumps(item), size, ttl))

    def get_item(self, table: TableRecord, key: ItemKey) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT item FROM ddb_items WHERE tid=? AND hb=? AND hk=? AND rk=?", (table.tid, *key)
        ).fetchone()
        return _loads(row[0]) if row else None

    def get_item_json(self, table: TableRecord, key: ItemKey) -> bytes | None:
        row = self.conn.execute(
            "SELECT item FROM ddb_items WHERE tid=? AND hb=? AND hk=? AND rk=?", (table.tid, *key)
        ).fetchone()
        return row[0] if row else None

    def query(
        self, table: TableRecord, iid: int | None, bucket: int, hash_key: bytes,
        lower: Bound | None, upper: Bound | None, forward: bool, start: tuple[bytes, ...] | None,
    ) -> Iterator[tuple[ItemKey, bytes, bytes, int]]:
        order = "ASC" if forward else "DESC"
        args: list[Any] = [table.tid]
        if iid is None:
            sql = "SELECT hb, hk, rk, rk, item, size FROM ddb_items WHERE tid=? AND hb=? AND hk=?"
            args += [bucket, hash_key]
            rcol, position = "rk", "rk"
            order_by = f"rk {order}"
        else:
            sql = (
                "SELECT x.hb, x.hk, x.rk, x.irk, i.item, i.size FROM ddb_index_entries x JOIN ddb_items i"
                " ON i.tid=x.tid AND i.hb=x.hb AND i.hk=x.hk AND i.rk=x.rk"
                " WHERE x.tid=? AND x.iid=? AND x.ihb=? AND x.ihk=?"
            )
            args += [iid, bucket, hash_key]
            rcol, position = "x.irk", "(x.irk, x.hk, x.rk)"
            order_by = f"x.irk {order}, x.hk {order}, x.rk {order}"
        if lower is not None:
            sql += f" AND {rcol} {'>=' if lower.inclusive else '>'} ?"
            args.append(lower.value)
        if upper is not None:
            sql += f" AND {rcol} {'<=' if upper.inclusive else '<'} ?"
            args.append(upper.value)
        if start is not None:
            marks = ",".join("?" * len(start))
            sql += f" AND {position} {'>' if forward else '<'} ({marks})" if len(start) > 1 else f" AND {position} {'>' if forward else '<'} ?"
            args += list(start)
        sql += f" ORDER BY {order_by}"
        for hb, hk, rk, irk, item, size in self.conn.execute(sql, args):
            yield (hb, hk, rk), irk, item, size

    def scan(
        self, table: TableRecord, iid: int | None, lo: int, hi: int, start: tuple[Any, ...] | None,
    ) -> Iterator[tuple[ItemKey, tuple[Any, ...], bytes, int]]:
        args: list[Any] = [table.tid]
        if iid is None:
            sql = "SELECT hb, hk, rk, item, size FROM ddb_items WHERE tid=? AND hb BETWEEN ? AND ?"
            args += [lo, hi]
            if start is not None:
                sql += " AND (hb, hk, rk) > (?,?,?)"
                args += list(start)
            sql += " ORDER BY hb, hk, rk"
            for hb, hk, rk, item, size in self.conn.execute(sql, args):
                yield (hb, hk, rk), (hb, hk, rk), item, size
            return
        sql = (
            "SELECT x.ihb, x.ihk, x.irk, x.hb, x.hk, x.rk, i.item, i.size FROM ddb_index_entries x JOIN ddb_items i"
            " ON i.tid=x.tid AND i.hb=x.hb AND i.hk=x.hk AND i.rk=x.rk"
            " WHERE x.tid=? AND x.iid=? AND x.ihb BETWEEN ? AND ?"
        )
        args += [iid, lo, hi]
        if start is not None:
            sql += " AND (x.ihb, x.ihk, x.irk, x.hk, x.rk) > (?,?,?,?,?)"
            args += list(start)
        sql += " ORDER BY x.ihb, x.ihk, x.irk, x.hk, x.rk"
        for ihb, ihk, irk, hb, hk, rk, item, size in self.conn.execute(sql, args):
            yield (hb, hk, rk), (ihb, ihk, irk, hk, rk), item, size

    def expired(self, table: TableRecord, now: float, limit: int) -> list[ItemKey]:
        rows = self.conn.execute(
            "SELECT hb, hk, rk FROM ddb_items WHERE tid=? AND ttl IS NOT NULL AND ttl <= ? LIMIT ?", (table.tid, now, limit)
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def recompute_ttl(self, table: TableRecord, ttl_of: Callable[[dict[str, Any]], float | None]) -> int:
        with self.engine.transaction() as c:
            rows = c.execute("SELECT hb, hk, rk, item FROM ddb_items WHERE tid=?", (table.tid,)).fetchall()
            updates = [(ttl_of(_loads(item)), table.tid, hb, hk, rk) for hb, hk, rk, item in rows]
            c.executemany("UPDATE ddb_items SET ttl=? WHERE tid=? AND hb=? AND hk=? AND rk=?", updates)
        return sum(1 for u in updates if u[0] is not None)

    def changes(self, table: TableRecord, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
        rows = self.conn.execute(
            "SELECT seq, record FROM ddb_changes WHERE tid=? AND seq > ? ORDER BY seq LIMIT ?", (table.tid, after, limit)
        ).fetchall()
        return [(r[0], _loads(r[1])) for r in rows]
