"""BatchGetItem — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html

Every key is read at once (nothing is ever left unprocessed for throughput), except that AWS stops adding items
once the response would pass 16 MB and hands the remaining keys back as UnprocessedKeys.
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationException
from ..expressions import check_expression_parameters
from ..items import Projector, context_if_needed, parse_key, projection_of, read_capacity
from ..tables import get_table, schema
from ..values import item_size, validate_item

MAX_KEYS = 100
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
TOO_MANY = "Too many items requested for the BatchGetItem call"
DUPLICATES = "Provided list of item keys contains duplicates"
# Real AWS (2026 captures, nubo-db/dynamodb-conformance) words these two with its newer validator: no value
# dump and capitalised member names. A few regions still answer the Coral form for an empty map.
EMPTY_REQUEST = "The requestItems parameter is required for BatchGetItem"
_KEYS_TOO_LONG = ("Value at 'RequestItems.{name}.member.Keys' failed to satisfy constraint: "
                  "Member must have length less than or equal to 100")
MIXED = ("Can not use both expression and non-expression parameters in the same request: "
         "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")


def prevalidate(data: dict[str, Any], errors: list[str]) -> None:
    """BatchGetItem's own request checks, run by the protocol before the model's constraints are reported."""
    requests = data.get("RequestItems")
    if requests == {}:
        raise ValidationException(EMPTY_REQUEST)
    if not isinstance(requests, dict):
        return
    for name, request in requests.items():
        keys = request.get("Keys") if isinstance(request, dict) else None
        if isinstance(keys, list) and len(keys) > MAX_KEYS:
            coral = f"at 'requestItems.{name}.member.keys' failed to satisfy constraint: Member must have length less than or equal to {MAX_KEYS}"
            errors[:] = [_KEYS_TOO_LONG.format(name=name) if e.endswith(coral) else e for e in errors]


def _prepare(ctx: Any, name: str, request: dict[str, Any]) -> tuple[Any, Any, Any, list[tuple[dict, Any]]]:
    check_expression_parameters(request, ["ProjectionExpression"], ["AttributesToGet"])
    for key in request["Keys"]:
        validate_item(key)
    exprs = context_if_needed(request, ("ProjectionExpression",))
    projection = projection_of(request, exprs)
    if exprs is not None:
        exprs.check_unused()
    table = get_table(ctx, name)
    sch = schema(table)
    keys = [(key, parse_key(sch, key)[1]) for key in request["Keys"]]
    if len({k for _, k in keys}) != len(keys):
        raise ValidationException(DUPLICATES)
    return table, sch, projection, keys


def batch_get_item(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    requests = params["RequestItems"]
    if sum(len(r["Keys"]) for r in requests.values()) > MAX_KEYS:
        raise ValidationException(TOO_MANY)
    # Each table's block may be consistent on its own; mixing the two styles across tables is refused too.
    if (any(r.get("AttributesToGet") is not None for r in requests.values())
            and any(r.get("ProjectionExpression") is not None for r in requests.values())):
        raise ValidationException(MIXED)
    prepared = {name: _prepare(ctx, name, request) for name, request in requests.items()}
    store = ctx.state.storage.dynamodb
    mode = params.get("ReturnConsumedCapacity")
    responses: dict[str, list[dict[str, Any]]] = {}
    unprocessed: dict[str, Any] = {}
    capacity: list[dict[str, Any]] = []
    total = 0
    for name, (table, _sch, projection, keys) in prepared.items():
        request = requests[name]
        project = Projector(projection) if projection is not None else None
        found: list[dict[str, Any]] = []
        left: list[dict[str, Any]] = []
        units = 0
        for raw_key, key in keys:
            if total > MAX_RESPONSE_BYTES:
                left.append(raw_key)
                continue
            item = store.get_item(table, key)
            if item is None:
                continue
            size = item_size(item)
            units += max(1, -(-size // 4096))  # each item rounds up to 4 KB on its own
            total += size
            found.append(project(item) if project is not None else item)
        responses[name] = found
        if left:
            unprocessed[name] = {**{k: v for k, v in request.items() if k != "Keys"}, "Keys": left}
        if mode in ("TOTAL", "INDEXES"):
            capacity.append(read_capacity(mode, table, max(1, units) * 4096, bool(request.get("ConsistentRead"))))  # type: ignore[arg-type]
    out: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": unprocessed}
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out
