"""The storage interfaces: the only doors between services and a database.

Two stores:
- `ResourceStore` keeps control-plane documents (a Lambda function, a REST API, an IAM role ...) as JSON under
  (service, account, region, kind, key).
- `DynamoStore` keeps DynamoDB tables, items, index entries and change records. Keys arrive already encoded as
  order-preserving bytes (services/dynamodb/keycodec.py), so every query is a range scan on a primary key.

SQLite (storage/sqlite/) implements both; a PostgreSQL backend implements the same Protocols.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

# A stored item's address: (hash bucket, hash-key bytes, range-key bytes; b"" when the table has no range key).
ItemKey = tuple[int, bytes, bytes]
# An index entry: (index id, bucket of the index hash key, index hash-key bytes, index range-key bytes).
IndexEntry = tuple[int, int, bytes, bytes]


@dataclass(frozen=True, slots=True)
class Scope:
    service: str
    account: str
    region: str  # "" for global services (IAM)


@dataclass(frozen=True, slots=True)
class TableRecord:
    tid: int
    account: str
    region: str
    name: str
    description: dict[str, Any]  # the TableDescription pocketcloud keeps (plus private "_" keys)


@dataclass(frozen=True, slots=True)
class Bound:
    value: bytes
    inclusive: bool


class ResourceStore(Protocol):
    def get(self, scope: Scope, kind: str, key: str) -> dict[str, Any] | None: ...
    def put(self, scope: Scope, kind: str, key: str, doc: dict[str, Any]) -> None: ...
    def insert(self, scope: Scope, kind: str, key: str, doc: dict[str, Any]) -> bool:
        """Store only if absent; False when the key exists (atomic create)."""
        ...
    def delete(self, scope: Scope, kind: str, key: str) -> bool: ...
    def list(self, scope: Scope, kind: str, *, prefix: str = "", after: str | None = None, limit: int | None = None) -> list[tuple[str, dict[str, Any]]]: ...
    def transaction(self) -> AbstractContextManager[None]: ...
    def generation(self, service: str) -> int:
        """Changes whenever a document of `service` is written (put, insert, delete): the version check for
        in-memory caches of documents (see SqliteResourceStore.generation)."""
        ...


class DynamoWrite(Protocol):
    """One atomic write transaction on DynamoDB data (conditions are checked inside it)."""

    def get(self, table: TableRecord, key: ItemKey) -> dict[str, Any] | None: ...
    def put(self, table: TableRecord, key: ItemKey, item: dict[str, Any], size: int, entries: list[IndexEntry], ttl: float | None) -> None: ...
    def delete(self, table: TableRecord, key: ItemKey) -> None: ...
    def add_index_entries(self, table: TableRecord, key: ItemKey, entries: list[IndexEntry]) -> None:
        """Add entries of a new index to a stored item, leaving its other entries alone (GSI backfill)."""
        ...
    def append_change(self, table: TableRecord, record: dict[str, Any]) -> int:
        """Append a stream record; returns its sequence number."""
        ...


class DynamoStore(Protocol):
    def create_table(self, account: str, region: str, name: str, description: dict[str, Any]) -> TableRecord | None:
        """None when a table of that name exists."""
        ...
    def get_table(self, account: str, region: str, name: str) -> TableRecord | None: ...
    def list_tables(self, account: str, region: str, *, after: str | None, limit: int) -> list[str]: ...
    def all_tables(self) -> list[TableRecord]:
        """Every table of every account and region (background sweeps)."""
        ...
    def save_table(self, table: TableRecord, description: dict[str, Any]) -> TableRecord: ...
    def drop_table(self, table: TableRecord) -> None: ...
    def drop_index(self, table: TableRecord, iid: int) -> None: ...
    def table_stats(self, table: TableRecord) -> tuple[int, int]:
        """(item count, total item size in bytes)."""
        ...
    def index_stats(self, table: TableRecord, iid: int) -> tuple[int, int]: ...
    def write(self) -> AbstractContextManager[DynamoWrite]: ...
    def put_item(self, table: TableRecord, key: ItemKey, item: dict[str, Any], size: int, ttl: float | None) -> None:
        """Store an item that has no index entries, reading nothing first: `DynamoWrite.put`, atomic on its own
        (the plain PutItem, the commonest write, in as few statements as the backend allows)."""
        ...
    def get_item(self, table: TableRecord, key: ItemKey) -> dict[str, Any] | None: ...
    def get_item_json(self, table: TableRecord, key: ItemKey) -> bytes | None:
        """The stored item as the JSON bytes it was written as: a response can splice them in unparsed."""
        ...
    def query(
        self, table: TableRecord, iid: int | None, bucket: int, hash_key: bytes,
        lower: Bound | None, upper: Bound | None, forward: bool, start: tuple[bytes, ...] | None,
    ) -> Iterator[tuple[ItemKey, bytes, bytes, int]]:
        """Items of one partition (of the table, or of index `iid`) in range-key order, after `start`
        ((range,) for a table; (index range, hash, range) for an index). Yields (item key, index range, item JSON
        bytes, item size as stored by `DynamoWrite.put`): reads decode only what they must."""
        ...
    def scan(
        self, table: TableRecord, iid: int | None, lo: int, hi: int, start: tuple[Any, ...] | None,
    ) -> Iterator[tuple[ItemKey, tuple[Any, ...], bytes, int]]:
        """Items whose bucket is in [lo, hi] in storage order, after position `start`. Yields (item key, position,
        item JSON bytes, item size), as `query` does."""
        ...
    def expired(self, table: TableRecord, now: float, limit: int) -> list[ItemKey]: ...
    def recompute_ttl(self, table: TableRecord, ttl_of: Callable[[dict[str, Any]], float | None]) -> int:
        """Set every item's stored expiry to ttl_of(item), in one transaction (TTL enabled or its attribute
        changed); returns how many items now have an expiry."""
        ...
    def changes(self, table: TableRecord, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]: ...


@dataclass(frozen=True, slots=True)
class LogEvent:
    seq: int  # insertion order, unique across the store (breaks ties between equal timestamps)
    stream: str
    timestamp: int  # ms since the epoch, as the producer stamped it
    ingestion_time: int
    message: str


@dataclass(frozen=True, slots=True)
class LogStreamStats:
    first_event: int
    last_event: int
    last_ingestion: int
    stored_bytes: int


class LogStore(Protocol):
    """CloudWatch Logs events: append-only, read by (group, stream, timestamp). Groups and streams themselves
    are ResourceStore documents; this store holds only their events (many, small, written on every invoke)."""

    def append(self, account: str, region: str, group: str, stream: str, events: list[tuple[int, str]], ingestion_time: int) -> None: ...
    def append_batch(self, batch: list[tuple[str, str, str, str, list[tuple[int, str]], int]]) -> None:
        """Several appends, (account, region, group, stream, events, ingestion_time) each, in one write."""
        ...
    def read(
        self, account: str, region: str, group: str, streams: list[str] | None, *,
        start: int | None = None, end: int | None = None, after: tuple[int, int] | None = None,
        before: tuple[int, int] | None = None, forward: bool = True, limit: int = 10000,
    ) -> list[LogEvent]:
        """Events of the group (or of `streams`) in [start, end) by (timestamp, seq), strictly after `after` /
        before `before` (a (timestamp, seq) position), oldest first when forward else newest first."""
        ...
    def stream_stats(self, account: str, region: str, group: str) -> dict[str, LogStreamStats]: ...
    def group_bytes(self, account: str, region: str, group: str) -> int: ...
    def delete(self, account: str, region: str, group: str, stream: str | None = None) -> None:
        """Drop the events of a whole group, or of one stream."""
        ...


class Commits(Protocol):
    """Group commit's durability barrier: a response must not leave before the writes it reports are committed.

    The server reads `failures` before a request, and after it awaits `committed()` when `pending` is set or
    `failures` moved; a move means writes the request may have made or read were rolled back: it answers 500.
    """

    pending: bool  # writes made on the event loop are not committed yet
    failures: int  # group commits that failed so far

    async def committed(self) -> None:
        """Return once everything written so far is committed, or its commit failed (`failures` moves)."""
        ...


class Storage(Protocol):
    resources: ResourceStore
    dynamodb: DynamoStore
    logs: LogStore
    commits: Commits

    def close(self) -> None: ...
