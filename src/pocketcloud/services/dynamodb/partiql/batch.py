"""What BatchExecuteStatement and ExecuteTransaction share: keyed reads, error codes, capacity per table.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html
"""

from __future__ import annotations

from typing import Any

from ..errors import DynamoDBError, ValidationException
from ..expressions import Condition
from ..tables import item_key
from ..values import extract_key, item_size
from .plan import item_key_and_rest
from .select import find_target, project
from .statements import Select


def error_code(err: DynamoDBError) -> str:
    """A batch member's Error.Code: the exception's name without 'Exception' (ValidationError for validation)."""
    name = type(err).__name__
    if name == "ValidationException":
        return "ValidationError"
    return name[: -len("Exception")] if name.endswith("Exception") else name


def keyed_read(ctx: Any, stmt: Select, txn: Any, no_key_message: str) -> tuple[Any, dict[str, Any] | None, int]:
    """A SELECT that must name the whole primary key: (table, the returned item or None, the item's size)."""
    table, sch, index = find_target(ctx, stmt)
    if index is not None:
        raise ValidationException(no_key_message)
    try:
        key_attrs, rest = item_key_and_rest(stmt.where, sch.hash_name, sch.range_name)
    except ValidationException:
        raise ValidationException(no_key_message) from None
    extract_key(key_attrs, sch.key_schema, sch.attr_types, for_item=False)
    key = item_key(sch, key_attrs)
    item = txn.get(table, key) if txn is not None else ctx.state.storage.dynamodb.get_item(table, key)
    if item is None:
        return table, None, 0
    size = item_size(item)
    if rest is not None and not Condition(rest).evaluate(item):
        return table, None, size
    if stmt.paths is not None:
        item = project(stmt.paths)(item)
    return table, item, size


def add_table_capacity(totals: dict[str, dict[str, Any]], entry: dict[str, Any] | None) -> None:
    if not entry:
        return
    name = entry["TableName"]
    seen = totals.get(name)
    if seen is None:
        totals[name] = dict(entry)
        return
    seen["CapacityUnits"] += entry["CapacityUnits"]
    if "Table" in entry:
        seen["Table"] = {"CapacityUnits": seen.get("Table", {}).get("CapacityUnits", 0.0) + entry["Table"]["CapacityUnits"]}
