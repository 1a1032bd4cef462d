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
from .operations.update_item import TOO_LARGE as UPDATE_TOO_LARGE
from .operations.update_item import UNSUPPORTED_INDEX_TYPE
from .operations.update_item import _check_static as check_static_update
from .tables import Schema, get_table, item_key, schema
from .values import (
    MAX_ITEM_SIZE,
    check_index_keys,
    check_size,
    checked_item,
    extract_key,
    index_key_order,
    item_size,
    normalize_item,
    validate_item,
)

SAME_ITEM = "Transaction request cannot include multiple operations on one item"
ONE_ACTION = "TransactItems can only contain one of Check, Put, Update or Delete"
TOKEN_SECONDS = 600.0
MAX_REQUEST_BYTES = 4 * 1024 * 1024
_ACTIONS = ("ConditionCheck", "Put", "Delete", "Update")


# AWS refuses an empty key value (table or index) before the transaction opens; every other per-action
# problem it can only see once it looks at the table (a key of the wrong type, a missing key attribute, an
# index key of the wrong type, an update that grows the item too large or clashes with a stored type) becomes
# a "ValidationError" cancellation reason. Checked against the dynamodb-conformance captures (2026).
EMPTY_KEY_VALUE = "cannot contain an empty"
_UPDATE_EMPTY_INDEX_KEY = (
    "One or more parameter values are not valid. The update expression attempted to update a secondary index key "
    "to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty {noun} value."
)


@dataclass
class Action:
    kind: str  # ConditionCheck | Put | Delete | Update
    table: TableRecord
    sch: Schema
    key: ItemKey | None  # None when the key itself is invalid (see `invalid`)
    condition: Condition | None
    build: Callable[[dict[str, Any] | None], dict[str, Any] | None] | None  # None: no write (ConditionCheck)
    return_old_on_failure: bool
    invalid: str | None = None  # a ValidationError the action is cancelled with


def deferred(check: Callable[[], Any]) -> tuple[Any, str | None]:
    """(result, None), or (None, message) for a ValidationException that becomes a cancellation reason.
    Empty key values stay request errors."""
    try:
        return check(), None
    except ValidationException as err:
        if EMPTY_KEY_VALUE in err.message:
            raise
        return None, err.message


def _update_builder(sch: Schema, table: TableRecord, key_attrs: dict[str, Any], update: Any) -> Callable:
    desc = table.description
    order = index_key_order(desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ())) if sch.indexes else []

    def build(old: dict[str, Any] | None) -> dict[str, Any]:
        # A new item starts as its key: right-hand sides may read the key attributes.
        new = update.apply(old if old is not None else key_attrs)
        if old is None:
            new = {**key_attrs, **new}
        if item_size(new) > MAX_ITEM_SIZE:
            raise ValidationException(UPDATE_TOO_LARGE)
        for name, _ in order:
            value = new.get(name)
            if value is None:
                continue
            expected = sch.attr_types[name]
            if expected not in value:
                raise ValidationException(UNSUPPORTED_INDEX_TYPE)
            if expected != "N" and value[expected] == "":
                raise ValidationException(_UPDATE_EMPTY_INDEX_KEY.format(noun="string" if expected == "S" else "binary"))
        return new

    return build


def _put_key(sch: Schema, table: TableRecord, item: dict[str, Any]) -> ItemKey:
    # Empty key values first: AWS reports them even when another key attribute has the wrong type.
    for name in filter(None, (sch.hash_name, sch.range_name)):
        value = item.get(name) or {}
        expected = sch.attr_types[name]
        if expected != "N" and value.get(expected) == "":
            extract_key({name: value}, [{"AttributeName": name, "KeyType": "HASH"}], sch.attr_types, for_item=True)
    extract_key(item, sch.key_schema, sch.attr_types, for_item=True)
    if sch.indexes:
        desc = table.description
        check_index_keys(item, sch.attr_types, desc.get("GlobalSecondaryIndexes", ()), desc.get("LocalSecondaryIndexes", ()))
    return item_key(sch, item)


def request_key(sch: Schema, key: dict[str, Any]) -> ItemKey:
    """The stored key of a Key parameter; empty values raise before a mismatched schema is reported."""
    for name, value in key.items():
        expected = sch.attr_types.get(name)
        if name in (sch.hash_name, sch.range_name) and expected != "N" and value.get(expected) == "":
            extract_key({name: value}, [{"AttributeName": name, "KeyType": "HASH"}], sch.attr_types, for_item=True)
    return parse_key(sch, key)[1]


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
    return_old = body.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
    if kind == "Put":
        item, size = checked_item(body["Item"])
        check_size(size)  # knowable from the request alone: a request error, never a cancellation
        key, invalid = deferred(lambda: _put_key(sch, table, item))
        return Action(kind, table, sch, key, condition, lambda _old, item=item: item, return_old, invalid)
    validate_item(body["Key"])
    key, invalid = deferred(lambda: request_key(sch, body["Key"]))
    build: Callable | None = None
    if kind == "Update":
        order = index_key_order(table.description.get("GlobalSecondaryIndexes", ()),
                                table.description.get("LocalSecondaryIndexes", ())) if sch.indexes else []
        try:
            check_static_update(update, sch, order)
        except ValidationException as err:
            if not err.message.startswith(_INDEX_TYPE_MISMATCH):
                raise
            invalid = invalid or err.message
        if invalid is None:
            build = _update_builder(sch, table, extract_key(normalize_item(body["Key"]), sch.key_schema, sch.attr_types, for_item=False), update)
    elif kind == "Delete":
        build = lambda _old: None  # noqa: E731
    return Action(kind, table, sch, key, condition, build, return_old, invalid)


_INDEX_TYPE_MISMATCH = "One or more parameter values were invalid: Type mismatch for Index Key"


def check_distinct(actions: list[Any]) -> None:
    seen: set[tuple[int, ItemKey]] = set()
    for action in actions:
        if action.key is None:
            continue
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


def validation_error(message: str) -> dict[str, Any]:
    return {"Code": "ValidationError", "Message": message}


def condition_failed(item: dict[str, Any] | None, return_old: bool) -> dict[str, Any]:
    reason: dict[str, Any] = {"Code": "ConditionalCheckFailed", "Message": CONDITION_FAILED}
    if return_old and item is not None:
        reason["Item"] = item
    return reason


@dataclass(frozen=True, slots=True)
class Step:
    """One write of a transaction as `settle` sees it: a request-level problem found earlier (a ValidationError
    reason), the condition, how to build the new item from the old, and the reason to give when the condition fails."""

    invalid: str | None
    condition: Condition | None
    build: Callable[[dict[str, Any] | None], dict[str, Any] | None] | None
    failed: Callable[[dict[str, Any] | None], dict[str, Any]]


def settle(steps: list[Step], olds: list[dict[str, Any] | None]) -> list[dict[str, Any] | None]:
    """The new item of every step (None for deletes and checks), or the cancellation AWS answers with:
    every step is tried, so each gets its own reason ("None" when it would have succeeded)."""
    reasons: list[dict[str, Any]] = []
    news: list[dict[str, Any] | None] = []
    for step, old in zip(steps, olds):
        new = None
        if step.invalid is not None:
            reasons.append(validation_error(step.invalid))
        elif step.condition is not None and not step.condition.evaluate(old):
            reasons.append(step.failed(old))
        else:
            try:
                new = step.build(old) if step.build is not None else None
                reasons.append({"Code": "None"})
            except ValidationException as err:
                if EMPTY_KEY_VALUE in err.message:
                    raise
                reasons.append(validation_error(err.message))
        news.append(new)
    if any(r["Code"] != "None" for r in reasons):
        raise cancel(reasons)
    return news

# -- ClientRequestToken ------------------------------------------------------------------------------------


def _tokens(ctx: Any) -> dict[tuple[str, str, str], tuple[float, str, list[tuple[str, int]]]]:
    return ctx.state.runtime.setdefault("dynamodb.transaction_tokens", {})


def request_digest(params: dict[str, Any]) -> str:
    relevant = {k: v for k, v in params.items() if k not in ("ClientRequestToken", "ReturnConsumedCapacity")}
    return hashlib.sha256(orjson.dumps(relevant, option=orjson.OPT_SORT_KEYS)).hexdigest()


def replay(ctx: Any, params: dict[str, Any]) -> dict[str, Any] | None:
    """The answer to a repeat of a token's request within 10 minutes (nothing is written again); raises when
    the request differs. AWS bills a repeat as a transactional read of each item the first call touched,
    reported in the repeat's own ReturnConsumedCapacity mode."""
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
    mode = params.get("ReturnConsumedCapacity")
    if mode not in ("TOTAL", "INDEXES"):
        return {}
    totals: dict[str, float] = {}
    for table, size in seen[2]:
        totals[table] = totals.get(table, 0.0) + 2.0 * max(1, -(-size // 4096))
    return {"ConsumedCapacity": [capacity_entry(name, units, "ReadCapacityUnits", mode) for name, units in totals.items()]}


def remember(ctx: Any, params: dict[str, Any], sizes: list[tuple[str, int]]) -> None:
    """Keep a tokened request's digest and the (table, item size) of each action it ran."""
    token = params.get("ClientRequestToken")
    if token is not None:
        _tokens(ctx)[(ctx.account_id, ctx.region, token)] = (time.monotonic(), request_digest(params), sizes)


def capacity_entry(table: str, units: float, axis: str, mode: str, indexes: dict[str, dict[str, float]] | None = None) -> dict[str, Any]:
    """A transaction's ConsumedCapacity for one table. Transactions report the read or write axis beside
    CapacityUnits at every level; INDEXES adds the Table part and each index's part."""
    index_units = sum(u for group in (indexes or {}).values() for u in group.values())
    total = units + index_units
    out: dict[str, Any] = {"TableName": table, "CapacityUnits": total, axis: total}
    if mode == "INDEXES":
        out["Table"] = {"CapacityUnits": units, axis: units}
        for group, members in (indexes or {}).items():
            out[group] = {name: {"CapacityUnits": u, axis: u} for name, u in members.items()}
    return out
