"""The json protocol's edges, spoken with raw HTTP as a broken client would."""

from __future__ import annotations

import json

import requests

TARGET = "DynamoDB_20120810."
SIGNED = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"


def call(endpoint, operation, body, *, raw=None):
    headers = {"X-Amz-Target": TARGET + operation, "Content-Type": "application/x-amz-json-1.0", "Authorization": SIGNED}
    data = raw if raw is not None else json.dumps(body)
    return requests.post(endpoint, data=data, headers=headers, timeout=10)


def test_unknown_operation_gets_unknown_operation_exception(endpoint):
    r = call(endpoint, "NoSuchThing", {})
    assert r.status_code == 400
    assert r.json()["__type"] == "com.amazon.coral.service#UnknownOperationException"


def test_malformed_json_gets_serialization_exception(endpoint):
    r = call(endpoint, "ListTables", None, raw="{not json")
    assert r.status_code == 400
    assert r.json()["__type"] == "com.amazon.coral.service#SerializationException"


def test_string_member_sent_as_boolean_gets_serialization_exception_worded_as_aws(endpoint):
    r = call(endpoint, "DescribeTable", {"TableName": True})
    assert r.status_code == 400
    body = r.json()
    assert body["__type"] == "com.amazon.coral.service#SerializationException"
    assert body["Message"] == "TRUE_VALUE cannot be converted to String"


def test_missing_required_member_gets_coral_validation_message(endpoint):
    r = call(endpoint, "DescribeTable", {})
    assert r.status_code == 400
    body = r.json()
    assert body["__type"] == "com.amazon.coral.validate#ValidationException"
    # DynamoDB checks TableName before the model's constraints, in words of its own.
    assert body["message"] == "The parameter 'TableName' is required but was not present in the request"


def test_enum_violation_names_the_allowed_values(endpoint):
    r = call(endpoint, "Scan", {"TableName": "abc", "Select": "EVERYTHING"})
    assert r.status_code == 400
    assert "Member must satisfy enum value set: [" in r.json()["message"]


def test_responses_carry_a_request_id_and_crc32(endpoint):
    r = call(endpoint, "ListTables", {})
    assert r.status_code == 200
    assert r.headers["x-amzn-RequestId"]
    import zlib

    assert int(r.headers["x-amz-crc32"]) == zlib.crc32(r.content)


def test_health_endpoint_answers_with_status(endpoint):
    r = requests.get(endpoint + "/_pocketcloud/health", timeout=5)
    assert r.status_code == 200
    assert r.json()["status"] == "running"
