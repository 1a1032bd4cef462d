"""PutItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html"""

from __future__ import annotations

from typing import Any

from ..expressions import check_expression_parameters
from ..items import (
    check_legacy_values,
    check_return_values,
    context_if_needed,
    item_collection_metrics,
    write,
    write_capacity,
    write_condition,
)
from ..tables import get_table, item_key, key_of, schema
from ..values import check_index_keys, check_size, checked_item, extract_key

_RETURN_VALUES = ("NONE", "ALL_OLD")


def put_item(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_expression_parameters(params, ["ConditionExpression"], ["Expected"])
    item, size = checked_item(params["Item"])  # validated, in normal form, measured: one walk
    if params.get("Expected"):
        check_legacy_values(params["Expected"], value_member=True)
    return_values = check_return_values(params, _RETURN_VALUES)
    check_size(size)
    exprs = context_if_needed(params, ("ConditionExpression",))
    condition = write_condition(params, exprs)
    if exprs is not None:
        exprs.check_unused()
    table = get_table(ctx, params["TableName"])
    sch = schema(table)
    extract_key(item, sch.key_schema, sch.attr_types, for_item=True)
    if sch.indexes:
        desc = table.description
        check_index_keys(item, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
    capacity_mode = params.get("ReturnConsumedCapacity")
    need_old = return_values == "ALL_OLD" or capacity_mode in ("TOTAL", "INDEXES")
    old, _ = write(ctx, table, sch, item_key(sch, item), lambda _old: item, condition=condition, need_old=need_old,
                   params=params, size=size)
    out: dict[str, Any] = {}
    if return_values == "ALL_OLD" and old is not None:
        out["Attributes"] = old
    capacity = write_capacity(capacity_mode, table, sch, old, item)
    if capacity is not None:
        out["ConsumedCapacity"] = capacity
    if params.get("ReturnItemCollectionMetrics"):
        metrics = item_collection_metrics(params, sch, key_of(sch, item))
        if metrics is not None:
            out["ItemCollectionMetrics"] = metrics
    return out

