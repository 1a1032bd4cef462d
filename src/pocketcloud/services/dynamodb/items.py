"""What the item operations share: request checks, the one write path, projections and consumed capacity.

Write path (PutItem, UpdateItem, DeleteItem): inside one storage transaction read the current item (only when
something needs it), test the condition, build the new item, write it with its index entries, capture the
stream record. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html
Capacity: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from pocketcloud.storage.base import ItemKey, TableRecord

from .errors import ConditionalCheckFailedException, ValidationException
from .expressions import Condition, ExpressionContext, Projection, legacy
from .expressions.projection import project
from .tables import Schema, capture_change, index_entries, item_key, ttl_value
from .values import (
    extract_key,
    item_size,
    normalize_item,
    normalize_value,
    validate_attribute_value,
)

CONDITION_FAILED = "The conditional request failed"
ALL_OLD_OR_NONE = "ReturnValues can only be ALL_OLD or NONE"
_INVALID = "One or more parameter values were invalid: "


# ---------------------------------------------------------------------------------------------------- requests


def parse_key(sch: Schema, key: dict[str, Any]) -> tuple[dict[str, Any], ItemKey]:
    """A Key parameter (its values already validated) checked against the schema: (key attributes, stored key)."""
    key = extract_key(normalize_item(key), sch.key_schema, sch.attr_types, for_item=False)
    return key, item_key(sch, key)


def expression_context(params: dict[str, Any]) -> ExpressionContext | None:
    """The request's ExpressionContext, with its values validated and normalized; None without placeholders
    or expressions (the common legacy/plain request pays nothing). AWS checks the placeholder keys of both maps
    before the values themselves."""
    names, values = params.get("ExpressionAttributeNames"), params.get("ExpressionAttributeValues")
    context = ExpressionContext(names, values)
    if values:
        checked = {}
        for key, value in values.items():
            try:
                validate_attribute_value(value)
            except ValidationException as err:
                raise ValidationException(
                    f"ExpressionAttributeValues contains invalid value: {err.message} for key {key}"
                ) from None
            checked[key] = normalize_value(value)
        context.placeholders.values = checked
    return context


def context_if_needed(params: dict[str, Any], expressions: tuple[str, ...]) -> ExpressionContext | None:
    """The ExpressionContext when the request uses any of `expressions` (after check_expression_parameters,
    placeholders never come without an expression)."""
    for name in expressions:
        if params.get(name) is not None:
            return expression_context(params)
    return None


def check_legacy_values(conditions: dict[str, Any] | None, *, value_member: bool) -> dict[str, Any] | None:
    """Validates and normalizes the attribute values of Expected / QueryFilter / ScanFilter / KeyConditions."""
    if not conditions:
        return conditions
    out: dict[str, Any] = {}
    for name, spec in conditions.items():
        spec = dict(spec)
        if value_member and spec.get("Value") is not None:
            validate_attribute_value(spec["Value"])
            spec["Value"] = normalize_value(spec["Value"])
        if spec.get("AttributeValueList") is not None:
            for value in spec["AttributeValueList"]:
                validate_attribute_value(value)
            spec["AttributeValueList"] = [normalize_value(v) for v in spec["AttributeValueList"]]
        out[name] = spec
    return out


def write_condition(params: dict[str, Any], exprs: ExpressionContext | None) -> Condition | None:
    """ConditionExpression or Expected (+ConditionalOperator) of a write, ready to evaluate."""
    expr = params.get("ConditionExpression")
    if expr is not None:
        assert exprs is not None
        return exprs.condition(expr, "ConditionExpression")
    expected = params.get("Expected")
    if expected:
        return Condition(legacy.expected(check_legacy_values(expected, value_member=True), params.get("ConditionalOperator")))
    return None


def projection_of(params: dict[str, Any], exprs: ExpressionContext | None) -> Projection | None:
    expr = params.get("ProjectionExpression")
    if expr is not None:
        assert exprs is not None
        return exprs.projection(expr)
    names = params.get("AttributesToGet")
    if names:
        return Projection(legacy.attributes_to_get(names))
    return None


class Projector:
    """Applies a projection to many items: plain top-level names (the usual case) take a dict comprehension."""

    __slots__ = ("names", "paths")

    def __init__(self, projection: Projection) -> None:
        paths = projection.tree.paths
        self.paths = paths
        self.names = tuple(p.parts[0] for p in paths) if all(len(p.parts) == 1 for p in paths) else None

    def __call__(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.names is not None:
            return {n: item[n] for n in self.names if n in item}
        return project(item, self.paths)


# ---------------------------------------------------------------------------------------------------- capacity


def _units(size: int, per: int) -> int:
    return max(1, math.ceil(size / per))


def index_view(sch: Schema, index: Any, item: dict[str, Any]) -> dict[str, Any]:
    """The attributes of `item` an index stores (its projection)."""
    kind = index.projection.get("ProjectionType", "ALL")
    if kind == "ALL":
        return item
    names = {sch.hash_name, sch.range_name, index.hash_name, index.range_name}
    names.update(index.projection.get("NonKeyAttributes") or () if kind == "INCLUDE" else ())
    return {n: item[n] for n in names if n and n in item}


def index_entry_size(sch: Schema, index: Any, item: dict[str, Any]) -> int:
    return item_size(index_view(sch, index, item))


def _in_index(index: Any, item: dict[str, Any] | None) -> bool:
    if item is None:
        return False
    hv = item.get(index.hash_name)
    if hv is None or index.hash_type not in hv:
        return False
    if index.range_name is None:
        return True
    rv = item.get(index.range_name)
    return rv is not None and index.range_type in rv


def write_capacity(
    mode: str | None, table: TableRecord, sch: Schema, old: dict[str, Any] | None, new: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """ConsumedCapacity of one write: the larger of the old and new item in 1 KB units, plus each index
    the write touches (two writes when an index key changed: delete the old entry, put the new one).

    An index whose stored view of the item does not change costs nothing and gets no entry at all (an
    identical overwrite, or an update of an attribute the index does not project), as real DynamoDB reports.
    """
    if mode not in ("TOTAL", "INDEXES"):
        return None
    table_units = float(_units(max(item_size(old) if old else 0, item_size(new) if new else 0), 1024))
    total = table_units
    groups: dict[str, dict[str, Any]] = {}
    for index in sch.indexes.values():
        was, now = _in_index(index, old), _in_index(index, new)
        if not was and not now:
            continue
        if was and now and index_view(sch, index, old) == index_view(sch, index, new):  # type: ignore[arg-type]
            continue
        units = 0.0
        if was and now and any(old.get(n) != new.get(n) for n in (index.hash_name, index.range_name) if n):  # type: ignore[union-attr]
            units = float(_units(index_entry_size(sch, index, old), 1024) + _units(index_entry_size(sch, index, new), 1024))  # type: ignore[arg-type]
        else:
            units = float(_units(max(index_entry_size(sch, index, old) if was else 0,  # type: ignore[arg-type]
                                     index_entry_size(sch, index, new) if now else 0), 1024))  # type: ignore[arg-type]
        total += units
        group = "GlobalSecondaryIndexes" if index.is_global else "LocalSecondaryIndexes"
        groups.setdefault(group, {})[index.name] = {"CapacityUnits": units}
    out: dict[str, Any] = {"TableName": table.name, "CapacityUnits": total}
    if mode == "INDEXES":
        out["Table"] = {"CapacityUnits": table_units}
        out.update(groups)
    return out


def read_capacity(
    mode: str | None, table: TableRecord, size: int, consistent: bool, index: Any = None,
) -> dict[str, Any] | None:
    """ConsumedCapacity of a read of `size` bytes: 4 KB units, halved for eventually consistent reads."""
    if mode not in ("TOTAL", "INDEXES"):
        return None
    units = _units(size, 4096) * (1.0 if consistent else 0.5)
    out: dict[str, Any] = {"TableName": table.name, "CapacityUnits": units}
    if mode == "INDEXES":
        if index is None:
            out["Table"] = {"CapacityUnits": units}
        else:
            out["Table"] = {"CapacityUnits": 0.0}
            group = "GlobalSecondaryIndexes" if index.is_global else "LocalSecondaryIndexes"
            out[group] = {index.name: {"CapacityUnits": units}}
    return out


def item_collection_metrics(params: dict[str, Any], sch: Schema, key: dict[str, Any]) -> dict[str, Any] | None:
    """AWS returns item collection metrics only for tables with local secondary indexes."""
    if params.get("ReturnItemCollectionMetrics") != "SIZE":
        return None
    if not any(not index.is_global for index in sch.indexes.values()):
        return None
    return {"ItemCollectionKey": {sch.hash_name: key[sch.hash_name]}, "SizeEstimateRangeGB": [0.0, 1.0]}


# ---------------------------------------------------------------------------------------------------- writing


def write(
    ctx: Any,
    table: TableRecord,
    sch: Schema,
    key: ItemKey,
    build: Callable[[dict[str, Any] | None], dict[str, Any] | None],
    *,
    condition: Condition | None,
    need_old: bool,
    params: dict[str, Any],
    size: int | None = None,
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Run one conditional write; `build(old)` returns the new item (None deletes). Returns (old, new).

    `need_old` says whether anything besides the condition and the stream needs the current item: reading it
    costs a lookup, so a plain PutItem skips it. `size`: the size of what `build` returns, when the caller
    has measured it already.
    """
    need_old = need_old or condition is not None or sch.stream_view is not None
    store = ctx.state.storage.dynamodb
    if not need_old and not sch.indexes:
        new = build(None)
        if new is not None:
            # Nothing to read and nothing to write beside the item: one statement, atomic on its own.
            store.put_item(table, key, new, item_size(new) if size is None else size, ttl_value(sch, new))
            return None, new
    with store.write() as txn:
        old = txn.get(table, key) if need_old else None
        if condition is not None and not condition.evaluate(old):
            fields = {}
            if params.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and old is not None:
                fields["Item"] = old
            raise ConditionalCheckFailedException(CONDITION_FAILED, **fields)
        new = build(old)
        if new is None:
            if old is not None or not need_old:
                txn.delete(table, key)
        else:
            txn.put(table, key, new, item_size(new) if size is None else size,
                    index_entries(sch, new) if sch.indexes else [], ttl_value(sch, new))
        capture_change(txn, table, sch, old, new)
    return old, new


def check_return_values(params: dict[str, Any], allowed: tuple[str, ...]) -> str:
    value = params.get("ReturnValues") or "NONE"
    if value not in allowed:
        raise ValidationException(ALL_OLD_OR_NONE)
    return value


def check_unknown_key_update(sch: Schema, names: frozenset[str] | set[str]) -> None:
    for name in (sch.hash_name, sch.range_name):
        if name and name in names:
            raise ValidationException(f"{_INVALID}Cannot update attribute {name}. This attribute is part of the key")
