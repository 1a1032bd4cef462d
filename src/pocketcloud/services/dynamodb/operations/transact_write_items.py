"""TransactWriteItems — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html

Every action is checked, then inside one storage transaction every condition is tested; if any fails the
transaction is cancelled with one reason per action, else each write goes through the shared write path.
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationException
from ..items import write, write_capacity
from ..transactions import (
    MAX_REQUEST_BYTES,
    cancel,
    check_distinct,
    condition_failed,
    prepare_write,
    remember,
    replay,
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
    totals: dict[str, dict[str, Any]] = {}
    store = ctx.state.storage.dynamodb
    with store.write() as txn:
        olds = [txn.get(a.table, a.key) for a in actions]
        reasons = []
        for action, old in zip(actions, olds):
            if action.condition is not None and not action.condition.evaluate(old):
                reasons.append(condition_failed(old, action.return_old_on_failure))
            else:
                reasons.append({"Code": "None"})
        if any(r["Code"] != "None" for r in reasons):
            raise cancel(reasons)
        for action in actions:
            if action.build is None:
                _count(totals, action.table.name, read=2.0)
                continue
            old, new = write(ctx, action.table, action.sch, action.key, action.build, condition=None, need_old=True, params={})
            capacity = write_capacity("TOTAL", action.table, action.sch, old, new)
            _count(totals, action.table.name, write=2.0 * capacity["CapacityUnits"])  # type: ignore[index]
    out: dict[str, Any] = {}
    if mode in ("TOTAL", "INDEXES"):
        out["ConsumedCapacity"] = list(totals.values())
    remember(ctx, params, out)
    return out


def _count(totals: dict[str, dict[str, Any]], table: str, *, read: float = 0.0, write: float = 0.0) -> None:
    """Transactional reads and writes cost twice their plain counterparts."""
    entry = totals.setdefault(table, {"TableName": table, "CapacityUnits": 0.0})
    entry["CapacityUnits"] += read + write
    if read:
        entry["ReadCapacityUnits"] = entry.get("ReadCapacityUnits", 0.0) + read
    if write:
        entry["WriteCapacityUnits"] = entry.get("WriteCapacityUnits", 0.0) + write
