"""How standalone UpdateItem measures the 400 KB limit (2026-08 captures of real DynamoDB, published with the
nubo-db/dynamodb-conformance suite): the attributes the update writes plus a per-action cost, as well as the
finished item; a transacted Update measures only the finished item."""
from __future__ import annotations

import pytest
from test_parity_items_support import VALIDATION, call, tables  # noqa: F401

LIMIT = 409_600
TOO_LARGE = "Item size to update has exceeded the maximum allowed size"


def _update(endpoint, table, key, expression, values, names=None):
    body = {"TableName": table, "Key": key, "UpdateExpression": expression, "ExpressionAttributeValues": values}
    if names:
        body["ExpressionAttributeNames"] = names
    return call(endpoint, "UpdateItem", body)


# (description, expression, extra values, names, bytes the update charges besides the padded attribute "p")
SHAPES = [
    ("one SET costs 3 + 19", "SET p = :pad", {}, None, 22),
    ("a second SET costs 19 more (and its attribute)", "SET p = :pad, c = :c", {":c": {"S": "y"}}, None, 22 + 19 + 2),
    ("a REMOVE costs 2", "SET p = :pad REMOVE r", {}, None, 24),
    ("an alias costs nothing", "SET #n = :pad", {}, {"#n": "p"}, 22),
]


@pytest.mark.parametrize("description, expression, values, names, charged", SHAPES, ids=[s[0] for s in SHAPES])
def test_update_item_charges_what_it_writes_plus_a_cost_per_action(endpoint, tables, description, expression, values,
                                                                   names, charged):
    table = tables["hash"]
    for key_value, padding, ok in (("K", LIMIT - charged - 1, True), ("L", LIMIT - charged, False)):
        key = {"a": {"S": key_value + description[:6]}}
        status, body = _update(endpoint, table, key, expression, {":pad": {"S": "x" * padding}, **values}, names)
        if ok:
            assert status == 200, body
        else:
            assert (status, body["__type"], body["message"]) == (400, VALIDATION, TOO_LARGE)


def test_the_finished_item_still_caps_an_update_at_a_long_key(endpoint, tables):
    key = {"a": {"S": "k" * 100}}
    base = 1 + 100 + 1  # key name and value, name of "p"
    status, body = _update(endpoint, tables["hash"], key, "SET p = :pad", {":pad": {"S": "x" * (LIMIT - base)}})
    assert status == 200, body
    status, body = _update(endpoint, tables["hash"], key, "SET p = :pad", {":pad": {"S": "x" * (LIMIT - base + 1)}})
    assert (status, body["message"]) == (400, TOO_LARGE)


def test_a_transacted_update_measures_only_the_finished_item(endpoint, tables):
    key = {"a": {"S": "Y"}}
    padding = LIMIT - 2 - 1  # "a"+"Y", "p"
    status, body = _update(endpoint, tables["hash"], key, "SET p = :pad", {":pad": {"S": "x" * padding}})
    assert (status, body["message"]) == (400, TOO_LARGE)
    status, body = call(endpoint, "TransactWriteItems", {"TransactItems": [{"Update": {
        "TableName": tables["hash"], "Key": key, "UpdateExpression": "SET p = :pad",
        "ExpressionAttributeValues": {":pad": {"S": "x" * padding}}}}]})
    assert status == 200, body
