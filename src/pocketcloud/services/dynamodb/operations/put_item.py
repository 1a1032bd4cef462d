"""PutItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html"""

from __future__ import annotations

from typing import Any

from ..tables import capture_change, get_table, index_entries, item_key, schema, ttl_value
from ..values import check_index_keys, check_item_size, extract_key, item_size, normalize_item, validate_item


def put_item(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = get_table(ctx, params["TableName"])
    sch = schema(table)
    item = params["Item"]
    validate_item(item)
    item = normalize_item(item)
    extract_key(item, sch.key_schema, sch.attr_types, for_item=True)
    if sch.indexes:
        desc = table.description
        check_index_keys(item, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
    check_item_size(item)
    key = item_key(sch, item)
    return_old = params.get("ReturnValues") == "ALL_OLD"
    with ctx.state.storage.dynamodb.write() as txn:
        old = txn.get(table, key) if (return_old or sch.stream_view) else None
        txn.put(table, key, item, item_size(item), index_entries(sch, item), ttl_value(sch, item))
        capture_change(txn, table, sch, old, item)
    out: dict[str, Any] = {}
    if return_old and old:
        out["Attributes"] = old
    return out
