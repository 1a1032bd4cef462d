"""GetItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html"""

from __future__ import annotations

from typing import Any

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
    item = ctx.state.storage.dynamodb.get_item(table, key)
    out: dict[str, Any] = {}
    if item is not None:
        out["Item"] = Projector(projection)(item) if projection is not None else item
    mode = params.get("ReturnConsumedCapacity")
    if mode in ("TOTAL", "INDEXES"):
        out["ConsumedCapacity"] = read_capacity(mode, table, item_size(item) if item else 0, bool(params.get("ConsistentRead")))
    return out
