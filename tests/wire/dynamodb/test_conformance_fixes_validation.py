"""Request validation as real DynamoDB words it since its 2026 rewording (eu-west-2 captures published with the
nubo-db/dynamodb-conformance suite): table names as collected model constraints, newer-validator messages for a
few members, and the rules the published model lost (KeySchema's maximum, INCLUDE needing NonKeyAttributes)."""
from __future__ import annotations

import pytest
from test_parity_items_support import VALIDATION, call, fill, tables, unique  # noqa: F401

UNKNOWN_OPERATION = "com.amazon.coral.service#UnknownOperationException"


def _one_error(message: str) -> str:
    return "1 validation error detected: " + message


ITEM_KEY = {"a": {"S": "x"}}
CASES = [
    # (description, operation, request, error type, exact message)
    ("item op without a table name collects a null constraint", "PutItem", {"Item": ITEM_KEY}, VALIDATION,
     _one_error("Value null at 'tableName' failed to satisfy constraint: Member must not be null")),
    ("item op with an empty table name stops at it", "DeleteItem", {"TableName": "", "Key": {}}, VALIDATION,
     _one_error("Value at 'TableName' failed to satisfy constraint: Member must have length greater than or equal to 1")),
    ("an empty table name hides an invalid ReturnValues", "PutItem",
     {"TableName": "", "Item": {}, "ReturnValues": "INVALID"}, VALIDATION,
     _one_error("Value at 'TableName' failed to satisfy constraint: Member must have length greater than or equal to 1")),
    ("a long table name on an item op", "PutItem", {"TableName": "a" * 256, "Item": ITEM_KEY}, VALIDATION,
     _one_error(f"Value '{'a' * 256}' at 'tableName' failed to satisfy constraint: "
                "Member must have length less than or equal to 255")),
    ("a short name on CreateTable", "CreateTable",
     {"TableName": "ab", "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST"}, VALIDATION,
     _one_error("Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3")),
    ("three KeySchema elements", "CreateTable",
     {"TableName": "threekeys", "BillingMode": "PAY_PER_REQUEST",
      "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"} for n in "abc"],
      "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"},
                    {"AttributeName": "c", "KeyType": "RANGE"}]}, VALIDATION,
     _one_error("Value '[KeySchemaElement(attributeName=a, keyType=HASH), KeySchemaElement(attributeName=b, "
                "keyType=RANGE), KeySchemaElement(attributeName=c, keyType=RANGE)]' at 'keySchema' failed to "
                "satisfy constraint: Member must have length less than or equal to 2")),
    ("an INCLUDE projection without NonKeyAttributes", "CreateTable",
     {"TableName": "includenone", "BillingMode": "PAY_PER_REQUEST",
      "AttributeDefinitions": [{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
      "GlobalSecondaryIndexes": [{"IndexName": "gsi1", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                  "Projection": {"ProjectionType": "INCLUDE"}}]}, VALIDATION,
     "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified"),
    ("Query's Limit 0 in the newer wording", "Query",
     {"TableName": "$range", "Limit": 0, "KeyConditionExpression": "a = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}},
     VALIDATION, _one_error("Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1")),
    ("Scan's Limit 0 keeps the Coral wording", "Scan", {"TableName": "$hash", "Limit": 0}, VALIDATION,
     _one_error("Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")),
    ("UpdateItem stops at an invalid ReturnValues", "UpdateItem",
     {"TableName": "$hash", "Key": ITEM_KEY, "ReturnValues": "INVALID", "ReturnConsumedCapacity": "INVALID"}, VALIDATION,
     _one_error("Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: "
                "[NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]")),
    ("an empty BatchWriteItem", "BatchWriteItem", {"RequestItems": {}}, VALIDATION,
     "The requestItems parameter is required for BatchWriteItem"),
    ("a wrong-typed key in a BatchWriteItem put", "BatchWriteItem",
     {"RequestItems": {"$hash": [{"PutRequest": {"Item": {"a": {"N": "5"}}}}]}}, VALIDATION,
     "The provided key element does not match the schema"),
    ("a non-scalar key in a BatchWriteItem put", "BatchWriteItem",
     {"RequestItems": {"$hash": [{"PutRequest": {"Item": {"a": {"L": [{"S": "x"}]}}}}]}}, VALIDATION,
     "The provided key element does not match the schema"),
    ("an operation pocketcloud lacks is unknown, as DynamoDB answers one it does not know", "ListImports",
     {}, UNKNOWN_OPERATION, "pocketcloud does not implement dynamodb:ListImports yet"),
]


@pytest.mark.parametrize("description, operation, request_body, error_type, message", CASES, ids=[c[0] for c in CASES])
def test_requests_are_refused_with_the_2026_wording(endpoint, tables, description, operation, request_body, error_type,
                                                    message):
    if operation == "BatchWriteItem":  # a table placeholder as a map key
        request_body = {"RequestItems": {tables["hash"]: w for w in request_body["RequestItems"].values()}}
    status, body = call(endpoint, operation, fill(request_body, tables))
    assert status == 400, body
    assert body.get("__type") == error_type, body
    assert body.get("message", body.get("Message")) == message


def test_a_false_null_is_stored_as_a_true_null(endpoint, tables):
    key = {"a": {"S": unique()}}
    status, body = call(endpoint, "PutItem", {"TableName": tables["hash"], "Item": {**key, "n": {"NULL": False}}})
    assert status == 200, body
    status, body = call(endpoint, "GetItem", {"TableName": tables["hash"], "Key": key, "ConsistentRead": True})
    assert body["Item"] == {**key, "n": {"NULL": True}}


def test_query_filter_eq_compares_booleans(endpoint, tables):
    pk = unique()
    for sk, flag in (("1", True), ("2", False)):
        status, body = call(endpoint, "PutItem",
                            {"TableName": tables["range"], "Item": {"a": {"S": pk}, "b": {"S": sk}, "f": {"BOOL": flag}}})
        assert status == 200, body
    status, body = call(endpoint, "Query", {
        "TableName": tables["range"], "ConsistentRead": True,
        "KeyConditions": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": pk}]}},
        "QueryFilter": {"f": {"ComparisonOperator": "EQ", "AttributeValueList": [{"BOOL": True}]}}})
    assert status == 200, body
    assert [item["b"]["S"] for item in body["Items"]] == ["1"]
