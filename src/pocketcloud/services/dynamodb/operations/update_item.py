"""UpdateItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html

An update of a missing item creates it (key attributes plus whatever the update sets), unless the condition
fails. Every right-hand side reads the item as it was (the expression engine's updater does that).
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationException
from ..expressions import Update, ast, check_expression_parameters, legacy
from ..expressions.updater import WRONG_TYPE
from ..expressions.validate import walk
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
from ..values import (
    MAX_ITEM_SIZE,
    check_index_keys,
    index_key_order,
    item_size,
    normalize_value,
    type_of,
    validate_attribute_value,
    validate_item,
)

_INVALID = "One or more parameter values were invalid: "
TOO_LARGE = "Item size to update has exceeded the maximum allowed size"
LEGACY_WRONG_TYPE = "Type mismatch for attribute to update"
UNSUPPORTED_INDEX_TYPE = "The update expression attempted to update the secondary index key to unsupported type"


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
    desc = table.description
    order = index_key_order(desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ())) if sch.indexes else []
    if update is not None:
        _check_static(update, sch, order)

    def build(old: dict[str, Any] | None) -> dict[str, Any]:
        if update is None:
            new = dict(old) if old is not None else {}
        else:
            # A new item starts as its key: right-hand sides may read the key attributes.
            new = update.apply(old if old is not None else key_attrs)
        if old is None:
            new = {**key_attrs, **new}
        if item_size(new) > MAX_ITEM_SIZE or (update is not None and _update_size(update, new) > MAX_ITEM_SIZE):
            raise ValidationException(TOO_LARGE)
        if order:
            for name, _ in order:
                value = new.get(name)
                if value is not None and sch.attr_types[name] not in value:
                    raise ValidationException(UNSUPPORTED_INDEX_TYPE)
            check_index_keys(new, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
        return new

    try:
        old, new = write(ctx, table, sch, key, build, condition=condition, need_old=True, params=params)
    except ValidationException as err:
        # AttributeUpdates words a type clash its own way.
        if params.get("AttributeUpdates") and err.message == WRONG_TYPE:
            raise ValidationException(LEGACY_WRONG_TYPE) from None
        raise
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


# What standalone UpdateItem measures besides the finished item (2026-08 captures of real DynamoDB, published
# with nubo-db/dynamodb-conformance): the top-level attributes the update writes, name and value, plus 3 bytes
# for the update, 19 per SET/ADD (20 through a list index) and 2 per REMOVE/DELETE. So the key and untouched
# attributes are free, and at a short key the ceiling sits just under 400 KB. Transactions measure the item.
_UPDATE_COST = 3
_ACTION_COST = {ast.SetAction: 19, ast.AddAction: 19, ast.RemoveAction: 2, ast.DeleteAction: 2}


def _update_size(update: Update, new: dict[str, Any]) -> int:
    cost = _UPDATE_COST
    written: set[str] = set()
    for action in update.tree.actions:
        cost += _ACTION_COST.get(type(action), 0)
        if isinstance(action, ast.SetAction) and any(isinstance(p, int) for p in action.path.parts):
            cost += 1
        if not isinstance(action, ast.RemoveAction):
            written.add(action.path.head)
    return cost + item_size({name: new[name] for name in written if name in new})


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


def _check_static(update: Update, sch: Any, order: list[tuple[str, str]]) -> None:
    """What AWS refuses before reading the item: updating a key attribute, giving an index key a value whose
    type is known from the request to be wrong, and any nested path into a key attribute."""
    for name in (sch.hash_name, sch.range_name):
        if name and name in update.updated_attributes:
            raise ValidationException(f"{_INVALID}Cannot update attribute {name}. This attribute is part of the key")
    if order:
        assigned: dict[str, str] = {}
        for action in update.tree.actions:
            if len(action.path.parts) == 1 and not isinstance(action, (ast.RemoveAction, ast.DeleteAction)):
                kind = _static_type(action.value)  # type: ignore[union-attr]
                if kind is not None:
                    assigned[action.path.head] = kind
        for name, index_name in order:
            kind = assigned.get(name)
            if kind is not None and kind != sch.attr_types[name]:
                raise ValidationException(
                    f"{_INVALID}Type mismatch for Index Key {name} Expected: {sch.attr_types[name]} "
                    f"Actual: {kind} IndexName: {index_name}"
                )
    nested = {node.head for node in walk(update.tree) if isinstance(node, ast.Path) and len(node.parts) > 1}
    if nested:
        for name in (sch.hash_name, sch.range_name):
            if name in nested:
                raise ValidationException(_SCALARS + f"Key: {name}")
        for name, _ in order:
            if name in nested:
                raise ValidationException(_SCALARS + f"IndexKey: {name}")


_SCALARS = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "


def _static_type(node: Any) -> str | None:
    if isinstance(node, ast.Literal):
        return type_of(node.value)
    if isinstance(node, ast.Arithmetic):
        return "N"
    if isinstance(node, ast.Call) and node.name == "list_append":
        return "L"
    return None
