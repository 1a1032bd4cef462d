"""DynamoDB Streams read back over the wire: ListStreams, DescribeStream, GetShardIterator and GetRecords on a
table's stream (behaviour the nubo-db/dynamodb-conformance captures of real DynamoDB rely on).
https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html"""
from __future__ import annotations

import json
import uuid

import pytest
import requests
from test_parity_items_support import _AUTH, call

RNF = "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"


def streams(endpoint: str, operation: str, body: dict) -> tuple[int, dict]:
    headers = {"X-Amz-Target": "DynamoDBStreams_20120810." + operation,
               "Content-Type": "application/x-amz-json-1.0", "Authorization": _AUTH}
    r = requests.post(endpoint, data=json.dumps(body), headers=headers, timeout=10)
    return r.status_code, r.json()


def _stream_table(endpoint: str, view: str) -> tuple[str, str]:
    name = "streams-" + uuid.uuid4().hex[:10]
    status, body = call(endpoint, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": view}})
    assert status == 200, body
    return name, body["TableDescription"]["LatestStreamArn"]


def _shard(endpoint: str, arn: str) -> str:
    status, body = streams(endpoint, "DescribeStream", {"StreamArn": arn})
    assert status == 200, body
    return body["StreamDescription"]["Shards"][0]["ShardId"]


def _read_all(endpoint: str, arn: str, kind: str = "TRIM_HORIZON") -> list[dict]:
    status, body = streams(endpoint, "GetShardIterator",
                           {"StreamArn": arn, "ShardId": _shard(endpoint, arn), "ShardIteratorType": kind})
    assert status == 200, body
    iterator, records = body["ShardIterator"], []
    while iterator:
        status, body = streams(endpoint, "GetRecords", {"ShardIterator": iterator, "Limit": 2})
        assert status == 200, body
        records += body["Records"]
        if not body["Records"]:
            break
        iterator = body.get("NextShardIterator")
    return records


def _writes(endpoint: str, name: str) -> None:
    call(endpoint, "PutItem", {"TableName": name, "Item": {"pk": {"S": "k"}, "d": {"S": "before"}}})
    call(endpoint, "UpdateItem", {"TableName": name, "Key": {"pk": {"S": "k"}}, "UpdateExpression": "SET d = :v",
                                  "ExpressionAttributeValues": {":v": {"S": "after"}}})
    call(endpoint, "DeleteItem", {"TableName": name, "Key": {"pk": {"S": "k"}}})


# view type -> per event, which images the record carries (None: absent)
CASES = [
    ("NEW_AND_OLD_IMAGES", [("INSERT", None, "before"), ("MODIFY", "before", "after"), ("REMOVE", "after", None)]),
    ("NEW_IMAGE", [("INSERT", None, "before"), ("MODIFY", None, "after"), ("REMOVE", None, None)]),
    ("OLD_IMAGE", [("INSERT", None, None), ("MODIFY", "before", None), ("REMOVE", "after", None)]),
    ("KEYS_ONLY", [("INSERT", None, None), ("MODIFY", None, None), ("REMOVE", None, None)]),
]


@pytest.mark.parametrize("view,expected", CASES)
def test_records_carry_the_images_of_the_view_type(endpoint, view, expected):
    name, arn = _stream_table(endpoint, view)
    _writes(endpoint, name)
    records = _read_all(endpoint, arn)
    seen = [(r["eventName"], r["dynamodb"].get("OldImage", {}).get("d", {}).get("S"),
             r["dynamodb"].get("NewImage", {}).get("d", {}).get("S")) for r in records]
    assert seen == expected
    assert all(r["dynamodb"]["Keys"] == {"pk": {"S": "k"}} for r in records)
    numbers = [r["dynamodb"]["SequenceNumber"] for r in records]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3


def test_list_and_describe(endpoint):
    name, arn = _stream_table(endpoint, "KEYS_ONLY")
    status, body = streams(endpoint, "ListStreams", {"TableName": name})
    assert status == 200 and body["Streams"] == [
        {"StreamArn": arn, "TableName": name, "StreamLabel": arn.rpartition("/")[2]}]
    status, body = streams(endpoint, "ListStreams", {})
    assert any(s["StreamArn"] == arn for s in body["Streams"])
    status, body = streams(endpoint, "DescribeStream", {"StreamArn": arn})
    desc = body["StreamDescription"]
    assert (desc["StreamStatus"], desc["StreamViewType"], desc["TableName"]) == ("ENABLED", "KEYS_ONLY", name)
    assert desc["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}] and len(desc["Shards"]) == 1


def test_latest_iterator_starts_after_existing_records(endpoint):
    name, arn = _stream_table(endpoint, "KEYS_ONLY")
    call(endpoint, "PutItem", {"TableName": name, "Item": {"pk": {"S": "old"}}})
    status, body = streams(endpoint, "GetShardIterator",
                           {"StreamArn": arn, "ShardId": _shard(endpoint, arn), "ShardIteratorType": "LATEST"})
    call(endpoint, "PutItem", {"TableName": name, "Item": {"pk": {"S": "new"}}})
    status, body = streams(endpoint, "GetRecords", {"ShardIterator": body["ShardIterator"]})
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in body["Records"]] == ["new"]


def test_a_disabled_then_reenabled_stream_starts_empty(endpoint):
    name, first = _stream_table(endpoint, "KEYS_ONLY")
    call(endpoint, "PutItem", {"TableName": name, "Item": {"pk": {"S": "one"}}})
    status, body = call(endpoint, "UpdateTable", {"TableName": name, "StreamSpecification": {"StreamEnabled": False}})
    assert status == 200, body
    status, body = streams(endpoint, "DescribeStream", {"StreamArn": first})
    assert body["StreamDescription"]["StreamStatus"] == "DISABLED"
    assert body["StreamDescription"]["StreamViewType"] == "KEYS_ONLY"
    status, body = call(endpoint, "UpdateTable", {"TableName": name, "StreamSpecification": {
        "StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}})
    assert status == 200, body
    second = body["TableDescription"]["LatestStreamArn"]
    call(endpoint, "PutItem", {"TableName": name, "Item": {"pk": {"S": "two"}}})
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in _read_all(endpoint, second)] == ["two"]


@pytest.mark.parametrize("operation,body", [
    ("DescribeStream", {"StreamArn": "arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2020-01-01T00:00:00.000"}),
    ("ListStreams", {"TableName": "no-such-table"}),
])
def test_unknown_streams_are_not_found(endpoint, operation, body):
    status, out = streams(endpoint, operation, body)
    assert (status, out["__type"]) == (400, RNF)


def test_iterator_errors(endpoint):
    name, arn = _stream_table(endpoint, "KEYS_ONLY")
    status, body = streams(endpoint, "GetShardIterator",
                           {"StreamArn": arn, "ShardId": "shardId-00000000000000000000-00000000",
                            "ShardIteratorType": "TRIM_HORIZON"})
    assert (status, body["__type"]) == (400, RNF)
    status, body = streams(endpoint, "GetRecords", {"ShardIterator": "not-an-iterator"})
    assert (status, body["__type"]) == (400, "com.amazon.coral.validate#ValidationException")
