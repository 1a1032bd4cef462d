"""TransactGetItems — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html

All reads run inside one storage transaction, so they see one consistent state. A Key that does not match its
table's schema cancels the transaction with a "ValidationError" reason, as AWS does; expression and empty-key
problems are request errors.
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationException
from ..expressions import check_expression_parameters
from ..items import Projector, context_if_needed, projection_of
from ..tables import get_table, schema
from ..transactions import SAME_ITEM, cancel, capacity_entry, deferred, request_key, validation_error
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
        sch = schema(table)
        key, invalid = deferred(lambda: request_key(sch, body["Key"]))
        reads.append((table, key, invalid, Projector(projection) if projection is not None else None))
    keys = [(t.tid, k) for t, k, _, _ in reads if k is not None]
    if len(set(keys)) != len(keys):
        raise ValidationException(SAME_ITEM)
    if any(invalid is not None for _, _, invalid, _ in reads):
        raise cancel([validation_error(invalid) if invalid is not None else {"Code": "None"} for _, _, invalid, _ in reads])
    responses = []
    totals: dict[str, float] = {}
    with ctx.state.storage.dynamodb.write() as txn:
        for table, key, _, project in reads:
            item = txn.get(table, key)
            # Two read units per 4 KB, and a missing item still costs the minimum.
            totals[table.name] = totals.get(table.name, 0.0) + 2.0 * max(1, -(-(item_size(item) if item else 0) // 4096))
            if item is None:
                responses.append({})
            else:
                responses.append({"Item": project(item) if project is not None else item})
    out: dict[str, Any] = {"Responses": responses}
    mode = params.get("ReturnConsumedCapacity")
    if mode in ("TOTAL", "INDEXES"):
        out["ConsumedCapacity"] = [capacity_entry(name, units, "ReadCapacityUnits", mode) for name, units in totals.items()]
    return out
