"""DeleteItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html"""

from __future__ import annotations

from typing import Any

from ..expressions import check_expression_parameters
from ..items import (
    check_legacy_values,
    check_return_values,
    context_if_needed,
    item_collection_metrics,
    parse_key,
    write,
    write_capacity,
    write_condition,
)
from ..tables import get_table, schema
from ..values import validate_item

_RETURN_VALUES = ("NONE", "ALL_OLD")


def delete_item(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_expression_parameters(params, ["ConditionExpression"], ["Expected"])
    validate_item(params["Key"])
    if params.get("Expected"):
        check_legacy_values(params["Expected"], value_member=True)
    return_values = check_return_values(params, _RETURN_VALUES)
    exprs = context_if_needed(params, ("ConditionExpression",))
    condition = write_condition(params, exprs)
    if exprs is not None:
        exprs.check_unused()
    table = get_table(ctx, params["TableName"])
    sch = schema(table)
    key_attrs, key = parse_key(sch, params["Key"])
    mode = params.get("ReturnConsumedCapacity")
    need_old = return_values == "ALL_OLD" or mode in ("TOTAL", "INDEXES")
    old, _ = write(ctx, table, sch, key, lambda _old: None, condition=condition, need_old=need_old, params=params)
    out: dict[str, Any] = {}
    if return_values == "ALL_OLD" and old is not None:
        out["Attributes"] = old
    capacity = write_capacity(mode, table, sch, old, None)
    if capacity is not None:
        out["ConsumedCapacity"] = capacity
    metrics = item_collection_metrics(params, sch, key_attrs)
    if metrics is not None:
        out["ItemCollectionMetrics"] = metrics
    return out
