"""GetItem, PutItem and DeleteItem parity: raw requests and the exact error AWS gives (dynalite's AWS-run suite),
ReturnValues, number normalization and ConsumedCapacity."""

from __future__ import annotations

import pytest
from test_parity_items_support import CONDITIONAL, NOT_FOUND, VALIDATION, call, check_error, fill, tables, unique

__all__ = ["tables"]

_INVALID = "One or more parameter values were invalid: "
_MISMATCH = "The provided key element does not match the schema"

CASES = [
    ("GetItem", "empty key value", {"TableName": "abc", "Key": {"a": {}}}, VALIDATION,
     "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
    # {"NULL": false} is accepted since 2026-06 (stored as NULL true), so the missing table is what answers.
    ("GetItem", "false NULL", {"TableName": "abc", "Key": {"a": {"NULL": False}}}, NOT_FOUND,
     "Requested resource not found"),
    ("GetItem", "duplicate AttributesToGet", {"TableName": "abc", "Key": {}, "AttributesToGet": ["a", "a"]}, VALIDATION,
     _INVALID + "Duplicate value in attribute name: a"),
    ("GetItem", "missing table", {"TableName": "no_such_table_x", "Key": {}}, NOT_FOUND, "Requested resource not found"),
    *[("GetItem", f"key {k}", {"TableName": "$hash", "Key": k}, VALIDATION, _MISMATCH)
      for k in ({}, {"b": {"S": "a"}}, {"a": {"S": "a"}, "b": {"S": "a"}}, {"a": {"B": "abcd"}}, {"a": {"NS": ["1"]}})],
    ("GetItem", "range key missing", {"TableName": "$range", "Key": {"a": {"S": "a"}}}, VALIDATION, _MISMATCH),
    ("GetItem", "hash key too big", {"TableName": "$hash", "Key": {"a": {"S": "a" * 2049}}}, VALIDATION,
     _INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"),
    ("GetItem", "range key too big", {"TableName": "$range", "Key": {"a": {"S": "a"}, "b": {"S": "b" * 1025}}}, VALIDATION,
     _INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"),
    ("GetItem", "empty string key", {"TableName": "$hash", "Key": {"a": {"S": ""}}}, VALIDATION,
     "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string "
     "value. Key: a"),
    ("PutItem", "Exists without Value", {"TableName": "abc", "Item": {}, "Expected": {"a": {}}}, VALIDATION,
     _INVALID + "Value must be provided when Exists is null for Attribute: a"),
    *[("PutItem", f"ReturnValues {v}", {"TableName": "abc", "Item": {}, "ReturnValues": v}, VALIDATION,
       "ReturnValues can only be ALL_OLD or NONE") for v in ("UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")],
    ("PutItem", "ComparisonOperator alone", {"TableName": "aaa", "Item": {}, "Expected": {"a": {"ComparisonOperator": "LT"}}},
     VALIDATION, _INVALID + "Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a"),
    ("PutItem", "Exists with ComparisonOperator", {"TableName": "aaa", "Item": {}, "Expected": {
        "a": {"Exists": True, "ComparisonOperator": "LT"}}},
     VALIDATION, _INVALID + "Exists and ComparisonOperator cannot be used together for Attribute: a"),
    ("PutItem", "Value with AttributeValueList", {"TableName": "aaa", "Item": {}, "Expected": {
        "a": {"AttributeValueList": [{"S": "a"}], "Value": {"S": "a"}, "ComparisonOperator": "LT"}}},
     VALIDATION, _INVALID + "Value and AttributeValueList cannot be used together for Attribute: a"),
    ("PutItem", "AttributeValueList without operator", {"TableName": "aaa", "Item": {}, "Expected": {
        "a": {"AttributeValueList": [{"S": "a"}]}}},
     VALIDATION, _INVALID + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"),
    *[("PutItem", f"Expected {op} with {n}", {"TableName": "aaa", "Item": {}, "Expected": {
        "a": {"AttributeValueList": [{"N": "1"}] * n, "ComparisonOperator": op}}},
       VALIDATION, _INVALID + f"Invalid number of argument(s) for the {op} ComparisonOperator")
      for op, n in (("EQ", 0), ("NULL", 1), ("IN", 0), ("BETWEEN", 3))],
    ("PutItem", "too large", {"TableName": "aaa", "Item": {"a": {"S": "x"}, "b": {"S": "a" * 409598}}}, VALIDATION,
     "Item size has exceeded the maximum allowed size"),
    ("PutItem", "just small enough", {"TableName": "aaa", "Item": {"a": {"S": "x"}, "b": {"S": "a" * 409597}}}, NOT_FOUND,
     "Requested resource not found"),
    ("PutItem", "missing key", {"TableName": "$hash", "Item": {"b": {"S": "a"}}}, VALIDATION,
     _INVALID + "Missing the key a in the item"),
    ("PutItem", "key type", {"TableName": "$hash", "Item": {"a": {"SS": ["a"]}}}, VALIDATION,
     _INVALID + "Type mismatch for key a expected: S actual: SS"),
    ("PutItem", "range key missing", {"TableName": "$range", "Item": {"a": {"S": "a"}}}, VALIDATION,
     _INVALID + "Missing the key b in the item"),
    ("PutItem", "index key type names the last global index", {"TableName": "$range", "Item": {
        "a": {"S": "a"}, "b": {"S": "a"}, "c": {"N": "1"}}},
     VALIDATION, _INVALID + "Type mismatch for Index Key c Expected: S Actual: N IndexName: index3"),
    ("DeleteItem", "ReturnValues ALL_NEW", {"TableName": "abc", "Key": {}, "ReturnValues": "ALL_NEW"}, VALIDATION,
     "ReturnValues can only be ALL_OLD or NONE"),
    ("DeleteItem", "key mismatch", {"TableName": "$hash", "Key": {"a": {"N": "1"}}}, VALIDATION, _MISMATCH),
    ("DeleteItem", "condition on missing item", {"TableName": "$hash", "Key": {"a": {"S": "missing-x"}},
                                                 "ConditionExpression": "attribute_exists(a)"},
     CONDITIONAL, "The conditional request failed"),
]


@pytest.mark.parametrize("operation, request_, kind, message", [c[0:1] + c[2:] for c in CASES],
                         ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_item_operations_refuse_invalid_requests_as_aws_does(endpoint, tables, operation, request_, kind, message):
    check_error(endpoint, tables, operation, request_, kind, message)


def _ok(endpoint, operation, body) -> dict:
    status, out = call(endpoint, operation, body)
    assert status == 200, out
    return out


def test_put_item_normalizes_numbers_and_returns_old_values(endpoint, tables):
    name, a = tables["hash"], unique()
    item = {"a": {"S": a}, "b": {"N": "0000012345678901234567890123456789012345678"},
            "c": {"N": "-00001.23456789012345678901234567890123456780000"},
            "d": {"N": "0009.99999999999999999999999999999999999990000e125"}, "f": {"N": "0001.000e-130"}}
    assert _ok(endpoint, "PutItem", {"TableName": name, "Item": item, "ReturnValues": "ALL_OLD"}) == {}
    got = _ok(endpoint, "GetItem", {"TableName": name, "Key": {"a": {"S": a}}, "ConsistentRead": True})["Item"]
    assert got["b"] == {"N": "12345678901234567890123456789012345678"}
    assert got["c"] == {"N": "-1.2345678901234567890123456789012345678"}
    assert got["d"] == {"N": "9" * 38 + "0" * 88}
    assert got["f"] == {"N": "0." + "0" * 129 + "1"}
    old = _ok(endpoint, "PutItem", {"TableName": name, "Item": {"a": {"S": a}}, "ReturnValues": "ALL_OLD"})
    assert old == {"Attributes": got}
    assert _ok(endpoint, "DeleteItem", {"TableName": name, "Key": {"a": {"S": a}}, "ReturnValues": "ALL_OLD"}) == {
        "Attributes": {"a": {"S": a}}}
    assert _ok(endpoint, "DeleteItem", {"TableName": name, "Key": {"a": {"S": a}}, "ReturnValues": "ALL_OLD"}) == {}


def test_get_item_consumed_capacity_is_halved_for_eventual_reads(endpoint, tables):
    name = tables["hash"]
    base = {"TableName": name, "Key": {"a": {"S": unique()}}}
    assert _ok(endpoint, "GetItem", {**base, "ReturnConsumedCapacity": "TOTAL"}) == {
        "ConsumedCapacity": {"CapacityUnits": 0.5, "TableName": name}}
    assert _ok(endpoint, "GetItem", {**base, "ReturnConsumedCapacity": "INDEXES", "ConsistentRead": True}) == {
        "ConsumedCapacity": {"CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}, "TableName": name}}
    a = unique()
    item = {"a": {"S": a}, "b": {"S": "b" * (4083 - len(a))}, "c": {"N": "12.3456"}, "d": {"B": "AQI="},
            "e": {"BS": ["AQI=", "Ag=="]}}
    _ok(endpoint, "PutItem", {"TableName": name, "Item": item})
    out = _ok(endpoint, "GetItem", {"TableName": name, "Key": {"a": {"S": a}}, "ReturnConsumedCapacity": "TOTAL",
                                    "ConsistentRead": True})
    assert out["ConsumedCapacity"] == {"CapacityUnits": 2.0, "TableName": name}


def test_get_item_projections_keep_nested_shapes(endpoint, tables):
    name, a = tables["hash"], unique()
    _ok(endpoint, "PutItem", {"TableName": name, "Item": {
        "a": {"S": a}, "m": {"M": {"x": {"N": "1"}, "y": {"L": [{"S": "p"}, {"S": "q"}, {"S": "r"}]}}}, "z": {"S": "z"}}})
    out = _ok(endpoint, "GetItem", {"TableName": name, "Key": {"a": {"S": a}},
                                    "ProjectionExpression": "m.y[2], m.y[0], #z, nope",
                                    "ExpressionAttributeNames": {"#z": "z"}})
    assert out == {"Item": {"m": {"M": {"y": {"L": [{"S": "p"}, {"S": "r"}]}}}, "z": {"S": "z"}}}
    out = _ok(endpoint, "GetItem", {"TableName": name, "Key": {"a": {"S": a}}, "AttributesToGet": ["z", "nope"]})
    assert out == {"Item": {"z": {"S": "z"}}}
