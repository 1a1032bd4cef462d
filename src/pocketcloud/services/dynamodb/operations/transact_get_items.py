"""TransactGetItems — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html

All reads run inside one storage transaction, so they see one consistent state.
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationException
from ..expressions import check_expression_parameters
from ..items import Projector, context_if_needed, parse_key, projection_of
from ..tables import get_table, schema
from ..transactions import SAME_ITEM
from ..values import item_size, validate_item


def transact_get_items(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    reads = []
    for entry in params["TransactItems"]:
        body = entry["Get"]
        check_expression_parameters(body, ["ProjectionExpression"], [])
        validate_item(body["Key"])
        exprs = context_if_needed(body, ("ProjectionExpression",))
        projection = projection_of(body, exprs)
        if exprs is not None:
            exprs.check_unused()
        table = get_table(ctx, body["TableName"])
        _, key = parse_key(schema(table), body["Key"])
        reads.append((table, key, Projector(projection) if projection is not None else None))
    if len({(t.tid, k) for t, k, _ in reads}) != len(reads):
        raise ValidationException(SAME_ITEM)
    responses = []
    totals: dict[str, dict[str, Any]] = {}
    with ctx.state.storage.dynamodb.write() as txn:
        for table, key, project in reads:
            item = txn.get(table, key)
            units = 2.0 * max(1, -(-(item_size(item) if item else 0) // 4096))
            entry = totals.setdefault(table.name, {"TableName": table.name, "CapacityUnits": 0.0, "ReadCapacityUnits": 0.0})
            entry["CapacityUnits"] += units
            entry["ReadCapacityUnits"] += units
            if item is None:
                responses.append({})
            else:
                responses.append({"Item": project(item) if project is not None else item})
    out: dict[str, Any] = {"Responses": responses}
    if params.get("ReturnConsumedCapacity") in ("TOTAL", "INDEXES"):
        out["ConsumedCapacity"] = list(totals.values())
    return out
