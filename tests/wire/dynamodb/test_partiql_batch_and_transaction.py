"""BatchExecuteStatement and ExecuteTransaction through boto3: per-member errors, all-or-nothing, idempotency."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def table(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST",
    )
    for pk in ("a", "b"):
        dynamodb.put_item(TableName=unique_name, Item={"pk": {"S": pk}, "v": {"S": pk.upper()}, "n": {"N": "0"}})
    return unique_name


def _get(dynamodb, table, pk):
    return dynamodb.get_item(TableName=table, Key={"pk": {"S": pk}}, ConsistentRead=True).get("Item")


def test_batch_of_selects_returns_one_item_per_statement(dynamodb, table):
    out = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'"},
        {"Statement": f"SELECT v FROM \"{table}\" WHERE pk = ?", "Parameters": [{"S": "b"}]},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'none'"},
    ])["Responses"]
    assert out[0]["Item"]["v"] == {"S": "A"} and out[0]["TableName"] == table
    assert out[1]["Item"] == {"v": {"S": "B"}}
    assert "Item" not in out[2]


def test_batch_member_errors_do_not_fail_the_batch(dynamodb, table):
    out = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"SLECT * FROM \"{table}\" WHERE pk = 'a'"},
        {"Statement": "SELECT * FROM \"no_such_partiql_table\" WHERE pk = 'a'"},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE v = 'A'"},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'"},
    ])["Responses"]
    assert out[0]["Error"] == {"Code": "ValidationError",
                               "Message": "Statement wasn't well formed, can't be processed: Expected data manipulation"}
    assert out[1]["Error"]["Code"] == "ResourceNotFound"
    assert out[2]["Error"]["Code"] == "ValidationError"
    assert "must specify the primary key in the where clause" in out[2]["Error"]["Message"]
    assert out[3]["Item"]["pk"] == {"S": "a"}
    assert "TableName" not in out[2]  # refused before it ran


def test_batch_of_writes_applies_each_and_reports_duplicates_per_member(dynamodb, table):
    out = dynamodb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}"},
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'a'}}"},
        {"Statement": f"UPDATE \"{table}\" SET v = 'new' WHERE pk = 'b' RETURNING ALL NEW *"},
        {"Statement": f"UPDATE \"{table}\" SET v = 'x' WHERE pk = 'zz'"},
    ])["Responses"]
    assert "Error" not in out[0] and _get(dynamodb, table, "c") == {"pk": {"S": "c"}}
    assert out[1]["Error"] == {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}
    assert out[2]["Item"]["v"] == {"S": "new"}
    assert out[3]["Error"]["Code"] == "ConditionalCheckFailed"
    assert out[1]["TableName"] == table and out[3]["TableName"] == table  # members that reached their item


def test_batch_condition_failure_never_returns_the_item(dynamodb, table):
    out = dynamodb.batch_execute_statement(Statements=[{
        "Statement": f"UPDATE \"{table}\" SET v = 'x' WHERE pk = 'a' AND v = 'wrong'",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }])["Responses"]
    assert out == [{"Error": {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}, "TableName": table}]


def test_batch_mixing_reads_and_writes_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.batch_execute_statement(Statements=[
            {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'"},
            {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'a'"},
        ])
    assert err.value.response["Error"]["Code"] == "ValidationException"


def test_batch_read_capacity_follows_each_members_consistency(dynamodb, table):
    out = dynamodb.batch_execute_statement(ReturnConsumedCapacity="TOTAL", Statements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'", "ConsistentRead": True},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'b'"},
    ])
    assert out["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 1.5}]


def test_transaction_applies_every_statement(dynamodb, table):
    dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'c', 'v': 'C'}}"},
        {"Statement": f"UPDATE \"{table}\" SET n = n + 1 WHERE pk = 'a'"},
        {"Statement": f"DELETE FROM \"{table}\" WHERE pk = 'b'"},
    ])
    assert _get(dynamodb, table, "c")["v"] == {"S": "C"}
    assert _get(dynamodb, table, "a")["n"] == {"N": "1"}
    assert _get(dynamodb, table, "b") is None


def test_transaction_with_a_duplicate_insert_is_cancelled_and_writes_nothing(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.execute_transaction(TransactStatements=[
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'a'}}"},
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'd'}}"},
        ])
    response = err.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert response["Error"]["Message"] == (
        "Transaction cancelled, please refer cancellation reasons for specific reasons [DuplicateItem, None]")
    assert [r["Code"] for r in response["CancellationReasons"]] == ["DuplicateItem", "None"]
    assert _get(dynamodb, table, "d") is None


def test_transaction_condition_check_with_exists(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.execute_transaction(TransactStatements=[
            {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'a' AND v = 'other')"},
            {"Statement": f"UPDATE \"{table}\" SET v = 'x' WHERE pk = 'b'"},
        ])
    assert [r["Code"] for r in err.value.response["CancellationReasons"]] == ["ConditionalCheckFailed", "None"]
    dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'a' AND v = 'A')"},
        {"Statement": f"UPDATE \"{table}\" SET v = 'x' WHERE pk = 'b'"},
    ])
    assert _get(dynamodb, table, "b")["v"] == {"S": "x"}


def test_transaction_of_reads_returns_responses(dynamodb, table):
    out = dynamodb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'"},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'none'"},
    ])
    assert out["Responses"][0]["Item"]["v"] == {"S": "A"} and out["Responses"][1] == {}


def test_transaction_refuses_returning_and_index_reads(dynamodb, table):
    for statement, message in [
        (f"UPDATE \"{table}\" SET v = 'x' WHERE pk = 'a' RETURNING ALL NEW *", "RETURNING clause is not supported in ExecuteTransaction"),
        (f"SELECT * FROM \"{table}\".\"by_g\" WHERE g = 'x'", "Reads on indices are not supported within transactions"),
    ]:
        with pytest.raises(ClientError) as err:
            dynamodb.execute_transaction(TransactStatements=[{"Statement": statement}])
        assert err.value.response["Error"]["Code"] == "ValidationException"
        assert message in err.value.response["Error"]["Message"]
    assert _get(dynamodb, table, "a")["v"] == {"S": "A"}


def test_transaction_replay_with_the_same_token_applies_once(dynamodb, table, unique_name):
    statements = [{"Statement": f"UPDATE \"{table}\" SET n = n + 1 WHERE pk = 'a'"}]
    first = dynamodb.execute_transaction(TransactStatements=statements, ClientRequestToken=unique_name,
                                         ReturnConsumedCapacity="TOTAL")
    replay = dynamodb.execute_transaction(TransactStatements=statements, ClientRequestToken=unique_name,
                                          ReturnConsumedCapacity="TOTAL")
    assert _get(dynamodb, table, "a")["n"] == {"N": "1"}
    assert first["ConsumedCapacity"][0]["WriteCapacityUnits"] == 2.0
    assert replay["ConsumedCapacity"][0]["ReadCapacityUnits"] == 2.0


def test_a_malformed_transaction_statement_names_its_position(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.execute_transaction(TransactStatements=[
            {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'a'"},
            {"Statement": f"SELECT * FROM \"{table}\" WHERE"},
        ])
    assert err.value.response["Error"]["Message"] == (
        "Validation failed in TransactStatements[1]: Statement wasn't well formed, can't be processed: Unexpected term")


def test_transaction_capacity_by_index_charges_the_index_a_write_changes(dynamodb, table):
    out = dynamodb.execute_transaction(ReturnConsumedCapacity="INDEXES", TransactStatements=[
        {"Statement": f"UPDATE \"{table}\" SET g = 'x' WHERE pk = 'a'"},
        {"Statement": f"UPDATE \"{table}\" SET n = 5 WHERE pk = 'b'"},
    ])["ConsumedCapacity"]
    assert out == [{"TableName": table, "CapacityUnits": 5.0, "WriteCapacityUnits": 5.0,
                    "Table": {"CapacityUnits": 4.0, "WriteCapacityUnits": 4.0},
                    "GlobalSecondaryIndexes": {"by_g": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}}}]
