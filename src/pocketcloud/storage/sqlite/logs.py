"""CloudWatch Logs events in SQLite: one append-only table, indexed by (group, stream, timestamp) and by
(group, timestamp) for FilterLogEvents across a group's streams."""

from __future__ import annotations

from typing import Any

from ..base import LogEvent, LogStreamStats
from .engine import Engine


class SqliteLogStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn = engine.conn

    def append(self, account: str, region: str, group: str, stream: str, events: list[tuple[int, str]],
               ingestion_time: int) -> None:
        if not events:
            return
        with self.engine.transaction() as c:
            c.executemany(
                "INSERT INTO log_events (account, region, grp, stream, ts, ingested, message) VALUES (?,?,?,?,?,?,?)",
                [(account, region, group, stream, ts, ingestion_time, message) for ts, message in events],
            )

    def append_batch(self, batch: list[tuple[str, str, str, str, list[tuple[int, str]], int]]) -> None:
        """Several appends — (account, region, group, stream, events, ingestion_time) each — in one statement."""
        rows = [(account, region, group, stream, ts, ingested, message)
                for account, region, group, stream, events, ingested in batch for ts, message in events]
        if not rows:
            return
        with self.engine.transaction() as c:
            c.executemany(
                "INSERT INTO log_events (account, region, grp, stream, ts, ingested, message) VALUES (?,?,?,?,?,?,?)",
                rows,
            )

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
        with self.engine.lock:
            rows = self.conn.execute(sql, args).fetchall()
        return [LogEvent(*row) for row in rows]

    def stream_stats(self, account: str, region: str, group: str) -> dict[str, LogStreamStats]:
        with self.engine.lock:
            rows = self.conn.execute(
                "SELECT stream, min(ts), max(ts), max(ingested), sum(length(CAST(message AS BLOB)) + 26)"
                " FROM log_events WHERE account=? AND region=? AND grp=? GROUP BY stream",
                (account, region, group),
            ).fetchall()
        return {r[0]: LogStreamStats(r[1], r[2], r[3], r[4]) for r in rows}

    def group_bytes(self, account: str, region: str, group: str) -> int:
        with self.engine.lock:
            row = self.conn.execute(
                "SELECT coalesce(sum(length(CAST(message AS BLOB)) + 26), 0) FROM log_events"
                " WHERE account=? AND region=? AND grp=?",
                (account, region, group),
            ).fetchone()
        return int(row[0])

    def delete(self, account: str, region: str, group: str, stream: str | None = None) -> None:
        with self.engine.transaction() as c:
            if stream is None:
                c.execute("DELETE FROM log_events WHERE account=? AND region=? AND grp=?", (account, region, group))
            else:
                c.execute("DELETE FROM log_events WHERE account=? AND region=? AND grp=? AND stream=?",
                          (account, region, group, stream))
