"""CreateTable settings that must round-trip, expressions DynamoDB accepts or counts its own way, and index
write capacity charged only when an index's stored view changes (2026 captures of real DynamoDB, published
with the nubo-db/dynamodb-conformance suite)."""
from __future__ import annotations

import uuid

import pytest
from test_parity_items_support import call, tables, unique  # noqa: F401


def _create(endpoint, **extra) -> dict:
    name = "cf" + uuid.uuid4().hex[:10]
    body = {"TableName": name, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], **extra}
    status, out = call(endpoint, "CreateTable", body)
    assert status == 200, out
    status, out = call(endpoint, "DescribeTable", {"TableName": name})
    return out["Table"]


@pytest.mark.parametrize("extra, member, expected", [
    ({"OnDemandThroughput": {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5}}, "OnDemandThroughput",
     {"MaxReadRequestUnits": 10, "MaxWriteRequestUnits": 5}),
    ({}, "SSEDescription", None),
    ({"SSESpecification": {"Enabled": False}}, "SSEDescription", None),
], ids=["on-demand throughput", "no SSE", "SSE disabled"])
def test_create_table_settings_round_trip(endpoint, extra, member, expected):
    assert _create(endpoint, **extra).get(member) == expected


def test_create_table_with_sse_reports_the_kms_key(endpoint):
    sse = _create(endpoint, SSESpecification={"Enabled": True})["SSEDescription"]
    assert sse["Status"] == "ENABLED" and sse["SSEType"] == "KMS"
    assert sse["KMSMasterKeyArn"].startswith("arn:aws:kms:")


def _query(endpoint, tables, key_condition, values, **extra):
    names = {n: n[1:] for n in ("#a", "#b") if n in key_condition}
    return call(endpoint, "Query", {"TableName": tables["range"], "KeyConditionExpression": key_condition,
                                    "ExpressionAttributeNames": names,
                                    "ExpressionAttributeValues": values, **extra})


def test_key_condition_accepts_doubled_parentheses_around_each_part(endpoint, tables):
    pk = unique()
    call(endpoint, "PutItem", {"TableName": tables["range"], "Item": {"a": {"S": pk}, "b": {"S": "1"}}})
    status, body = _query(endpoint, tables, "((#a = :a)) AND ((#b = :b))", {":a": {"S": pk}, ":b": {"S": "1"}})
    assert status == 200 and body["Count"] == 1, body
    status, body = _query(endpoint, tables, "((#a = :a AND #b = :b))", {":a": {"S": pk}, ":b": {"S": "1"}})
    assert (status, body["message"]) == (400, "Invalid KeyConditionExpression: The expression has redundant parentheses;")


def test_size_counts_utf16_code_units(endpoint, tables):
    pk = unique()
    call(endpoint, "PutItem", {"TableName": tables["range"],
                               "Item": {"a": {"S": pk}, "b": {"S": "1"}, "s": {"S": "é\U0001d11e"}}})
    for n, count in (("3", 1), ("6", 0)):
        status, body = _query(endpoint, tables, "#a = :a", {":a": {"S": pk}, ":n": {"N": n}},
                              FilterExpression="size(s) = :n", ConsistentRead=True)
        assert status == 200 and body["Count"] == count, (n, body)


# dynalite's "range" table: LSI index1 (c, ALL), LSI index2 (d, INCLUDE c), GSI index3 (c, ALL),
# GSI index4 (c, d, INCLUDE e).
def _write_units(endpoint, tables, operation, body):
    status, out = call(endpoint, operation, {"TableName": tables["range"], "ReturnConsumedCapacity": "INDEXES", **body})
    assert status == 200, out
    cc = out["ConsumedCapacity"]
    arms = {**cc.get("GlobalSecondaryIndexes", {}), **cc.get("LocalSecondaryIndexes", {})}
    return cc["CapacityUnits"], {name: arm["CapacityUnits"] for name, arm in arms.items()}


def test_an_identical_overwrite_charges_no_index(endpoint, tables):
    item = {"a": {"S": unique()}, "b": {"S": "1"}, "c": {"S": "c"}, "d": {"S": "d"}, "e": {"S": "e"}}
    assert _write_units(endpoint, tables, "PutItem", {"Item": item}) == (
        5.0, {"index1": 1.0, "index2": 1.0, "index3": 1.0, "index4": 1.0})
    assert _write_units(endpoint, tables, "PutItem", {"Item": item}) == (1.0, {})


@pytest.mark.parametrize("expression, value, arms", [
    # "x" is projected only by the ALL indexes
    ("SET x = :v", {"S": "x2"}, {"index1": 1.0, "index3": 1.0}),
    # "e" is also in index4's INCLUDE list
    ("SET e = :v", {"S": "e2"}, {"index1": 1.0, "index3": 1.0, "index4": 1.0}),
    # changing an index key is a delete plus a put on the indexes keyed on it
    ("SET d = :v", {"S": "d2"}, {"index1": 1.0, "index2": 2.0, "index3": 1.0, "index4": 2.0}),
])
def test_an_update_charges_only_indexes_whose_view_changes(endpoint, tables, expression, value, arms):
    key = {"a": {"S": unique()}, "b": {"S": "1"}}
    call(endpoint, "PutItem", {"TableName": tables["range"],
                               "Item": {**key, "c": {"S": "c"}, "d": {"S": "d"}, "e": {"S": "e"}, "x": {"S": "x"}}})
    total, got = _write_units(endpoint, tables, "UpdateItem",
                              {"Key": key, "UpdateExpression": expression, "ExpressionAttributeValues": {":v": value}})
    assert got == arms
    assert total == 1.0 + sum(arms.values())
