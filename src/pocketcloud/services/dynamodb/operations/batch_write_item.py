"""BatchWriteItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html

All puts and deletes run in one storage transaction through the shared write path (items.write), so each
gets its index entries, TTL and stream record; nothing is ever left unprocessed (UnprocessedItems is {}).
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationException
from ..items import parse_key, write, write_capacity
from ..tables import get_table, item_key, schema
from ..values import check_index_keys, check_size, checked_item, extract_key, validate_item

MAX_REQUESTS = 25
DUPLICATES = "Provided list of item keys contains duplicates"
# AWS checks a WriteRequest as a union and words a bad one as it words a bad AttributeValue (even an empty one).
ONE_REQUEST = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
# Per table, the model already limits a list to 25; across tables AWS answers with this.
TOO_MANY = "Too many items requested for the BatchWriteItem call"
# Real AWS (2026 captures, nubo-db/dynamodb-conformance) words an empty map with its newer validator, and a
# wrong-typed key in a PutRequest as a schema mismatch (PutItem names the key and both types instead).
EMPTY_REQUEST = "The requestItems parameter is required for BatchWriteItem"
SCHEMA_MISMATCH = "The provided key element does not match the schema"
_TYPE_MISMATCH = "One or more parameter values were invalid: Type mismatch for key "


def prevalidate(data: dict[str, Any], errors: list[str]) -> None:
    """BatchWriteItem's own request checks, run by the protocol before the model's constraints are reported."""
    if data.get("RequestItems") == {}:
        raise ValidationException(EMPTY_REQUEST)


def _plan(ctx: Any, requests: dict[str, list[dict[str, Any]]]) -> list[tuple[Any, Any, Any, dict[str, Any] | None, int | None]]:
    """(table, schema, stored key, item or None for a delete, its size) per request, every request checked first."""
    plan = []
    for name, writes in requests.items():
        table = get_table(ctx, name)
        sch = schema(table)
        seen: set[Any] = set()
        for request in writes:
            put, delete = request.get("PutRequest"), request.get("DeleteRequest")
            if (put is None) == (delete is None):
                raise ValidationException(ONE_REQUEST)
            if put is not None:
                item, size = checked_item(put["Item"])
                check_size(size)
                try:
                    extract_key(item, sch.key_schema, sch.attr_types, for_item=True)
                except ValidationException as e:
                    if e.message.startswith(_TYPE_MISMATCH):
                        raise ValidationException(SCHEMA_MISMATCH) from None
                    raise
                if sch.indexes:
                    desc = table.description
                    check_index_keys(item, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
                key = item_key(sch, item)
            else:
                validate_item(delete["Key"])
                item, size = None, None
                key = parse_key(sch, delete["Key"])[1]
            if key in seen:
                raise ValidationException(DUPLICATES)
            seen.add(key)
            plan.append((table, sch, key, item, size))
    return plan


def batch_write_item(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    requests = params["RequestItems"]
    if sum(len(w) for w in requests.values()) > MAX_REQUESTS:
        raise ValidationException(TOO_MANY)
    # The shape of every request is checked before any table is looked up.
    for writes in requests.values():
        for request in writes:
            if (request.get("PutRequest") is None) == (request.get("DeleteRequest") is None):
                raise ValidationException(ONE_REQUEST)
    plan = _plan(ctx, requests)
    mode = params.get("ReturnConsumedCapacity")
    need_old = mode in ("TOTAL", "INDEXES")
    units: dict[str, dict[str, Any]] = {}
    with ctx.state.storage.dynamodb.write():
        for table, sch, key, item, size in plan:
            old, new = write(ctx, table, sch, key, lambda _old, item=item: item, condition=None, need_old=need_old,
                             params={}, size=size)
            capacity = write_capacity(mode, table, sch, old, new)
            if capacity is not None:
                _add_capacity(units, capacity)
    out: dict[str, Any] = {"UnprocessedItems": {}}
    if units:
        out["ConsumedCapacity"] = list(units.values())
    return out


def _add_capacity(totals: dict[str, dict[str, Any]], capacity: dict[str, Any]) -> None:
    """Sum per-table ConsumedCapacity entries (including their Table / index groups)."""
    current = totals.get(capacity["TableName"])
    if current is None:
        totals[capacity["TableName"]] = {k: (dict(v) if isinstance(v, dict) else v) for k, v in capacity.items()}
        for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            if group in capacity:
                totals[capacity["TableName"]][group] = {n: dict(u) for n, u in capacity[group].items()}
        return
    current["CapacityUnits"] += capacity["CapacityUnits"]
    if "Table" in capacity:
        current["Table"]["CapacityUnits"] += capacity["Table"]["CapacityUnits"]
    for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        for name, value in capacity.get(group, {}).items():
            slot = current.setdefault(group, {}).setdefault(name, {"CapacityUnits": 0.0})
            slot["CapacityUnits"] += value["CapacityUnits"]
