"""What TransactWriteItems and TransactGetItems share: one prepared action per TransactItem, the
same-item rule, cancellation reasons, and ClientRequestToken idempotency.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any, Callable

import orjson

from pocketcloud.storage.base import ItemKey, TableRecord

from .errors import IdempotentParameterMismatchException, TransactionCanceledException, ValidationException
from .expressions import Condition, check_expression_parameters
from .items import CONDITION_FAILED, context_if_needed, parse_key
from .tables import Schema, get_table, item_key, schema
from .values import MAX_ITEM_SIZE, check_index_keys, check_item_size, extract_key, item_size, normalize_item, validate_item

SAME_ITEM = "Transaction request cannot include multiple operations on one item"
ONE_ACTION = "TransactItems can only contain one of Check, Put, Update or Delete"
TOKEN_SECONDS = 600.0
MAX_REQUEST_BYTES = 4 * 1024 * 1024
_ACTIONS = ("ConditionCheck", "Put", "Delete", "Update")


@dataclass
class Action:
    kind: str  # ConditionCheck | Put | Delete | Update
    table: TableRecord
    sch: Schema
    key: ItemKey
    condition: Condition | None
    build: Callable[[dict[str, Any] | None], dict[str, Any] | None] | None  # None: no write (ConditionCheck)
    return_old_on_failure: bool


def _update_builder(sch: Schema, table: TableRecord, key_attrs: dict[str, Any], update: Any) -> Callable:
    desc = table.description

    def build(old: dict[str, Any] | None) -> dict[str, Any]:
        new = update.apply(old)
        if old is None:
            new = {**key_attrs, **new}
        if item_size(new) > MAX_ITEM_SIZE:
            raise ValidationException("Item size to update has exceeded the maximum allowed size")
        if sch.indexes:
            check_index_keys(new, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
        return new

    return build


def prepare_write(ctx: Any, entry: dict[str, Any]) -> Action:
    kinds = [k for k in _ACTIONS if entry.get(k) is not None]
    if len(kinds) != 1:
        raise ValidationException(ONE_ACTION)
    kind = kinds[0]
    body = entry[kind]
    expressions = ["UpdateExpression", "ConditionExpression"] if kind == "Update" else ["ConditionExpression"]
    check_expression_parameters(body, expressions, [])
    exprs = context_if_needed(body, tuple(expressions))
    condition = exprs.condition(body["ConditionExpression"]) if body.get("ConditionExpression") is not None else None  # type: ignore[union-attr]
    update = exprs.update(body["UpdateExpression"]) if kind == "Update" else None  # type: ignore[union-attr]
    if exprs is not None:
        exprs.check_unused()
    table = get_table(ctx, body["TableName"])
    sch = schema(table)
    build: Callable | None
    if kind == "Put":
        validate_item(body["Item"])
        item = normalize_item(body["Item"])
        check_item_size(item)
        extract_key(item, sch.key_schema, sch.attr_types, for_item=True)
        if sch.indexes:
            desc = table.description
            check_index_keys(item, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
        key = item_key(sch, item)
        build = lambda _old, item=item: item  # noqa: E731
    else:
        validate_item(body["Key"])
        key_attrs, key = parse_key(sch, body["Key"])
        if kind == "Update":
            for name in (sch.hash_name, sch.range_name):
                if name and name in update.updated_attributes:  # type: ignore[union-attr]
                    raise ValidationException(
                        f"One or more parameter values were invalid: Cannot update attribute {name}. This attribute is part of the key"
                    )
            build = _update_builder(sch, table, key_attrs, update)
        elif kind == "Delete":
            build = lambda _old: None  # noqa: E731
        else:
            build = None
    return Action(kind, table, sch, key, condition, build, body.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD")


def check_distinct(actions: list[Any]) -> None:
    seen: set[tuple[int, ItemKey]] = set()
    for action in actions:
        marker = (action.table.tid, action.key)
        if marker in seen:
            raise ValidationException(SAME_ITEM)
        seen.add(marker)


def cancel(reasons: list[dict[str, Any]]) -> TransactionCanceledException:
    codes = ", ".join(r["Code"] for r in reasons)
    return TransactionCanceledException(
        f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
        CancellationReasons=reasons,
    )


def condition_failed(item: dict[str, Any] | None, return_old: bool) -> dict[str, Any]:
    reason: dict[str, Any] = {"Code": "ConditionalCheckFailed", "Message": CONDITION_FAILED}
    if return_old and item is not None:
        reason["Item"] = item
    return reason


# -- ClientRequestToken ------------------------------------------------------------------------------------


def _tokens(ctx: Any) -> dict[tuple[str, str, str], tuple[float, str, dict[str, Any]]]:
    return ctx.state.runtime.setdefault("dynamodb.transaction_tokens", {})


def request_digest(params: dict[str, Any]) -> str:
    relevant = {k: v for k, v in params.items() if k not in ("ClientRequestToken", "ReturnConsumedCapacity")}
    return hashlib.sha256(orjson.dumps(relevant, option=orjson.OPT_SORT_KEYS)).hexdigest()


def replay(ctx: Any, params: dict[str, Any]) -> dict[str, Any] | None:
    """The earlier answer to the same token and request within 10 minutes; raises when the request differs."""
    token = params.get("ClientRequestToken")
    if token is None:
        return None
    tokens = _tokens(ctx)
    now = time.monotonic()
    for stale in [k for k, v in tokens.items() if now - v[0] > TOKEN_SECONDS]:
        del tokens[stale]
    seen = tokens.get((ctx.account_id, ctx.region, token))
    if seen is None:
        return None
    if seen[1] != request_digest(params):
        raise IdempotentParameterMismatchException(
            "The request uses the same client token as a previous, but non-identical request."
        )
    return seen[2]


def remember(ctx: Any, params: dict[str, Any], response: dict[str, Any]) -> None:
    token = params.get("ClientRequestToken")
    if token is not None:
        _tokens(ctx)[(ctx.account_id, ctx.region, token)] = (time.monotonic(), request_digest(params), response)
