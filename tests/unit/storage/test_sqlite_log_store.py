"""The SQLite LogStore: appends written by its writer process, reads after them, old data directories moved over."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

from pocketcloud.storage.sqlite import SqliteStorage
from pocketcloud.storage.sqlite.logs import SqliteLogStore

# The table log events had before logs.sqlite3 held them by stream ids (in the main file, then in logs.sqlite3).
OLD_LOG_EVENTS = (
    "CREATE TABLE log_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, region TEXT NOT NULL,"
    " grp TEXT NOT NULL, stream TEXT NOT NULL, ts INTEGER NOT NULL, ingested INTEGER NOT NULL,"
    " message TEXT NOT NULL);"
)


def _old_log_events(path: Path, rows: str) -> None:
    """A database at `path` with the old log_events table holding `rows` (SQL VALUES tuples)."""
    old = sqlite3.connect(path)
    old.executescript(
        OLD_LOG_EVENTS + "INSERT INTO log_events (account, region, grp, stream, ts, ingested, message) VALUES" + rows
        + ";")
    old.commit()
    old.close()


def test_a_read_right_after_appends_sees_every_event_in_order() -> None:
    store = SqliteLogStore(None)
    try:
        for i in range(200):
            store.append_batch([("1", "us-east-1", "g", f"s{i % 3}", [(1000 + i, f"m{i}"), (1000 + i, f"n{i}")], 5)])
        events = store.read("1", "us-east-1", "g", None)
        assert [e.message for e in events][:4] == ["m0", "n0", "m1", "n1"]
        assert len(events) == 400
        assert store.stream_stats("1", "us-east-1", "g")["s0"].first_event == 1000
        assert store.group_bytes("1", "us-east-1", "g") > 0
    finally:
        store.close()


def test_a_large_append_is_written_whole_and_in_order() -> None:
    store = SqliteLogStore(None)
    try:
        store.append("1", "us-east-1", "g", "s", [(7, f"m{i}") for i in range(1371)], 1)  # 1024+256+64+16+4+4+3
        assert [e.message for e in store.read("1", "us-east-1", "g", ["s"])] == [f"m{i}" for i in range(1371)]
    finally:
        store.close()


def test_a_delete_removes_the_events_appended_before_it() -> None:
    store = SqliteLogStore(None)
    try:
        store.append("1", "us-east-1", "g", "s", [(1, "a")], 1)
        store.delete("1", "us-east-1", "g", "s")
        assert store.read("1", "us-east-1", "g", ["s"]) == []
    finally:
        store.close()


def test_close_writes_the_queued_events_to_the_file(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "pocketcloud.sqlite3")
    storage.logs.append_batch([("1", "us-east-1", "g", "s", [(i, f"m{i}") for i in range(1000)], 1)])
    storage.close()
    reopened = SqliteStorage(tmp_path / "pocketcloud.sqlite3")
    try:
        assert len(reopened.logs.read("1", "us-east-1", "g", None)) == 1000
    finally:
        reopened.close()


def test_log_events_in_an_older_main_database_move_to_logs_sqlite3(tmp_path: Path) -> None:
    _old_log_events(tmp_path / "pocketcloud.sqlite3",
                    " ('1', 'us-east-1', 'g', 's', 5, 5, 'old one'), ('1', 'us-east-1', 'g', 's', 5, 5, 'old two')")
    storage = SqliteStorage(tmp_path / "pocketcloud.sqlite3")
    try:
        storage.logs.append("1", "us-east-1", "g", "s", [(5, "new")], 6)
        assert [e.message for e in storage.logs.read("1", "us-east-1", "g", None)] == ["old one", "old two", "new"]
        tables = storage.engine.conn.execute("SELECT name FROM sqlite_master WHERE name='log_events'").fetchall()
        assert tables == []
        assert (tmp_path / "logs.sqlite3").exists()
    finally:
        storage.close()


def test_a_killed_writer_process_is_replaced_and_later_events_are_written() -> None:
    store = SqliteLogStore(None)
    try:
        store.append("1", "us-east-1", "g", "s", [(1, "before")], 1)
        store.settle()
        os.kill(store._process.pid, signal.SIGKILL)
        store._process.wait()
        store.append("1", "us-east-1", "g", "s", [(2, "after")], 2)
        assert [e.message for e in store.read("1", "us-east-1", "g", None)] == ["before", "after"]
    finally:
        store.close()


def test_an_in_memory_store_keeps_its_file_in_a_temporary_directory_removed_at_close() -> None:
    store = SqliteLogStore(None)
    store.append("1", "us-east-1", "g", "s", [(1, "x")], 1)
    assert store.read("1", "us-east-1", "g", None)[0].message == "x"
    directory = store.path.parent
    assert directory.exists()
    store.close()
    assert not directory.exists()


def test_the_writer_process_commits_what_it_was_sent_when_the_server_goes_away(tmp_path: Path) -> None:
    store = SqliteLogStore(tmp_path / "logs.sqlite3")
    store.append("1", "us-east-1", "g", "s", [(i, f"m{i}") for i in range(500)], 1)
    store._process.stdin.close()  # what a killed server leaves behind: the end of the writer's input
    store._process.wait(10)
    conn = sqlite3.connect(tmp_path / "logs.sqlite3")
    try:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 500
    finally:
        conn.close()


def test_a_logs_file_from_before_stream_ids_is_moved_over_in_order(tmp_path: Path) -> None:
    _old_log_events(tmp_path / "logs.sqlite3",
                    " ('1', 'us-east-1', 'g', 'a', 5, 5, 'first'), ('1', 'us-east-1', 'g', 'b', 5, 5, 'second'),"
                    " ('1', 'us-east-1', 'h', 'a', 6, 6, 'other group')")
    store = SqliteLogStore(tmp_path / "logs.sqlite3")
    try:
        store.append("1", "us-east-1", "g", "a", [(7, "new")], 7)
        assert [(e.stream, e.message) for e in store.read("1", "us-east-1", "g", None)] == [
            ("a", "first"), ("b", "second"), ("a", "new")]
        assert [e.message for e in store.read("1", "us-east-1", "h", ["a"])] == ["other group"]
        assert set(store.stream_stats("1", "us-east-1", "g")) == {"a", "b"}
    finally:
        store.close()
    conn = sqlite3.connect(tmp_path / "logs.sqlite3")
    try:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name='log_events'").fetchall() == []
    finally:
        conn.close()


def test_deleting_a_stream_keeps_the_group_and_a_new_stream_of_that_name_starts_empty() -> None:
    store = SqliteLogStore(None)
    try:
        store.append("1", "us-east-1", "g", "s", [(1, "old")], 1)
        store.append("1", "us-east-1", "g", "t", [(1, "kept")], 1)
        store.delete("1", "us-east-1", "g", "s")
        store.append("1", "us-east-1", "g", "s", [(2, "new")], 2)
        assert [e.message for e in store.read("1", "us-east-1", "g", None)] == ["kept", "new"]
        store.delete("1", "us-east-1", "g")
        assert store.read("1", "us-east-1", "g", None) == []
    finally:
        store.close()


def test_the_writer_process_starts_with_the_first_append_not_with_the_store(tmp_path: Path) -> None:
    store = SqliteLogStore(tmp_path / "logs.sqlite3")
    try:
        assert store._process is None
        assert store.read("1", "us-east-1", "g", None) == []  # a read starts it too (it makes the schema)
        assert store._process is not None
    finally:
        store.close()
    quiet = SqliteLogStore(tmp_path / "other.sqlite3")
    quiet.close()
    assert quiet._process is None
