"""Items through boto3 (client and resource) against a running pocketcloud."""

from __future__ import annotations

import decimal

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def table(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return unique_name


def test_put_then_get_returns_the_item_with_normalized_numbers(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "n": {"N": "01.50"}, "b": {"B": b"\x00\xff"}})
    item = dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}})["Item"]
    assert item == {"id": {"S": "a"}, "n": {"N": "1.5"}, "b": {"B": b"\x00\xff"}}


def test_get_of_a_missing_item_returns_no_item(dynamodb, table):
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": "missing"}})


def test_put_with_a_key_of_the_wrong_type_raises_validation_exception(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.put_item(TableName=table, Item={"id": {"N": "1"}})
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert "Type mismatch for key id expected: S actual: N" in err.value.response["Error"]["Message"]


def test_resource_table_round_trips_decimals(dynamodb_resource, table):
    t = dynamodb_resource.Table(table)
    t.put_item(Item={"id": "r", "price": decimal.Decimal("9.99"), "tags": {"a", "b"}})
    assert t.get_item(Key={"id": "r"})["Item"] == {"id": "r", "price": decimal.Decimal("9.99"), "tags": {"a", "b"}}
