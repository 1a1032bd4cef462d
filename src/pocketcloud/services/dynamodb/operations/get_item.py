"""GetItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html"""

from __future__ import annotations

from typing import Any

import orjson

from ..expressions import check_expression_parameters
from ..items import Projector, context_if_needed, parse_key, projection_of, read_capacity
from ..tables import get_table, schema
from ..values import item_size, validate_item


def get_item(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_expression_parameters(params, ["ProjectionExpression"], ["AttributesToGet"])
    validate_item(params["Key"])
    exprs = context_if_needed(params, ("ProjectionExpression",))
    projection = projection_of(params, exprs)
    if exprs is not None:
        exprs.check_unused()
    table = get_table(ctx, params["TableName"])
    sch = schema(table)
    _, key = parse_key(sch, params["Key"])
    mode = params.get("ReturnConsumedCapacity")
    store = ctx.state.storage.dynamodb
    if projection is None and mode not in ("TOTAL", "INDEXES"):
        # The whole item, nothing to measure: its stored JSON goes into the response as it is.
        raw = store.get_item_json(table, key)
        return {"Item": orjson.Fragment(raw)} if raw is not None else {}
    item = store.get_item(table, key)
    out: dict[str, Any] = {}
    if item is not None:
        out["Item"] = Projector(projection)(item) if projection is not None else item
    if mode in ("TOTAL", "INDEXES"):
        out["ConsumedCapacity"] = read_capacity(mode, table, item_size(item) if item else 0, bool(params.get("ConsistentRead")))
    return out
