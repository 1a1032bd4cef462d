"""PutItem, GetItem, UpdateItem and DeleteItem through boto3: conditions, ReturnValues, upserts, errors."""

from __future__ import annotations

import decimal

import pytest
from boto3.dynamodb.conditions import Attr
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


def _error(err: pytest.ExceptionInfo) -> tuple[str, str]:
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


def test_put_with_true_condition_writes_the_item(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}}, ConditionExpression="attribute_not_exists(id)")
    assert dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}})["Item"] == {"id": {"S": "a"}}


def test_put_with_false_condition_raises_conditional_check_failed(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "v": {"N": "1"}})
    with pytest.raises(ClientError) as err:
        dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}}, ConditionExpression="attribute_not_exists(id)")
    assert _error(err) == ("ConditionalCheckFailedException", "The conditional request failed")
    assert "Item" not in err.value.response
    assert dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}})["Item"]["v"] == {"N": "1"}


def test_failed_condition_returns_the_old_item_when_asked(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "v": {"N": "1"}})
    with pytest.raises(ClientError) as err:
        dynamodb.put_item(
            TableName=table, Item={"id": {"S": "a"}}, ConditionExpression="v = :two",
            ExpressionAttributeValues={":two": {"N": "2"}}, ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert err.value.response["Item"] == {"id": {"S": "a"}, "v": {"N": "1"}}


def test_put_returns_all_old_attributes(dynamodb, table):
    assert "Attributes" not in dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "v": {"S": "1"}}, ReturnValues="ALL_OLD")
    out = dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "v": {"S": "2"}}, ReturnValues="ALL_OLD")
    assert out["Attributes"] == {"id": {"S": "a"}, "v": {"S": "1"}}


@pytest.mark.parametrize("operation", ["put_item", "delete_item"])
def test_put_and_delete_refuse_return_values_other_than_all_old(dynamodb, table, operation):
    args = {"Item": {"id": {"S": "a"}}} if operation == "put_item" else {"Key": {"id": {"S": "a"}}}
    with pytest.raises(ClientError) as err:
        getattr(dynamodb, operation)(TableName=table, ReturnValues="ALL_NEW", **args)
    assert _error(err) == ("ValidationException", "ReturnValues can only be ALL_OLD or NONE")


def test_legacy_expected_conditions_are_evaluated(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "v": {"N": "1"}})
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "v": {"N": "2"}}, Expected={"v": {"Value": {"N": "1"}}})
    with pytest.raises(ClientError) as err:
        dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}}, Expected={"id": {"Exists": False}})
    assert _error(err)[0] == "ConditionalCheckFailedException"


def test_mixing_expression_and_legacy_parameters_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.put_item(
            TableName=table, Item={"id": {"S": "a"}}, ConditionExpression="attribute_exists(id)",
            Expected={"id": {"Exists": False}},
        )
    assert _error(err) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
    )


def test_unused_expression_attribute_values_are_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.put_item(
            TableName=table, Item={"id": {"S": "a"}}, ConditionExpression="attribute_not_exists(id)",
            ExpressionAttributeValues={":unused": {"S": "x"}},
        )
    assert _error(err) == (
        "ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"
    )


def test_get_item_projection_expression_returns_only_named_paths(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "m": {"M": {"x": {"N": "1"}, "y": {"N": "2"}}}, "z": {"S": "z"}})
    out = dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}}, ProjectionExpression="m.x, #z",
                            ExpressionAttributeNames={"#z": "z"})
    assert out["Item"] == {"m": {"M": {"x": {"N": "1"}}}, "z": {"S": "z"}}


def test_get_item_attributes_to_get_and_consumed_capacity(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "b": {"S": "b"}, "c": {"S": "c"}})
    out = dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}}, AttributesToGet=["b"], ConsistentRead=True,
                            ReturnConsumedCapacity="TOTAL")
    assert out["Item"] == {"b": {"S": "b"}}
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}


def test_get_item_with_a_key_missing_the_hash_attribute_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.get_item(TableName=table, Key={"other": {"S": "a"}})
    assert _error(err) == ("ValidationException", "The provided key element does not match the schema")


def test_get_item_on_a_missing_table_raises_resource_not_found(dynamodb, unique_name):
    with pytest.raises(ClientError) as err:
        dynamodb.get_item(TableName=unique_name, Key={"id": {"S": "a"}})
    assert _error(err) == ("ResourceNotFoundException", "Requested resource not found")


def test_update_of_a_missing_item_creates_it(dynamodb, table):
    out = dynamodb.update_item(
        TableName=table, Key={"id": {"S": "new"}}, UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"N": "07"}},
        ReturnValues="ALL_NEW",
    )
    assert out["Attributes"] == {"id": {"S": "new"}, "v": {"N": "7"}}
    assert dynamodb.get_item(TableName=table, Key={"id": {"S": "new"}})["Item"] == {"id": {"S": "new"}, "v": {"N": "7"}}


def test_update_with_failed_condition_does_not_create_the_item(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.update_item(TableName=table, Key={"id": {"S": "x"}}, UpdateExpression="SET v = :v",
                             ConditionExpression="attribute_exists(id)", ExpressionAttributeValues={":v": {"N": "1"}})
    assert _error(err)[0] == "ConditionalCheckFailedException"
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": "x"}})


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("NONE", None),
        ("ALL_OLD", {"id": {"S": "a"}, "n": {"N": "1"}, "keep": {"S": "k"}}),
        ("UPDATED_OLD", {"n": {"N": "1"}}),
        ("ALL_NEW", {"id": {"S": "a"}, "n": {"N": "3"}, "keep": {"S": "k"}, "added": {"S": "x"}}),
        ("UPDATED_NEW", {"n": {"N": "3"}, "added": {"S": "x"}}),
    ],
)
def test_update_returns_values_as_asked(dynamodb, table, mode, expected):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "n": {"N": "1"}, "keep": {"S": "k"}})
    out = dynamodb.update_item(
        TableName=table, Key={"id": {"S": "a"}}, UpdateExpression="SET n = n + :two, added = :x",
        ExpressionAttributeValues={":two": {"N": "2"}, ":x": {"S": "x"}}, ReturnValues=mode,
    )
    assert out.get("Attributes") == expected


def test_update_of_list_map_and_set_values(dynamodb_resource, table):
    t = dynamodb_resource.Table(table)
    t.put_item(Item={"id": "a", "l": [1, 2], "r": [1, 2], "m": {"x": 1}, "s": {"a", "b"}, "d": {"a", "b"}})
    t.update_item(
        Key={"id": "a"},
        UpdateExpression="SET l = list_append(l, :more), m.y = :y REMOVE r[0] ADD s :add DELETE d :del",
        ExpressionAttributeValues={":more": [3], ":y": "why", ":add": {"c"}, ":del": {"a"}},
    )
    item = t.get_item(Key={"id": "a"})["Item"]
    assert item == {"id": "a", "l": [1, 2, 3], "r": [decimal.Decimal(2)], "m": {"x": 1, "y": "why"}, "s": {"a", "b", "c"}, "d": {"b"}}


def test_update_of_a_key_attribute_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.update_item(TableName=table, Key={"id": {"S": "a"}}, UpdateExpression="SET id = :v",
                             ExpressionAttributeValues={":v": {"S": "b"}})
    assert _error(err) == (
        "ValidationException",
        "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key",
    )


def test_legacy_attribute_updates_put_add_and_delete(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "n": {"N": "1"}, "gone": {"S": "x"}})
    dynamodb.update_item(
        TableName=table, Key={"id": {"S": "a"}},
        AttributeUpdates={"n": {"Action": "ADD", "Value": {"N": "4"}}, "p": {"Value": {"S": "put"}}, "gone": {"Action": "DELETE"}},
    )
    assert dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}})["Item"] == {
        "id": {"S": "a"}, "n": {"N": "5"}, "p": {"S": "put"}
    }


def test_resource_update_with_attr_condition(dynamodb_resource, table):
    t = dynamodb_resource.Table(table)
    t.put_item(Item={"id": "a", "state": "open"})
    t.update_item(Key={"id": "a"}, UpdateExpression="SET #s = :c", ConditionExpression=Attr("state").eq("open"),
                  ExpressionAttributeNames={"#s": "state"}, ExpressionAttributeValues={":c": "closed"})
    assert t.get_item(Key={"id": "a"})["Item"]["state"] == "closed"
    with pytest.raises(ClientError) as err:
        t.update_item(Key={"id": "a"}, UpdateExpression="SET #s = :c", ConditionExpression=Attr("state").eq("open"),
                      ExpressionAttributeNames={"#s": "state"}, ExpressionAttributeValues={":c": "x"})
    assert _error(err)[0] == "ConditionalCheckFailedException"


def test_delete_returns_the_old_item_and_removes_it(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "v": {"S": "1"}})
    out = dynamodb.delete_item(TableName=table, Key={"id": {"S": "a"}}, ReturnValues="ALL_OLD")
    assert out["Attributes"] == {"id": {"S": "a"}, "v": {"S": "1"}}
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}})


def test_delete_with_false_condition_keeps_the_item(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}})
    with pytest.raises(ClientError) as err:
        dynamodb.delete_item(TableName=table, Key={"id": {"S": "a"}}, ConditionExpression="attribute_exists(nope)")
    assert _error(err)[0] == "ConditionalCheckFailedException"
    assert "Item" in dynamodb.get_item(TableName=table, Key={"id": {"S": "a"}})


def test_write_consumed_capacity_counts_global_indexes(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST",
    )
    out = dynamodb.put_item(TableName=unique_name, Item={"id": {"S": "a"}, "g": {"S": "x"}}, ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == {
        "TableName": unique_name, "CapacityUnits": 2.0, "Table": {"CapacityUnits": 1.0},
        "GlobalSecondaryIndexes": {"by_g": {"CapacityUnits": 1.0}},
    }
