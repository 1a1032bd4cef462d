"""TransactWriteItems — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html

Every action is checked, then inside one storage transaction every action is tried against the stored item:
a failed condition or a per-action ValidationError cancels the transaction with one reason per action (in
request order, "None" for the actions that would have succeeded); otherwise each write goes through the shared
write path.
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationException
from ..items import write, write_capacity
from ..transactions import (
    MAX_REQUEST_BYTES,
    Action,
    Step,
    capacity_entry,
    check_distinct,
    condition_failed,
    prepare_write,
    remember,
    replay,
    settle,
)
from ..values import item_size

TOO_LARGE = "Transaction request size exceeds the maximum allowed size of 4 MB"


def transact_write_items(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    earlier = replay(ctx, params)
    if earlier is not None:
        return earlier
    actions = [prepare_write(ctx, entry) for entry in params["TransactItems"]]
    check_distinct(actions)
    size = sum(item_size(e["Put"]["Item"]) for e in params["TransactItems"] if e.get("Put"))
    if size > MAX_REQUEST_BYTES:
        raise ValidationException(TOO_LARGE)
    mode = params.get("ReturnConsumedCapacity")
    sizes: list[tuple[str, int]] = []
    tables: dict[str, float] = {}
    indexes: dict[str, dict[str, dict[str, float]]] = {}
    with ctx.state.storage.dynamodb.write() as txn:
        olds = [txn.get(a.table, a.key) if a.key is not None else None for a in actions]
        news = _try_all(actions, olds)
        for action, old, new in zip(actions, olds, news):
            if action.build is not None:
                old, new = write(ctx, action.table, action.sch, action.key, lambda _old, new=new: new,
                                 condition=None, need_old=True, params={})  # type: ignore[arg-type]
            touched = max(item_size(old) if old else 0, item_size(new) if new else 0)
            sizes.append((action.table.name, touched))
            # The transactional factor doubles the table's part only; index parts cost what they cost outside one.
            tables[action.table.name] = tables.get(action.table.name, 0.0) + 2.0 * max(1, -(-touched // 1024))
            if action.build is not None and action.sch.indexes:
                _add_index_units(indexes.setdefault(action.table.name, {}), action.sch, old, new,
                                 write_capacity("INDEXES", action.table, action.sch, old, new))
    remember(ctx, params, sizes)
    if mode not in ("TOTAL", "INDEXES"):
        return {}
    return {"ConsumedCapacity": [capacity_entry(name, units, "WriteCapacityUnits", mode, indexes.get(name))
                                 for name, units in tables.items()]}


def _try_all(actions: list[Action], olds: list[dict[str, Any] | None]) -> list[dict[str, Any] | None]:
    """The new item of every action (None for deletes and checks), or the cancellation AWS answers with."""
    return settle([
        Step(a.invalid, a.condition, a.build, lambda old, a=a: condition_failed(old, a.return_old_on_failure))
        for a in actions
    ], olds)


def _add_index_units(totals: dict[str, dict[str, float]], sch: Any, old: dict[str, Any] | None,
                     new: dict[str, Any] | None, capacity: dict[str, Any] | None) -> None:
    """Index parts of one write; an index whose entry the write leaves as it was costs nothing (measured on
    AWS: an identical overwrite charges the table alone)."""
    for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        for name, value in (capacity or {}).get(group, {}).items():
            if old is not None and new is not None and _entry(sch, sch.indexes[name], old) == _entry(sch, sch.indexes[name], new):
                continue
            slot = totals.setdefault(group, {})
            slot[name] = slot.get(name, 0.0) + value["CapacityUnits"]


def _entry(sch: Any, index: Any, item: dict[str, Any]) -> dict[str, Any]:
    kind = index.projection.get("ProjectionType", "ALL")
    if kind == "ALL":
        return item
    names = {sch.hash_name, sch.range_name, index.hash_name, index.range_name}
    names.update(index.projection.get("NonKeyAttributes") or () if kind == "INCLUDE" else ())
    return {n: item[n] for n in names if n and n in item}
