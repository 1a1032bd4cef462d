"""UpdateItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html

An update of a missing item creates it (key attributes plus whatever the update sets), unless the condition
fails. Every right-hand side reads the item as it was (the expression engine's updater does that).
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationException
from ..expressions import Update, check_expression_parameters, legacy
from ..items import (
    check_legacy_values,
    context_if_needed,
    item_collection_metrics,
    parse_key,
    write,
    write_capacity,
    write_condition,
)
from ..tables import get_table, schema
from ..values import MAX_ITEM_SIZE, check_index_keys, item_size, normalize_value, validate_attribute_value, validate_item

_INVALID = "One or more parameter values were invalid: "
TOO_LARGE = "Item size to update has exceeded the maximum allowed size"


def _attribute_updates(updates: dict[str, Any]) -> Update:
    checked = {}
    for name, spec in updates.items():
        if spec.get("Value") is not None:
            validate_attribute_value(spec["Value"])
            spec = {**spec, "Value": normalize_value(spec["Value"])}
        checked[name] = spec
    return Update(legacy.attribute_updates(checked))


def update_item(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_expression_parameters(params, ["UpdateExpression", "ConditionExpression"], ["AttributeUpdates", "Expected"])
    validate_item(params["Key"])
    update = _attribute_updates(params["AttributeUpdates"]) if params.get("AttributeUpdates") else None
    if params.get("Expected"):
        check_legacy_values(params["Expected"], value_member=True)
    exprs = context_if_needed(params, ("UpdateExpression", "ConditionExpression"))
    if params.get("UpdateExpression") is not None:
        assert exprs is not None
        update = exprs.update(params["UpdateExpression"])
    condition = write_condition(params, exprs)
    if exprs is not None:
        exprs.check_unused()
    return_values = params.get("ReturnValues") or "NONE"
    table = get_table(ctx, params["TableName"])
    sch = schema(table)
    key_attrs, key = parse_key(sch, params["Key"])
    if update is not None:
        for name in (sch.hash_name, sch.range_name):
            if name and name in update.updated_attributes:
                raise ValidationException(f"{_INVALID}Cannot update attribute {name}. This attribute is part of the key")
    desc = table.description

    def build(old: dict[str, Any] | None) -> dict[str, Any]:
        if update is None:
            new = dict(old) if old is not None else {}
        else:
            new = update.apply(old)
        if old is None:
            new = {**key_attrs, **new}
        if item_size(new) > MAX_ITEM_SIZE:
            raise ValidationException(TOO_LARGE)
        if sch.indexes:
            check_index_keys(new, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
        return new

    old, new = write(ctx, table, sch, key, build, condition=condition, need_old=True, params=params)
    assert new is not None
    out: dict[str, Any] = {}
    attributes = _returned(return_values, update, old, new)
    if attributes:
        out["Attributes"] = attributes
    capacity = write_capacity(params.get("ReturnConsumedCapacity"), table, sch, old, new)
    if capacity is not None:
        out["ConsumedCapacity"] = capacity
    metrics = item_collection_metrics(params, sch, key_attrs)
    if metrics is not None:
        out["ItemCollectionMetrics"] = metrics
    return out


def _returned(mode: str, update: Update | None, old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any] | None:
    if mode == "ALL_NEW":
        return new
    if mode == "ALL_OLD":
        return old
    if update is None:
        return None
    if mode == "UPDATED_OLD":
        return update.project_updated(old) if old is not None else None
    if mode == "UPDATED_NEW":
        return update.project_updated(new)
    return None
