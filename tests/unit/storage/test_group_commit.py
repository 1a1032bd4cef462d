"""Group commit in the SQLite engine: a write alone in its event-loop iteration commits on its own; otherwise the
writes of one iteration share one transaction, each request's changes stay its own, and no response leaves before
the COMMIT covering it (storage/sqlite/engine.py)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest

from pocketcloud.config import Config
from pocketcloud.protocols.base import Request
from pocketcloud.server.app import App
from pocketcloud.storage.base import Scope
from pocketcloud.storage.sqlite import SqliteStorage
from pocketcloud.storage.sqlite.engine import Engine

AUTH = ("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, "
        "Signature=0")
SCOPE = Scope("test", "000000000000", "us-east-1")


def _request(target: str, body: dict[str, Any]) -> Request:
    headers = {"host": "127.0.0.1", "content-type": "application/x-amz-json-1.0",
               "x-amz-target": f"DynamoDB_20120810.{target}", "x-amz-date": "20260101T000000Z",
               "authorization": AUTH}
    return Request("POST", "/", "/", "", headers, orjson.dumps(body), header_list=list(headers.items()))


async def _call(app: App, target: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = await app.handle(_request(target, body))
    return response.status, orjson.loads(response.body)


def _docs_after_reopening(path: Path, *keys: str) -> list[Any]:
    """The documents under `keys` as a fresh SqliteStorage on `path` reads them (what reached the file)."""
    reopened = SqliteStorage(path)
    try:
        return [reopened.resources.get(SCOPE, "doc", key) for key in keys]
    finally:
        reopened.close()


def _item(pk: str, **more: Any) -> dict[str, Any]:
    return {"pk": {"S": pk}, **{k: {"S": v} for k, v in more.items()}}


async def _started_app(tmp_path: Path) -> App:
    app = App(Config(data_dir=tmp_path / "data", in_memory=False, log_level="warning"))
    await app.startup()
    status, body = await _call(app, "CreateTable", {
        "TableName": "tbl", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
    assert status == 200, body
    return app


def _engine(app: App) -> Engine:
    assert app.state is not None
    return app.state.storage.engine  # type: ignore[attr-defined]


def _stored(tmp_path: Path, pk: str) -> dict[str, Any] | None:
    """The item as a fresh connection finds it in the file (the server must be shut down: it locks the file)."""
    conn = sqlite3.connect(tmp_path / "data" / "pocketcloud.sqlite3")
    try:
        rows = [orjson.loads(r[0]) for r in conn.execute("SELECT item FROM ddb_items")]
    finally:
        conn.close()
    return next((r for r in rows if r["pk"] == {"S": pk}), None)


# ---------------------------------------------------------------------------------------------------- engine


def test_transactions_outside_an_event_loop_commit_at_once(tmp_path):
    storage = SqliteStorage(tmp_path / "db.sqlite3")
    try:
        storage.resources.put(SCOPE, "doc", "a", {"v": 1})
        assert not storage.engine.conn.in_transaction
        assert not storage.commits.pending
    finally:
        storage.close()


def test_a_write_alone_in_its_loop_iteration_commits_at_once_without_a_group(tmp_path):
    storage = SqliteStorage(tmp_path / "db.sqlite3")

    async def main() -> list[tuple[bool, bool]]:
        seen = []
        for key in ("a", "b", "c"):  # one write per iteration, as a client sending one request at a time
            storage.resources.put(SCOPE, "doc", key, {"v": key})
            seen.append((storage.engine.conn.in_transaction, storage.commits.pending))
            await asyncio.sleep(0)
        return seen

    try:
        assert asyncio.run(main()) == [(False, False)] * 3
    finally:
        storage.close()
    assert _docs_after_reopening(tmp_path / "db.sqlite3", *"abc") == [{"v": "a"}, {"v": "b"}, {"v": "c"}]


def test_after_an_iteration_with_several_writes_the_first_write_of_the_next_opens_the_group(tmp_path):
    storage = SqliteStorage(tmp_path / "db.sqlite3")

    async def main() -> list[bool]:
        seen = []
        storage.resources.put(SCOPE, "doc", "a", {"v": 1})  # alone so far: committed at once
        seen.append(storage.commits.pending)
        storage.resources.put(SCOPE, "doc", "b", {"v": 2})  # the second of the iteration: a group
        seen.append(storage.commits.pending)
        await storage.commits.committed()
        await asyncio.sleep(0)
        storage.resources.put(SCOPE, "doc", "c", {"v": 3})  # concurrent load expected: the group at once
        seen.append(storage.commits.pending)
        await storage.commits.committed()
        await asyncio.sleep(0)
        storage.resources.put(SCOPE, "doc", "d", {"v": 4})  # the iteration before held one write: alone again
        seen.append(storage.commits.pending)
        return seen

    try:
        assert asyncio.run(main()) == [False, True, True, False]
        assert storage.resources.get(SCOPE, "doc", "d") == {"v": 4}
    finally:
        storage.close()


def test_a_transaction_alone_in_its_iteration_whose_commit_fails_raises_and_leaves_no_transaction_open(tmp_path):
    storage = SqliteStorage(tmp_path / "db.sqlite3")
    real = storage.engine.conn

    async def main() -> None:
        storage.engine.conn = _FailingCommit(real)  # type: ignore[assignment]
        try:
            with pytest.raises(sqlite3.OperationalError, match="disk is full"):
                storage.resources.put(SCOPE, "doc", "lost", {"v": 1})
        finally:
            storage.engine.conn = real
        assert not real.in_transaction
        await asyncio.sleep(0)
        storage.resources.put(SCOPE, "doc", "kept", {"v": 2})

    try:
        asyncio.run(main())
        assert storage.resources.get(SCOPE, "doc", "lost") is None
        assert storage.resources.get(SCOPE, "doc", "kept") == {"v": 2}
        assert storage.commits.failures == 0  # no group failed: the error went to the writer itself
    finally:
        storage.close()


def test_writes_of_one_loop_iteration_share_one_transaction_committed_by_the_scheduled_flush(tmp_path):
    storage = SqliteStorage(tmp_path / "db.sqlite3")

    async def main() -> list[bool]:
        seen = []
        storage.resources.put(SCOPE, "doc", "a", {"v": 1})
        storage.resources.put(SCOPE, "doc", "b", {"v": 2})
        seen.append(storage.engine.conn.in_transaction)
        await asyncio.sleep(0)  # the flush runs in the next iteration; nobody awaited the barrier
        await asyncio.sleep(0)
        seen.append(storage.engine.conn.in_transaction)
        return seen

    try:
        assert asyncio.run(main()) == [True, False]
        assert not storage.commits.pending
    finally:
        storage.close()
    assert _docs_after_reopening(tmp_path / "db.sqlite3", "b") == [{"v": 2}]


def test_a_failing_transaction_in_a_group_undoes_only_its_own_changes(tmp_path):
    storage = SqliteStorage(tmp_path / "db.sqlite3")

    async def main() -> None:
        storage.resources.put(SCOPE, "doc", "kept", {"v": 1})
        with pytest.raises(RuntimeError):
            with storage.resources.transaction():
                storage.resources.put(SCOPE, "doc", "undone", {"v": 2})
                raise RuntimeError("the request fails after writing")
        storage.resources.put(SCOPE, "doc", "after", {"v": 3})
        await storage.commits.committed()

    try:
        asyncio.run(main())
        assert storage.resources.get(SCOPE, "doc", "kept") == {"v": 1}
        assert storage.resources.get(SCOPE, "doc", "undone") is None
        assert storage.resources.get(SCOPE, "doc", "after") == {"v": 3}
        assert storage.commits.failures == 0
    finally:
        storage.close()


def test_close_commits_a_group_still_open(tmp_path):
    storage = SqliteStorage(tmp_path / "db.sqlite3")

    async def main() -> None:
        storage.resources.put(SCOPE, "doc", "a", {"v": 1})
        storage.close()  # before the scheduled flush has run

    asyncio.run(main())
    assert _docs_after_reopening(tmp_path / "db.sqlite3", "a") == [{"v": 1}]


def test_a_write_from_outside_the_loop_commits_the_open_group_first(tmp_path):
    storage = SqliteStorage(tmp_path / "db.sqlite3")

    async def main() -> None:
        storage.resources.put(SCOPE, "doc", "in-loop", {"v": 1})
        await asyncio.to_thread(storage.resources.put, SCOPE, "doc", "from-thread", {"v": 2})
        assert not storage.engine.conn.in_transaction

    try:
        asyncio.run(main())
        assert storage.resources.get(SCOPE, "doc", "in-loop") == {"v": 1}
        assert storage.resources.get(SCOPE, "doc", "from-thread") == {"v": 2}
    finally:
        storage.close()


# ---------------------------------------------------------------------------------------------------- server


def test_two_puts_in_one_iteration_one_failing_its_condition_leave_the_other_committed(tmp_path):
    async def main() -> None:
        app = await _started_app(tmp_path)
        try:
            assert (await _call(app, "PutItem", {"TableName": "tbl", "Item": _item("old", v="1")}))[0] == 200
            engine = _engine(app)
            in_transaction_when_answered = []

            async def call(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
                answer = await _call(app, "PutItem", body)
                in_transaction_when_answered.append(engine.conn.in_transaction)
                return answer

            (s1, b1), (s2, b2) = await asyncio.gather(
                call({"TableName": "tbl", "Item": _item("old", v="2"), "ConditionExpression": "attribute_not_exists(pk)"}),
                call({"TableName": "tbl", "Item": _item("new", v="3")}),
            )
            assert (s1, b1["__type"].split("#")[-1]) == (400, "ConditionalCheckFailedException")
            assert (s2, b2) == (200, {})
            assert in_transaction_when_answered == [False, False]
        finally:
            await app.shutdown()

    asyncio.run(main())
    assert _stored(tmp_path, "new") == _item("new", v="3")
    assert _stored(tmp_path, "old") == _item("old", v="1")


def test_a_put_is_not_answered_before_the_commit_covering_it_returns(tmp_path, monkeypatch):
    async def main() -> None:
        app = await _started_app(tmp_path)
        try:
            engine = _engine(app)
            loop = asyncio.get_running_loop()
            commits: list[float] = []
            real_flush = engine.flush

            def slow_flush() -> None:  # the scheduled flush runs 0.3 s late
                loop.call_later(0.3, lambda: (real_flush(), commits.append(loop.time())))

            monkeypatch.setattr(engine, "_flush_soon", slow_flush)
            started = loop.time()
            # Two puts in one iteration: the first commits on its own, the second opens the group.
            alone = asyncio.ensure_future(_call(app, "PutItem", {"TableName": "tbl", "Item": _item("alone")}))
            task = asyncio.ensure_future(_call(app, "PutItem", {"TableName": "tbl", "Item": _item("slow")}))
            await asyncio.sleep(0.15)
            assert alone.done() and alone.result()[0] == 200
            assert not task.done()  # written, but not committed: no answer yet
            assert engine.conn.in_transaction
            status, _ = await task
            answered = loop.time()
            assert status == 200
            assert commits and commits[0] <= answered
            assert answered - started >= 0.3
        finally:
            monkeypatch.undo()
            await app.shutdown()

    asyncio.run(main())
    assert _stored(tmp_path, "slow") == _item("slow")
    assert _stored(tmp_path, "alone") == _item("alone")


class _FailingCommit:
    """The connection, except that COMMIT fails as a full disk makes it fail."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT":
            raise sqlite3.OperationalError("database or disk is full")
        return self.conn.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def test_a_failed_group_commit_answers_every_waiting_request_500_and_keeps_none_of_its_writes(tmp_path):
    async def main() -> None:
        app = await _started_app(tmp_path)
        try:
            engine = _engine(app)
            real = engine.conn
            engine.conn = _FailingCommit(real)  # type: ignore[assignment]
            # The first put of the iteration commits on its own (an autocommit INSERT); the two after it
            # share the group whose COMMIT fails.
            alone, *results = await asyncio.gather(
                _call(app, "PutItem", {"TableName": "tbl", "Item": _item("alone")}),
                _call(app, "PutItem", {"TableName": "tbl", "Item": _item("a")}),
                _call(app, "PutItem", {"TableName": "tbl", "Item": _item("b")}),
            )
            engine.conn = real
            assert alone == (200, {})
            for status, body in results:
                assert status == 500
                assert body["__type"].split("#")[-1] == "InternalServerError"
            assert engine.failures == 1
            assert not real.in_transaction
            # The next group commits as usual, and the table (cached in memory) is still there.
            assert (await _call(app, "PutItem", {"TableName": "tbl", "Item": _item("c")}))[0] == 200
            status, body = await _call(app, "GetItem", {"TableName": "tbl", "Key": {"pk": {"S": "a"}}})
            assert (status, body) == (200, {})
        finally:
            await app.shutdown()

    asyncio.run(main())
    assert _stored(tmp_path, "a") is None and _stored(tmp_path, "b") is None
    assert _stored(tmp_path, "alone") == _item("alone")
    assert _stored(tmp_path, "c") == _item("c")


def test_a_second_engine_on_the_same_file_is_refused_while_the_first_is_open(tmp_path: Path) -> None:
    # (SQLite waits out its 5 s busy timeout before it says "locked": a second server takes that long to stop.)
    first = Engine(tmp_path / "pocketcloud.sqlite3")
    try:
        with pytest.raises(sqlite3.OperationalError, match="in use by another pocketcloud server"):
            Engine(tmp_path / "pocketcloud.sqlite3")
    finally:
        first.close()
    Engine(tmp_path / "pocketcloud.sqlite3").close()  # free again once the first is closed

