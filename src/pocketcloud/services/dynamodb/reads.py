"""What Query and Scan share: Select rules, index views, ExclusiveStartKey checks and the paging loop.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html and .../API_Scan.html
A page ends after Limit evaluated items or once the evaluated items reach 1 MB; the filter applies after that,
so Count <= ScannedCount. LastEvaluatedKey is the key of the last evaluated item (plus the index keys).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from .errors import ValidationException
from .expressions import Condition, ExpressionContext, Projection, ast, legacy
from .expressions.validate import walk
from .items import Projector, check_legacy_values, read_capacity
from .tables import IndexSchema, Schema
from .values import KEY_MISMATCH, extract_key, normalize_item, validate_attribute_value

_loads = orjson.loads
_Fragment = orjson.Fragment

PAGE_BYTES = 1024 * 1024
_INVALID = "One or more parameter values were invalid: "
_START_INVALID = "The provided starting key is invalid: "
_SELECT_WORDS = {"ALL_ATTRIBUTES": "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES": "ALL_PROJECTED_ATTRIBUTES",
                 "COUNT": "only the Count"}


def check_start_key_values(params: dict[str, Any]) -> None:
    for value in (params.get("ExclusiveStartKey") or {}).values():
        try:
            validate_attribute_value(value)
        except ValidationException as err:
            raise ValidationException(_START_INVALID + err.message) from None


def check_conditions_early(params: dict[str, Any], member: str, *, key: bool = False) -> None:
    """What AWS checks of a legacy Condition map before looking at the table: each condition's values, then
    its argument count; KeyConditions must then hold one or two conditions."""
    conditions = params.get(member)
    if conditions is None:
        return
    for spec in conditions.values():
        for value in spec.get("AttributeValueList") or ():
            validate_attribute_value(value)
        legacy.check_condition_counts({"_": spec})
    if key and len(conditions) not in (1, 2):
        raise ValidationException("Conditions can be of length 1 or 2 only")


def check_select(params: dict[str, Any], *, query: bool) -> str | None:
    """AWS's Select rules that need no table. Query words them as a Coral validation error, Scan bare."""
    prefix = "1 validation error detected: " if query else ""
    select = params.get("Select")
    given = "ProjectionExpression" if params.get("ProjectionExpression") is not None else (
        "AttributesToGet" if params.get("AttributesToGet") else None)
    if select == "SPECIFIC_ATTRIBUTES" and given is None:
        raise ValidationException(
            prefix + "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
        )
    if select in _SELECT_WORDS and given is not None:
        raise ValidationException(f"{prefix}Cannot specify the {given} when choosing to get {_SELECT_WORDS[select]}")
    if select == "ALL_PROJECTED_ATTRIBUTES" and params.get("IndexName") is None:
        raise ValidationException(prefix + "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
    return select


def find_index(sch: Schema, params: dict[str, Any]) -> IndexSchema | None:
    name = params.get("IndexName")
    if name is None:
        return None
    index = sch.indexes.get(name)
    if index is None:
        raise ValidationException(f"The table does not have the specified index: {name}")
    if index.is_global and params.get("ConsistentRead"):
        raise ValidationException("Consistent reads are not supported on global secondary indexes")
    return index


def filter_of(params: dict[str, Any], exprs: ExpressionContext | None, legacy_member: str) -> tuple[Condition | None, str]:
    """(FilterExpression or QueryFilter/ScanFilter, the name AWS uses for it in messages)."""
    expr = params.get("FilterExpression")
    if expr is not None:
        assert exprs is not None
        return exprs.condition(expr, "FilterExpression"), "Filter Expression"
    conditions = params.get(legacy_member)
    if conditions:
        tree = legacy.query_filter(check_legacy_values(conditions, value_member=False), params.get("ConditionalOperator"))
        return Condition(tree), legacy_member
    return None, legacy_member


def check_filter_keys(condition: Condition | None, label: str, key_names: tuple[str | None, ...]) -> None:
    """A Query filter may not name the key attributes of what it queries."""
    if condition is None:
        return
    heads = {node.head for node in walk(condition.tree) if isinstance(node, ast.Path)}
    for name in key_names:
        if name and name in heads:
            raise ValidationException(
                f"{label} can only contain non-primary key attributes: Primary key attribute: {name}"
            )


def check_select_for_index(select: str | None, index: IndexSchema | None, params: dict[str, Any]) -> None:
    if index is None or select != "ALL_ATTRIBUTES" or not index.is_global:
        return
    if index.projection.get("ProjectionType", "ALL") != "ALL":
        raise ValidationException(
            f"{_INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary index {index.name} "
            "because its projection type is not ALL"
        )


def start_key(
    params: dict[str, Any], sch: Schema, index: IndexSchema | None,
) -> dict[str, Any] | None:
    """The ExclusiveStartKey checked against the table (and index) key schema, normalized."""
    esk = params.get("ExclusiveStartKey")
    if esk is None:
        return None
    names = [sch.hash_name] + ([sch.range_name] if sch.range_name else [])
    if index is not None:
        names += [n for n in (index.hash_name, index.range_name) if n and n not in names]
    if len(esk) != len(names) or any(n not in esk for n in names):
        raise ValidationException(_START_INVALID + KEY_MISMATCH)
    esk = normalize_item(esk)
    try:
        extract_key({n: esk[n] for n in names[: 2 if sch.range_name else 1]}, sch.key_schema, sch.attr_types,
                    for_item=False)
    except ValidationException as err:
        raise ValidationException(_START_INVALID + err.message) from None
    if index is not None:
        for name, kind in ((index.hash_name, index.hash_type), (index.range_name, index.range_type)):
            if name and kind not in esk[name]:
                raise ValidationException(_START_INVALID + KEY_MISMATCH)
    return esk


@dataclass
class Shaper:
    """Turns a stored item into what the response carries: index view, then projection."""

    index_names: frozenset[str] | None  # attributes an index projects (None: all)
    projector: Projector | None
    count_only: bool

    def __call__(self, item: dict[str, Any]) -> dict[str, Any]:
        if self.index_names is not None:
            item = {k: v for k, v in item.items() if k in self.index_names}
        if self.projector is not None:
            item = self.projector(item)
        return item


def shaper(sch: Schema, index: IndexSchema | None, select: str | None, projection: Projection | None) -> Shaper:
    names = None
    if index is not None and select != "ALL_ATTRIBUTES":
        kind = index.projection.get("ProjectionType", "ALL")
        # A local index fetches missing attributes from the table when asked for them by name.
        if kind != "ALL" and not (projection is not None and not index.is_global):
            names = {sch.hash_name, index.hash_name}
            names.update(n for n in (sch.range_name, index.range_name) if n)
            if kind == "INCLUDE":
                names.update(index.projection.get("NonKeyAttributes") or ())
            names = frozenset(names)
    return Shaper(names, Projector(projection) if projection is not None else None, select == "COUNT")


def key_names_of(sch: Schema, index: IndexSchema | None) -> tuple[str, ...]:
    names = [sch.hash_name] + ([sch.range_name] if sch.range_name else [])
    if index is not None:
        names += [n for n in (index.hash_name, index.range_name) if n and n not in names]
    return tuple(names)


def page(
    rows: Iterator[tuple[Any, Any, bytes, int]],
    params: dict[str, Any],
    condition: Condition | None,
    shape: Shaper,
    last_key_names: tuple[str, ...],
    table: Any,
    index: IndexSchema | None,
) -> dict[str, Any]:
    """Reads one page of rows: Limit and 1 MB bound the evaluated items; the filter picks the returned ones.

    Sizes come from storage (computed when the item was written). Without a filter or a projection, items go
    into the response as their stored JSON (orjson.Fragment): only the last one is parsed, for its key.
    """
    limit = params.get("Limit")
    scanned = count = size = 0
    items: list[Any] = []
    last = None
    raw_through = condition is None and shape.index_names is None and shape.projector is None
    count_only = shape.count_only
    for _key, _position, raw, item_bytes in rows:
        scanned += 1
        size += item_bytes
        if raw_through:
            item = None
            count += 1
            if not count_only:
                items.append(_Fragment(raw))
        else:
            item = _loads(raw)
            if condition is None or condition.evaluate(item):
                count += 1
                if not count_only:
                    items.append(shape(item))
        if (limit is not None and scanned >= limit) or size >= PAGE_BYTES:
            last = item if item is not None else _loads(raw)
            break
    out: dict[str, Any] = {"Count": count, "ScannedCount": scanned}
    if not count_only:
        out["Items"] = items
    if last is not None:
        out["LastEvaluatedKey"] = {n: last[n] for n in last_key_names if n in last}
    capacity = read_capacity(params.get("ReturnConsumedCapacity"), table, size, bool(params.get("ConsistentRead")), index)
    if capacity is not None:
        out["ConsumedCapacity"] = capacity
    return out
