"""BatchWriteItem request checks as real DynamoDB answers them (facts from dynalite's suite, run against AWS)."""

from __future__ import annotations

import json
import re

import pytest
import requests

TARGET = "DynamoDB_20120810."
SIGNED = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"
KEYS_RULE = ("Map keys must satisfy constraint: [Member must have length less than or equal to 255, "
             "Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]")
VALUES_RULE = ("Map value must satisfy constraint: [Member must have length less than or equal to 25, "
               "Member must have length greater than or equal to 1]")


def call(endpoint, body):
    headers = {"X-Amz-Target": TARGET + "BatchWriteItem", "Content-Type": "application/x-amz-json-1.0", "Authorization": SIGNED}
    return requests.post(endpoint, data=json.dumps(body), headers=headers, timeout=10)


def errors_of(message):
    count, _, rest = message.partition(" detected: ")
    return rest.split("; ")


def test_empty_request_items_is_reported_as_a_missing_parameter(endpoint):
    # 2026 captures of real DynamoDB (nubo-db/dynamodb-conformance); older regions gave the Coral length violation.
    r = call(endpoint, {"RequestItems": {}})
    assert r.json()["message"] == "The requestItems parameter is required for BatchWriteItem"


@pytest.mark.parametrize("items, rules", [
    ({"a": []}, [KEYS_RULE, VALUES_RULE]),
    ({"a": [{"PutRequest": {"Item": {"a": {"S": "a"}}}}]}, [KEYS_RULE]),
    ({"abc": [{"PutRequest": {"Item": {"a": {"S": str(i)}}}} for i in range(26)]}, [VALUES_RULE]),
])
def test_table_names_and_request_lists_break_map_constraints(endpoint, items, rules):
    message = call(endpoint, {"RequestItems": items}).json()["message"]
    found = errors_of(message)
    assert len(found) == len(rules)
    for rule in rules:
        assert any(re.fullmatch(r"Value '\{.+\}' at 'requestItems' failed to satisfy constraint: " + re.escape(rule), e) for e in found)


def test_member_errors_inside_request_lists_name_the_table_key(endpoint):
    message = call(endpoint, {"RequestItems": {"aa;": [{"PutRequest": {}, "DeleteRequest": {}}]}}).json()["message"]
    found = errors_of(message)
    assert "Value null at 'requestItems.aa;.member.1.member.deleteRequest.key' failed to satisfy constraint: Member must not be null" in found
    assert "Value null at 'requestItems.aa;.member.1.member.putRequest.item' failed to satisfy constraint: Member must not be null" in found


def test_an_empty_write_request_gets_aws_s_union_message(endpoint):
    r = call(endpoint, {"RequestItems": {"abc": [{}]}})
    assert r.json()["message"] == (
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")


def test_unknown_table_is_checked_before_duplicate_keys(endpoint):
    r = call(endpoint, {"RequestItems": {"no-such-table-x": [{"PutRequest": {"Item": {"a": {"S": "x"}}}},
                                                            {"DeleteRequest": {"Key": {"a": {"S": "x"}}}}]}})
    assert r.json() == {"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                        "message": "Requested resource not found"}
