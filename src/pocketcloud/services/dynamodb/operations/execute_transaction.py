"""ExecuteTransaction — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteTransaction.html

Up to 100 statements, all reads (SELECTs naming a whole primary key) or all writes (INSERT, UPDATE, DELETE,
EXISTS condition checks), all-or-nothing inside one storage transaction as TransactWriteItems is: any failed
condition or per-statement validation error cancels with one reason per statement. ClientRequestToken makes
a repeat within 10 minutes return without writing again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ValidationException
from ..items import write, write_capacity
from ..partiql import Exists, Select, parse
from ..partiql.batch import keyed_read
from ..partiql.writes import DUPLICATE, PreparedWrite, prepare
from ..transactions import (
    Step,
    capacity_entry,
    check_distinct,
    condition_failed,
    remember,
    replay,
    settle,
)
from ..values import item_size

RETURNING = "RETURNING clause is not supported in ExecuteTransaction."
MIXED = "Transactions must contain either all reads or all writes"
INDEX_READ = "Reads on indices are not supported within transactions."
INDEX_WRITE = "Operations on indices are not supported in transactions"
NO_KEY = "Select statements within ExecuteTransaction must specify the primary key in the where clause."


def execute_transaction(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    entries = params["TransactStatements"]
    statements = [_parse(at, e) for at, e in enumerate(entries)]
    for at, stmt in enumerate(statements):
        if getattr(stmt, "returning", None) is not None:
            raise ValidationException(f"Validation failed in TransactStatements[{at}]: {RETURNING}")
        if isinstance(stmt, Select) and stmt.target.index is not None:
            raise ValidationException(f"Validation failed in TransactStatements[{at}]: {INDEX_READ}")
        target = stmt.select.target if isinstance(stmt, Exists) else stmt.target
        if not isinstance(stmt, Select) and target.index is not None:
            raise ValidationException(f"Validation failed in TransactStatements[{at}]: {INDEX_WRITE}")
    reads = [isinstance(s, Select) for s in statements]
    if any(reads) and not all(reads):
        raise ValidationException(MIXED)
    mode = params.get("ReturnConsumedCapacity")
    if all(reads):
        return _read(ctx, statements, mode)
    prepared = [prepare(ctx, stmt) for stmt in statements]
    check_distinct(prepared)
    returns_old = [e.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" for e in entries]
    sizes: list[tuple[str, int]] = []
    tables: dict[str, float] = {}
    indexes: dict[str, dict[str, dict[str, float]]] = {}
    with ctx.state.storage.dynamodb.write() as txn:
        olds = [txn.get(p.table, p.key) for p in prepared]
        news = _try_all(prepared, olds, returns_old)
        for p, old, new in zip(prepared, olds, news):
            if p.build is not None:
                old, new = write(ctx, p.table, p.sch, p.key, lambda _old, new=new: new,
                                 condition=None, need_old=True, params={})
            touched = max(item_size(old) if old else 0, item_size(new) if new else 0)
            sizes.append((p.table.name, touched))
            tables[p.table.name] = tables.get(p.table.name, 0.0) + 2.0 * max(1, -(-touched // 1024))
            if p.build is not None and p.sch.indexes:
                _add_index_units(indexes.setdefault(p.table.name, {}), write_capacity("INDEXES", p.table, p.sch, old, new))
    remember(ctx, params, sizes)
    if mode not in ("TOTAL", "INDEXES"):
        return {}
    return {"ConsumedCapacity": [capacity_entry(name, units, "WriteCapacityUnits", mode, indexes.get(name))
                                 for name, units in tables.items()]}


def _add_index_units(totals: dict[str, dict[str, float]], capacity: dict[str, Any] | None) -> None:
    """Index parts of one write, as outside a transaction (write_capacity leaves out an index whose entry the
    write does not change): the transactional doubling applies to the table part only."""
    for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        for name, value in (capacity or {}).get(group, {}).items():
            slot = totals.setdefault(group, {})
            slot[name] = slot.get(name, 0.0) + value["CapacityUnits"]


def _parse(at: int, entry: dict[str, Any]) -> Any:
    try:
        return parse(entry["Statement"], entry.get("Parameters"))
    except ValidationException as err:
        raise ValidationException(f"Validation failed in TransactStatements[{at}]: {err.message}") from None


def _try_all(prepared: list[PreparedWrite], olds: list[dict[str, Any] | None], returns_old: list[bool]) -> list[Any]:
    def failed(p: PreparedWrite, return_old: bool) -> Callable[[dict[str, Any] | None], dict[str, Any]]:
        if p.is_insert:
            return lambda old: {"Code": "DuplicateItem", "Message": DUPLICATE}
        return lambda old: condition_failed(old, return_old)

    return settle([Step(None, p.condition, p.build, failed(p, r)) for p, r in zip(prepared, returns_old)], olds)


def _read(ctx: Any, statements: list[Any], mode: str | None) -> dict[str, Any]:
    responses: list[dict[str, Any]] = []
    tables: dict[str, float] = {}
    with ctx.state.storage.dynamodb.write() as txn:
        for stmt in statements:
            table, item, size = keyed_read(ctx, stmt, txn, NO_KEY)
            responses.append({"Item": item} if item is not None else {})
            tables[table.name] = tables.get(table.name, 0.0) + 2.0 * max(1, -(-size // 4096))
    out: dict[str, Any] = {"Responses": responses}
    if mode in ("TOTAL", "INDEXES"):
        out["ConsumedCapacity"] = [capacity_entry(name, units, "ReadCapacityUnits", mode) for name, units in tables.items()]
    return out
