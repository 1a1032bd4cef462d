"""GetItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html"""

from __future__ import annotations

from typing import Any

from ..tables import get_table, item_key, schema
from ..values import extract_key, normalize_item, validate_item


def get_item(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = get_table(ctx, params["TableName"])
    sch = schema(table)
    key = params["Key"]
    validate_item(key)
    key = extract_key(normalize_item(key), sch.key_schema, sch.attr_types, for_item=False)
    item = ctx.state.storage.dynamodb.get_item(table, item_key(sch, key))
    return {"Item": item} if item is not None else {}
