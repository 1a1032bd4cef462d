"""BatchGetItem, BatchWriteItem, TransactWriteItems and TransactGetItems through boto3."""

from __future__ import annotations

import uuid

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


def _error(call, **kwargs) -> ClientError:
    with pytest.raises(ClientError) as err:
        call(**kwargs)
    return err.value


def test_batch_write_then_batch_get_round_trips_items_with_a_projection(dynamodb, table):
    out = dynamodb.batch_write_item(RequestItems={table: [
        {"PutRequest": {"Item": {"id": {"S": f"k{i}"}, "n": {"N": str(i)}, "x": {"S": "big"}}}} for i in range(25)
    ]})
    assert out["UnprocessedItems"] == {}
    got = dynamodb.batch_get_item(RequestItems={table: {
        "Keys": [{"id": {"S": f"k{i}"}} for i in range(10)] + [{"id": {"S": "missing"}}],
        "ProjectionExpression": "#n", "ExpressionAttributeNames": {"#n": "n"}, "ConsistentRead": True,
    }})
    assert got["UnprocessedKeys"] == {}
    assert sorted(int(i["n"]["N"]) for i in got["Responses"][table]) == list(range(10))
    assert all(set(i) == {"n"} for i in got["Responses"][table])


def test_batch_write_deletes_items(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "gone"}})
    dynamodb.batch_write_item(RequestItems={table: [{"DeleteRequest": {"Key": {"id": {"S": "gone"}}}}]})
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": "gone"}})


def test_batch_write_with_two_operations_on_one_item_is_rejected(dynamodb, table):
    err = _error(dynamodb.batch_write_item, RequestItems={table: [
        {"PutRequest": {"Item": {"id": {"S": "same"}}}}, {"DeleteRequest": {"Key": {"id": {"S": "same"}}}},
    ]})
    assert err.response["Error"]["Message"] == "Provided list of item keys contains duplicates"
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": "same"}})


def test_batch_get_with_duplicate_keys_is_rejected(dynamodb, table):
    err = _error(dynamodb.batch_get_item, RequestItems={table: {"Keys": [{"id": {"S": "a"}}, {"id": {"S": "a"}}]}})
    assert err.response["Error"]["Code"] == "ValidationException"
    assert err.response["Error"]["Message"] == "Provided list of item keys contains duplicates"


def test_batch_get_of_more_than_100_keys_is_rejected(dynamodb, table, unique_name):
    err = _error(dynamodb.batch_get_item, RequestItems={table: {"Keys": [{"id": {"S": str(i)}} for i in range(101)]}})
    assert err.response["Error"]["Code"] == "ValidationException"


def test_batch_get_of_a_missing_table_is_resource_not_found(dynamodb):
    err = _error(dynamodb.batch_get_item, RequestItems={"no-such-table-x": {"Keys": [{"id": {"S": "a"}}]}})
    assert err.response["Error"]["Code"] == "ResourceNotFoundException"


def test_transact_write_applies_put_update_delete_and_check_together(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "u"}, "n": {"N": "1"}})
    dynamodb.put_item(TableName=table, Item={"id": {"S": "d"}})
    dynamodb.put_item(TableName=table, Item={"id": {"S": "c"}, "ok": {"BOOL": True}})
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": table, "Item": {"id": {"S": "p"}}, "ConditionExpression": "attribute_not_exists(id)"}},
        {"Update": {"TableName": table, "Key": {"id": {"S": "u"}}, "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Delete": {"TableName": table, "Key": {"id": {"S": "d"}}}},
        {"ConditionCheck": {"TableName": table, "Key": {"id": {"S": "c"}}, "ConditionExpression": "ok = :t",
                            "ExpressionAttributeValues": {":t": {"BOOL": True}}}},
    ])
    assert "Item" in dynamodb.get_item(TableName=table, Key={"id": {"S": "p"}})
    assert dynamodb.get_item(TableName=table, Key={"id": {"S": "u"}})["Item"]["n"] == {"N": "2"}
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": "d"}})


def test_transact_write_with_a_failed_condition_is_cancelled_with_reasons_and_writes_nothing(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "exists"}, "v": {"N": "1"}})
    err = _error(dynamodb.transact_write_items, TransactItems=[
        {"Put": {"TableName": table, "Item": {"id": {"S": "exists"}}, "ConditionExpression": "attribute_not_exists(id)",
                 "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
        {"Put": {"TableName": table, "Item": {"id": {"S": "new"}}}},
    ])
    assert err.response["Error"]["Code"] == "TransactionCanceledException"
    assert err.response["Error"]["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]"
    )
    reasons = err.response["CancellationReasons"]
    assert reasons[0]["Code"] == "ConditionalCheckFailed" and reasons[0]["Message"] == "The conditional request failed"
    assert reasons[0]["Item"] == {"id": {"S": "exists"}, "v": {"N": "1"}}
    assert reasons[1] == {"Code": "None"}
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"id": {"S": "new"}})


def test_transact_write_with_two_operations_on_one_item_is_rejected(dynamodb, table):
    err = _error(dynamodb.transact_write_items, TransactItems=[
        {"Put": {"TableName": table, "Item": {"id": {"S": "x"}}}},
        {"Delete": {"TableName": table, "Key": {"id": {"S": "x"}}}},
    ])
    assert err.response["Error"]["Code"] == "ValidationException"
    assert err.response["Error"]["Message"] == "Transaction request cannot include multiple operations on one item"


def test_transact_write_token_replays_and_rejects_a_different_request(dynamodb, table):
    token = uuid.uuid4().hex
    items = [{"Update": {"TableName": table, "Key": {"id": {"S": "cnt"}}, "UpdateExpression": "ADD n :one",
                         "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    dynamodb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    dynamodb.transact_write_items(TransactItems=items, ClientRequestToken=token)
    assert dynamodb.get_item(TableName=table, Key={"id": {"S": "cnt"}})["Item"]["n"] == {"N": "1"}
    other = [{"Put": {"TableName": table, "Item": {"id": {"S": "other"}}}}]
    err = _error(dynamodb.transact_write_items, TransactItems=other, ClientRequestToken=token)
    assert err.response["Error"]["Code"] == "IdempotentParameterMismatchException"


def test_transact_get_returns_items_in_request_order_and_empty_for_missing(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"id": {"S": "a"}, "v": {"S": "1"}})
    out = dynamodb.transact_get_items(TransactItems=[
        {"Get": {"TableName": table, "Key": {"id": {"S": "missing"}}}},
        {"Get": {"TableName": table, "Key": {"id": {"S": "a"}}, "ProjectionExpression": "v"}},
    ])
    assert out["Responses"] == [{}, {"Item": {"v": {"S": "1"}}}]


def test_resource_batch_writer_writes_many_items(dynamodb_resource, table):
    t = dynamodb_resource.Table(table)
    with t.batch_writer() as batch:
        for i in range(60):
            batch.put_item(Item={"id": f"b{i}", "n": i})
    assert t.scan(Select="COUNT")["Count"] == 60
