"""DynamoDB's json protocol edges as real DynamoDB answers them (facts from dynalite's suite, run against AWS)."""

from __future__ import annotations

import json
import zlib

import pytest
import requests

TARGET = "DynamoDB_20120810."
SIGNED = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"
SER = "com.amazon.coral.service#SerializationException"
UNKNOWN = "com.amazon.coral.service#UnknownOperationException"
VALIDATION = "com.amazon.coral.validate#ValidationException"


def post(endpoint, *, target=None, body=b"", content_type="application/x-amz-json-1.0", headers=None):
    h = {"Authorization": SIGNED}
    if target is not None:
        h["X-Amz-Target"] = target
    if content_type is not None:
        h["Content-Type"] = content_type
    h.update(headers or {})
    return requests.post(endpoint, data=body, headers=h, timeout=10)


def call(endpoint, operation, body):
    return post(endpoint, target=TARGET + operation, body=json.dumps(body))


@pytest.mark.parametrize("target, body, content_type, expected", [
    (None, b"", "application/x-amz-json-1.0", UNKNOWN),
    ("whatever", b"{}", "application/x-amz-json-1.0", UNKNOWN),
    (TARGET + "ListTable", b"{}", "application/x-amz-json-1.0", UNKNOWN),
    (None, b"{}", "application/json", UNKNOWN),
    (None, b"hi", "application/json", SER),
    (None, b"hi", "application/x-amz-json-1.0", SER),
    (TARGET + "ListTables", b"", "application/x-amz-json-1.0", SER),
    (TARGET + "ListTables", b"{not json", "application/x-amz-json-1.0", SER),
])
def test_unparseable_or_unroutable_requests_get_a_bare_coral_error(endpoint, target, body, content_type, expected):
    r = post(endpoint, target=target, body=body, content_type=content_type)
    assert r.status_code == 400
    assert r.json() == {"__type": expected}
    assert r.headers["x-amz-crc32"] == str(zlib.crc32(r.content))
    assert r.headers["content-type"] == content_type


def test_application_json_requests_get_application_json_answers(endpoint):
    r = post(endpoint, target=TARGET + "ListTables", body=b"{}", content_type="application/json")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert isinstance(r.json()["TableNames"], list)


def test_an_origin_header_gets_an_open_cors_answer(endpoint):
    r = post(endpoint, target=TARGET + "ListTables", body=b"{}", headers={"Origin": "whatever"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("body", [b"[]", b"[{}]", b"\"x\"", b"12"])
def test_a_body_that_is_not_an_object_is_a_serialization_exception(endpoint, body):
    r = post(endpoint, target=TARGET + "ListTables", body=body)
    assert r.status_code == 400
    assert r.json()["__type"] == SER


def test_unknown_and_null_members_are_ignored(endpoint):
    assert call(endpoint, "ListTables", {"hi": "yo", "stuff": "things"}).status_code == 200
    assert call(endpoint, "ListTables", {"ExclusiveStartTableName": None, "Limit": None}).status_code == 200


# (member path, value, message) of AWS's newer JSON parser.
STRING_CASES = [
    (True, "TRUE_VALUE cannot be converted to String"),
    (False, "FALSE_VALUE cannot be converted to String"),
    (23, "NUMBER_VALUE cannot be converted to String"),
    (-2147483648, "NUMBER_VALUE cannot be converted to String"),
    (2147483648, "NUMBER_VALUE cannot be converted to String"),
    (34.56, "DECIMAL_VALUE cannot be converted to String"),
    ([], "Unrecognized collection type class java.lang.String"),
    ({}, "Start of structure or map found where not expected"),
]
INTEGER_CASES = [
    ("23", "STRING_VALUE cannot be converted to Integer"),
    (True, "TRUE_VALUE cannot be converted to Integer"),
    (False, "FALSE_VALUE cannot be converted to Integer"),
    ([], "Unrecognized collection type class java.lang.Integer"),
    ({}, "Start of structure or map found where not expected"),
]
LONG_CASES = [(v, m.replace("Integer", "Long")) for v, m in INTEGER_CASES]
BOOLEAN_CASES = [
    ("23", "Unexpected token received from parser"),
    (23, "NUMBER_VALUE cannot be converted to Boolean"),
    (34.56, "DECIMAL_VALUE cannot be converted to Boolean"),
    ([], "Unrecognized collection type class java.lang.Boolean"),
    ({}, "Start of structure or map found where not expected"),
]
LIST_CASES = [
    ("23", "Unexpected field type"),
    (True, "Unexpected field type"),
    (23, "Unexpected field type"),
    (34.56, "Unexpected field type"),
    ({}, "Start of structure or map found where not expected"),
]
BLOB_CASES = [
    (True, "only base-64-encoded strings are convertible to bytes"),
    (23, "only base-64-encoded strings are convertible to bytes"),
    ([], "Unrecognized collection type class java.nio.ByteBuffer"),
    ({}, "Start of structure or map found where not expected"),
    ("23456", "Base64 encoded length is expected a multiple of 4 bytes but found: 5"),
    ("=+/=", "Invalid last non-pad Base64 character dectected"),
    ("+/+=", "Invalid last non-pad Base64 character dectected"),
]


def _nest(path, value):
    """{"A": [{"B": value}]} from "A.0.B"."""
    pieces = path.split(".")
    root: dict = {}
    node: object = root
    for piece, following in zip(pieces, pieces[1:] + [None]):
        child = value if following is None else ([] if following == "0" else {})
        if isinstance(node, list):
            node.append(child)
        else:
            node[piece] = child  # type: ignore[index]
        node = child
    return root


SERIALIZATION = (
    [("ListTables", "ExclusiveStartTableName", v, m) for v, m in STRING_CASES]
    + [("ListTables", "Limit", v, m) for v, m in INTEGER_CASES]
    + [("CreateTable", "ProvisionedThroughput.ReadCapacityUnits", v, m) for v, m in LONG_CASES]
    + [("CreateTable", "KeySchema", v, m) for v, m in LIST_CASES]
    + [("CreateTable", "KeySchema.0.KeyType", v, m) for v, m in STRING_CASES]
    + [("GetItem", "ConsistentRead", v, m) for v, m in BOOLEAN_CASES]
    + [("GetItem", "Key.a.B", v, m) for v, m in BLOB_CASES]
    + [
        ("CreateTable", "ProvisionedThroughput", "23", "Unexpected field type"),
        ("CreateTable", "ProvisionedThroughput", [], "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput"),
        ("CreateTable", "KeySchema.0", "23", "Unexpected value type in payload"),
        ("CreateTable", "KeySchema.0", [], "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement"),
        ("CreateTable", "LocalSecondaryIndexes.0.Projection", 23, "Unexpected field type"),
        ("BatchWriteItem", "RequestItems", 23, "Unexpected field type"),
        ("BatchWriteItem", "RequestItems", [], "Unrecognized collection type java.util.Map<java.lang.String, "
         "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>"),
        ("BatchGetItem", "RequestItems", [], "Unrecognized collection type java.util.Map<java.lang.String, "
         "com.amazonaws.dynamodb.v20120810.KeysAndAttributes>"),
        ("PutItem", "Item", [], "Unrecognized collection type java.util.Map<java.lang.String, "
         "com.amazonaws.dynamodb.v20120810.AttributeValue>"),
        ("PutItem", "Item.a", "23", "Unexpected value type in payload"),
        ("PutItem", "Item.a", [], "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"),
        ("PutItem", "Item.a.L.0", 23, "Unexpected value type in payload"),
        ("PutItem", "Item.a.SS", 23, "Unexpected field type"),
        ("PutItem", "Item.a.SS.0", 23, "NUMBER_VALUE cannot be converted to String"),
    ]
)


@pytest.mark.parametrize("operation, path, value, message", SERIALIZATION)
def test_wrong_json_types_get_aws_serialization_messages(endpoint, operation, path, value, message):
    r = call(endpoint, operation, _nest(path, value))
    assert r.status_code == 400
    assert r.json() == {"__type": SER, "Message": message}


def test_a_scalar_where_a_list_of_a_map_value_belongs_gets_the_cast_message(endpoint):
    r = call(endpoint, "BatchWriteItem", {"RequestItems": {"abc": 23}})
    assert r.json()["Message"].startswith(
        "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class")


@pytest.mark.parametrize("operation", ["DescribeTable", "DeleteTable", "CreateTable", "UpdateTable", "DescribeTimeToLive"])
def test_table_name_rules_come_before_the_model_constraints(endpoint, operation):
    r = call(endpoint, operation, {})
    assert (r.status_code, r.json()) == (400, {"__type": VALIDATION, "message":
                                               "The parameter 'TableName' is required but was not present in the request"})
    # Since the 2026 rewording (eu-west-2 captures, nubo-db/dynamodb-conformance) a present but bad name is a
    # collected model constraint ("Value 'ab' at 'tableName' ..."), no longer "TableName must be at least 3
    # characters long and at most 255 characters long".
    cases = [
        ("", "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"),
        ("a;", "Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression "
               "pattern: [a-zA-Z0-9_.-]+"),
        ("a" * 256, f"Value '{'a' * 256}' at 'tableName' failed to satisfy constraint: Member must have length "
                    "less than or equal to 255"),
    ]
    for name, constraint in cases:
        r = call(endpoint, operation, {"TableName": name})
        assert r.status_code == 400 and r.json()["__type"] == VALIDATION, name
        assert constraint in r.json()["message"].split(" detected: ", 1)[1].split("; "), name


def test_a_table_name_outside_the_pattern_is_a_collected_validation_error(endpoint):
    r = call(endpoint, "DescribeTable", {"TableName": "abc;"})
    assert r.json() == {"__type": VALIDATION, "message": (
        "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")}


def test_a_table_arn_is_accepted_where_a_table_name_is(endpoint):
    arn = "arn:aws:dynamodb:us-east-1:000000000000:table/nope-" + "x" * 300
    r = call(endpoint, "DescribeTable", {"TableName": arn})
    assert r.json()["__type"] == "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"


def test_unknown_table_is_named_in_describe_table_not_found(endpoint):
    r = call(endpoint, "DescribeTable", {"TableName": "no-such-table-here"})
    assert r.json() == {"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                        "message": "Requested resource not found: Table: no-such-table-here not found"}
