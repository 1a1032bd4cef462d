"""INSERT, UPDATE and DELETE onto the shared write path (items.write): one conditional write each.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.insert.html (.update.html,
.delete.html). INSERT is a put conditioned on the item not existing (DuplicateItemException otherwise); UPDATE
requires the item to exist (ConditionalCheckFailedException otherwise); the WHERE terms beyond the key
equalities are the write's condition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import ConditionalCheckFailedException, DuplicateItemException, ValidationException
from ..expressions import Condition, Update, ast
from ..items import check_unknown_key_update, write, write_capacity
from ..tables import Schema, get_table, item_key, schema
from ..values import (
    MAX_ITEM_SIZE,
    check_index_keys,
    check_item_size,
    extract_key,
    item_size,
    validate_item,
)
from . import statements as st
from .parser import check_table_name
from .plan import item_key_and_rest

DUPLICATE = "Duplicate primary key exists in table"
UPDATE_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"


@dataclass
class PreparedWrite:
    """One write statement checked against its table, ready for items.write or a transaction."""

    table: Any
    sch: Schema
    key: Any  # the stored key
    condition: Condition | None
    build: Callable[[dict[str, Any] | None], dict[str, Any] | None] | None  # None: a condition check
    is_insert: bool
    update: Update | None = None


def _table(ctx: Any, target: st.Target) -> tuple[Any, Schema]:
    check_table_name(target.table)
    table = get_table(ctx, target.table)
    if target.index is not None:
        raise ValidationException("This operation is not supported on an index")
    return table, schema(table)


def _exists(name: str) -> ast.Condition:
    return ast.Call("attribute_exists", (ast.Path((name,)),))


def _and(left: ast.Condition, right: ast.Condition | None) -> ast.Condition:
    return left if right is None else ast.And(left, right)


def check_returning(stmt: st.Statement) -> None:
    returning = getattr(stmt, "returning", None)
    if isinstance(stmt, st.Delete) and returning is not None and (returning.which, returning.age) != ("ALL", "OLD"):
        raise ValidationException(
            f"Invalid returning clause: {returning.label()}. Only RETURNING ALL OLD * is allowed in DELETE statements."
        )


def prepare(ctx: Any, stmt: st.Statement) -> PreparedWrite:
    check_returning(stmt)
    if isinstance(stmt, st.Insert):
        table, sch = _table(ctx, stmt.target)
        validate_item(stmt.item)
        item = stmt.item
        check_item_size(item)
        extract_key(item, sch.key_schema, sch.attr_types, for_item=True)
        if sch.indexes:
            desc = table.description
            check_index_keys(item, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
        condition = Condition(ast.Call("attribute_not_exists", (ast.Path((sch.hash_name,)),)))
        return PreparedWrite(table, sch, item_key(sch, item), condition, lambda _old: item, True)
    if isinstance(stmt, st.Exists):
        table, sch = _table(ctx, stmt.select.target)
        try:
            key_attrs, rest = item_key_and_rest(stmt.select.where, sch.hash_name, sch.range_name)
        except ValidationException:
            raise ValidationException("EXISTS() must contain a single item read with additional condition") from None
        key = _key(sch, key_attrs)
        return PreparedWrite(table, sch, key, Condition(_and(_exists(sch.hash_name), rest)), None, False)
    assert isinstance(stmt, (st.Update, st.Delete))
    table, sch = _table(ctx, stmt.target)
    key_attrs, rest = item_key_and_rest(stmt.where, sch.hash_name, sch.range_name)
    key = _key(sch, key_attrs)
    if isinstance(stmt, st.Delete):
        return PreparedWrite(table, sch, key, Condition(rest) if rest is not None else None, lambda _old: None, False)
    update = Update(ast.UpdateExpression(stmt.actions))
    check_unknown_key_update(sch, update.updated_attributes)
    desc = table.description

    def build(old: dict[str, Any] | None) -> dict[str, Any]:
        new = update.apply(old if old is not None else key_attrs)
        if item_size(new) > MAX_ITEM_SIZE:
            raise ValidationException(UPDATE_TOO_LARGE)
        if sch.indexes:
            check_index_keys(new, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
        return new

    return PreparedWrite(table, sch, key, Condition(_and(_exists(sch.hash_name), rest)), build, False, update)


def _key(sch: Schema, key_attrs: dict[str, Any]) -> Any:
    extract_key(key_attrs, sch.key_schema, sch.attr_types, for_item=False)
    return item_key(sch, key_attrs)


def run_write(ctx: Any, stmt: st.Statement, params: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Runs one write statement: (ConsumedCapacity entry or {}, the rows RETURNING asks for)."""
    prepared = prepare(ctx, stmt)
    request = {"ReturnValuesOnConditionCheckFailure": params.get("ReturnValuesOnConditionCheckFailure")}
    assert prepared.build is not None
    try:
        old, new = write(ctx, prepared.table, prepared.sch, prepared.key, prepared.build,
                         condition=prepared.condition, need_old=True, params=request)
    except ConditionalCheckFailedException as err:
        if prepared.is_insert:
            raise DuplicateItemException(DUPLICATE) from None
        raise err
    capacity = write_capacity(params.get("ReturnConsumedCapacity"), prepared.table, prepared.sch, old, new)
    return capacity or {}, _returned(getattr(stmt, "returning", None), prepared.update, old, new)


def _returned(returning: st.Returning | None, update: Update | None, old: dict[str, Any] | None,
              new: dict[str, Any] | None) -> list[dict[str, Any]]:
    if returning is None:
        return []
    item = old if returning.age == "OLD" else new
    if item is None:
        return []
    if returning.which == "MODIFIED" and update is not None:
        item = update.project_updated(item)
    return [item] if item else []
