"""CreateTable / DescribeTable / ListTables as real DynamoDB answers them (facts from dynalite's suite, run
against AWS, and from probes of AWS recorded in public lab notes)."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import requests

TARGET = "DynamoDB_20120810."
SIGNED = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"
VALIDATION = "com.amazon.coral.validate#ValidationException"
INVALID = "One or more parameter values were invalid: "


def call(endpoint, operation, body):
    headers = {"X-Amz-Target": TARGET + operation, "Content-Type": "application/x-amz-json-1.0", "Authorization": SIGNED}
    return requests.post(endpoint, data=json.dumps(body), headers=headers, timeout=10)


S = {"AttributeType": "S"}
AB = [{"AttributeName": "a", **S}, {"AttributeName": "b", **S}]
HASH_A = [{"KeyType": "HASH", "AttributeName": "a"}]
HASH_RANGE = HASH_A + [{"KeyType": "RANGE", "AttributeName": "b"}]
PT = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}


def lsi(name="abc", keys=HASH_RANGE, projection=None):
    return {"IndexName": name, "KeySchema": keys, "Projection": projection if projection is not None else {"ProjectionType": "ALL"}}


def gsi(name="abc", keys=HASH_RANGE, projection=None):
    return {**lsi(name, keys, projection), "ProvisionedThroughput": PT}


CASES = [
    ({"TableName": "abc;"}, [
        "Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null",
        "Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        "Value null at 'keySchema' failed to satisfy constraint: Member must not be null"]),
    ({"TableName": "abc", "AttributeDefinitions": [], "KeySchema": [], "ProvisionedThroughput": {"ReadCapacityUnits": -1, "WriteCapacityUnits": -1}}, [
        "Value '-1' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
        "Value '-1' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1",
        "Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"]),
    ({"TableName": "abc", "AttributeDefinitions": [], "KeySchema": HASH_A},
     INVALID + 'Missing required parameter in input: "ProvisionedThroughput"'),
    ({"TableName": "abc", "AttributeDefinitions": [], "KeySchema": HASH_A, "ProvisionedThroughput": {"ReadCapacityUnits": 1000000000001, "WriteCapacityUnits": 1000000000001}},
     "Given value 1000000000001 for ReadCapacityUnits is out of bounds"),
    ({"TableName": "abc", "AttributeDefinitions": [], "KeySchema": HASH_A, "ProvisionedThroughput": {"ReadCapacityUnits": 1000000000000, "WriteCapacityUnits": 1000000000001}},
     "Given value 1000000000001 for WriteCapacityUnits is out of bounds"),
    ({"TableName": "abc", "AttributeDefinitions": [], "KeySchema": HASH_A * 2, "ProvisionedThroughput": PT},
     "Invalid KeySchema: Some index key attribute have no definition"),
    ({"TableName": "abc", "AttributeDefinitions": [{"AttributeName": "b", "AttributeType": "SS"}], "KeySchema": HASH_A * 2, "ProvisionedThroughput": PT},
     "1 validation error detected: Value 'SS' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"),
    ({"TableName": "abc", "AttributeDefinitions": [{"AttributeName": "b", **S}], "KeySchema": HASH_A, "ProvisionedThroughput": PT},
     INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]"),
    ({"TableName": "abc", "AttributeDefinitions": [{"AttributeName": "a", **S}], "KeySchema": HASH_A * 2, "ProvisionedThroughput": PT},
     "Invalid KeySchema: Some index key attribute have no definition"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_A * 2, "ProvisionedThroughput": PT},
     "Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": [{"KeyType": "HASH", "AttributeName": "a"}, {"KeyType": "HASH", "AttributeName": "b"}], "ProvisionedThroughput": PT},
     "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": [{"KeyType": "RANGE", "AttributeName": "a"}, {"KeyType": "HASH", "AttributeName": "b"}], "ProvisionedThroughput": PT},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_A, "ProvisionedThroughput": PT},
     INVALID + "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_A, "LocalSecondaryIndexes": [], "ProvisionedThroughput": PT},
     INVALID + "List of LocalSecondaryIndexes is empty"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_A, "GlobalSecondaryIndexes": [], "ProvisionedThroughput": PT},
     INVALID + "List of GlobalSecondaryIndexes is empty"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_A, "ProvisionedThroughput": PT,
      "LocalSecondaryIndexes": [{"IndexName": "h;", "KeySchema": [], "Projection": {}}, {"IndexName": "a" * 256, "KeySchema": HASH_A, "Projection": {}}]}, [
        "Value 'h;' at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        "Value 'h;' at 'localSecondaryIndexes.1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3",
        "Value '[]' at 'localSecondaryIndexes.1.member.keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1",
        f"Value '{'a' * 256}' at 'localSecondaryIndexes.2.member.indexName' failed to satisfy constraint: Member must have length less than or equal to 255"]),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_A, "ProvisionedThroughput": PT,
      "LocalSecondaryIndexes": [lsi(keys=[{"AttributeName": "c", "KeyType": "RANGE"}], projection={})]},
     INVALID + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT,
      "LocalSecondaryIndexes": [lsi(keys=[{"AttributeName": "b", "KeyType": "HASH"}], projection={})]},
     INVALID + "Index KeySchema does not have a range key for index: abc"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT,
      "LocalSecondaryIndexes": [lsi(keys=[{"AttributeName": "b", "KeyType": "HASH"}, {"AttributeName": "a", "KeyType": "RANGE"}], projection={})]},
     INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema for index: abc. index hash key: b, table hash key: a"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT, "LocalSecondaryIndexes": [lsi(projection={})]},
     INVALID + "Unknown ProjectionType: null"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT,
      "LocalSecondaryIndexes": [lsi(projection={"NonKeyAttributes": [], "ProjectionType": "abc"})]}, [
        "Value 'abc' at 'localSecondaryIndexes.1.member.projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]",
        "Value '[]' at 'localSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: Member must have length greater than or equal to 1"]),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT,
      "LocalSecondaryIndexes": [lsi(projection={"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["a"]})]},
     INVALID + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT, "LocalSecondaryIndexes": [lsi(), lsi()]},
     INVALID + "Duplicate index name: abc"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT,
      "LocalSecondaryIndexes": [lsi(f"ab{c}") for c in "cdefgh"]},
     INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT,
      "GlobalSecondaryIndexes": [gsi(keys=[{"AttributeName": "b", "KeyType": "HASH"}], projection={})]},
     INVALID + "Unknown ProjectionType: null"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT,
      "GlobalSecondaryIndexes": [gsi(f"abc{i}") for i in range(21)]},
     INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of 20"),
    ({"TableName": "abc", "AttributeDefinitions": AB, "KeySchema": HASH_RANGE, "ProvisionedThroughput": PT,
      "LocalSecondaryIndexes": [lsi()], "GlobalSecondaryIndexes": [gsi()]},
     INVALID + "Duplicate index name: abc"),
]


@pytest.mark.parametrize("body, expected", CASES, ids=range(len(CASES)))
def test_create_table_validation_matches_aws(endpoint, body, expected):
    r = call(endpoint, "CreateTable", body)
    assert r.status_code == 400
    payload = r.json()
    assert payload["__type"] == VALIDATION
    if isinstance(expected, str):
        assert payload["message"] == expected
    else:  # AWS reports collected constraint errors in no fixed order
        prefix = f"{len(expected)} validation error{'s' if len(expected) > 1 else ''} detected: "
        assert payload["message"].startswith(prefix)
        assert sorted(payload["message"][len(prefix):].split("; ")) == sorted(expected)


def test_create_table_answers_creating_with_exactly_aws_members(endpoint):
    name = "parity-" + uuid.uuid4().hex[:12]
    r = call(endpoint, "CreateTable", {"TableName": name, "AttributeDefinitions": [{"AttributeName": "a", **S}],
                                       "KeySchema": HASH_A, "ProvisionedThroughput": PT})
    assert r.status_code == 200
    desc = r.json()["TableDescription"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", desc.pop("TableId"))
    assert isinstance(desc.pop("CreationDateTime"), float)
    assert re.fullmatch(rf"arn:aws:dynamodb:us-east-1:\d{{12}}:table/{name}", desc.pop("TableArn"))
    desc.pop("DeletionProtectionEnabled", None)  # AWS added this member in 2023
    assert desc == {
        "TableName": name, "AttributeDefinitions": [{"AttributeName": "a", **S}], "KeySchema": HASH_A,
        "TableStatus": "CREATING", "ItemCount": 0, "TableSizeBytes": 0,
        "ProvisionedThroughput": {"NumberOfDecreasesToday": 0, **PT},
    }
    again = call(endpoint, "CreateTable", {"TableName": name, "AttributeDefinitions": [{"AttributeName": "a", **S}],
                                           "KeySchema": HASH_A, "ProvisionedThroughput": PT})
    assert again.json() == {"__type": "com.amazonaws.dynamodb.v20120810#ResourceInUseException",
                            "message": f"Table already exists: {name}"}
    table = call(endpoint, "DescribeTable", {"TableName": name}).json()["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert "BillingModeSummary" not in table and "TableClassSummary" not in table
    assert table["WarmThroughput"] == {"ReadUnitsPerSecond": 1, "WriteUnitsPerSecond": 1, "Status": "ACTIVE"}


def test_on_demand_table_reports_zero_throughput_and_default_warm_throughput(endpoint):
    name = "parity-" + uuid.uuid4().hex[:12]
    r = call(endpoint, "CreateTable", {"TableName": name, "AttributeDefinitions": AB, "KeySchema": HASH_A,
                                       "BillingMode": "PAY_PER_REQUEST",
                                       "GlobalSecondaryIndexes": [{"IndexName": "gsib", "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}],
                                                                   "Projection": {"ProjectionType": "KEYS_ONLY"}}]})
    assert r.status_code == 200, r.text
    desc = r.json()["TableDescription"]
    assert desc["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST"}
    assert desc["ProvisionedThroughput"] == {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
    assert "WarmThroughput" not in desc
    assert desc["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"
    table = call(endpoint, "DescribeTable", {"TableName": name}).json()["Table"]
    assert set(table["BillingModeSummary"]) == {"BillingMode", "LastUpdateToPayPerRequestDateTime"}
    assert table["WarmThroughput"] == {"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"}
    assert table["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"


@pytest.mark.parametrize("body, messages", [
    ({"ExclusiveStartTableName": ""}, [
        "Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        "Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3"]),
    ({"ExclusiveStartTableName": "a;", "Limit": 500}, [
        "Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        "Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
        "Value '500' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"]),
    ({"ExclusiveStartTableName": "a" * 256}, [
        f"Value '{'a' * 256}' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length less than or equal to 255"]),
    ({"Limit": 0}, ["Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"]),
    ({"Limit": 101}, ["Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"]),
])
def test_list_tables_validation_matches_aws(endpoint, body, messages):
    r = call(endpoint, "ListTables", body)
    payload = r.json()
    prefix = f"{len(messages)} validation error{'s' if len(messages) > 1 else ''} detected: "
    assert payload["message"].startswith(prefix)
    assert sorted(payload["message"][len(prefix):].split("; ")) == sorted(messages)


def test_list_tables_pages_by_exclusive_start_and_omits_the_cursor_on_the_last_name(endpoint):
    prefix = "pg" + uuid.uuid4().hex[:8]
    names = sorted(f"{prefix}-{i}" for i in range(3))
    for name in names:
        call(endpoint, "CreateTable", {"TableName": name, "AttributeDefinitions": [{"AttributeName": "a", **S}],
                                       "KeySchema": HASH_A, "BillingMode": "PAY_PER_REQUEST"})
    first = call(endpoint, "ListTables", {"ExclusiveStartTableName": prefix, "Limit": 1}).json()
    assert first == {"TableNames": [names[0]], "LastEvaluatedTableName": names[0]}
    rest = call(endpoint, "ListTables", {"ExclusiveStartTableName": names[0], "Limit": 2}).json()
    assert rest["TableNames"] == names[1:]
    everything = call(endpoint, "ListTables", {"Limit": 100}).json()
    if len(everything["TableNames"]) < 100:
        assert "LastEvaluatedTableName" not in everything
        exact = call(endpoint, "ListTables", {"Limit": len(everything["TableNames"])}).json()
        assert "LastEvaluatedTableName" not in exact
