"""Shared by the item-side parity tests (test_parity_items_*.py): a raw JSON client with a fake SigV4 header,
and dynalite's test tables. Holds no tests itself. Facts come from dynalite's AWS-verified suite, moto's
aws_verified tests and AWS docs; see each test module."""
from __future__ import annotations

import json
import uuid

import pytest
import requests

_AUTH = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"
VALIDATION = "com.amazon.coral.validate#ValidationException"
NOT_FOUND = "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
CONDITIONAL = "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"


def call(endpoint: str, operation: str, body: dict) -> tuple[int, dict]:
    headers = {"X-Amz-Target": "DynamoDB_20120810." + operation, "Content-Type": "application/x-amz-json-1.0",
               "Authorization": _AUTH}
    r = requests.post(endpoint, data=json.dumps(body), headers=headers, timeout=10)
    return r.status_code, r.json()


def fill(value, names: dict[str, str]):
    """The request with "$hash"-style table placeholders replaced by this module's table names."""
    if isinstance(value, str):
        return names.get(value[1:], value) if value.startswith("$") else value
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    return value


def _table(name: str, keys: list[tuple[str, str, str]], **extra) -> dict:
    types = {n: t for n, t, _ in keys}
    types.update(extra.pop("types", {}))
    return {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in types.items()],
            "KeySchema": [{"AttributeName": n, "KeyType": k} for n, _, k in keys], **extra}


def _index(name: str, keys: list[tuple[str, str]], projection: dict) -> dict:
    return {"IndexName": name, "KeySchema": [{"AttributeName": n, "KeyType": k} for n, k in keys],
            "Projection": projection}


@pytest.fixture(scope="module")
def tables(endpoint) -> dict[str, str]:
    """dynalite's test tables: hash (a:S), hash_n (a:N), range (a,b:S with two local and two global indexes),
    range_n (a:S, b:N), range_b (a:S, b:B)."""
    base = "pi" + uuid.uuid4().hex[:8]
    names = {k: f"{base}_{k}" for k in ("hash", "hash_n", "range", "range_n", "range_b")}
    specs = [
        _table(names["hash"], [("a", "S", "HASH")]),
        _table(names["hash_n"], [("a", "N", "HASH")]),
        _table(names["range"], [("a", "S", "HASH"), ("b", "S", "RANGE")], types={"c": "S", "d": "S"},
               LocalSecondaryIndexes=[
                   _index("index1", [("a", "HASH"), ("c", "RANGE")], {"ProjectionType": "ALL"}),
                   _index("index2", [("a", "HASH"), ("d", "RANGE")],
                          {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["c"]})],
               GlobalSecondaryIndexes=[
                   _index("index3", [("c", "HASH")], {"ProjectionType": "ALL"}),
                   _index("index4", [("c", "HASH"), ("d", "RANGE")],
                          {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["e"]})]),
        _table(names["range_n"], [("a", "S", "HASH"), ("b", "N", "RANGE")]),
        _table(names["range_b"], [("a", "S", "HASH"), ("b", "B", "RANGE")]),
    ]
    for spec in specs:
        status, body = call(endpoint, "CreateTable", spec)
        assert status == 200, body
    return names


def unique() -> str:
    return uuid.uuid4().hex


def check_error(endpoint, tables, operation, request, expected_type, message) -> None:
    status, body = call(endpoint, operation, fill(request, tables))
    assert status == 400, body
    assert body["__type"] == expected_type, body
    assert body.get("message", body.get("Message")) == message
