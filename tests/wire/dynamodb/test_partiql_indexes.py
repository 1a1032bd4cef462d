"""ExecuteStatement against "table"."index": membership, what an index projects, and AWS's exact refusals."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def table(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "g", "l")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {"IndexName": "gsi-inc", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["proj"]}},
            {"IndexName": "gsi-all", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}},
        ],
        LocalSecondaryIndexes=[{
            "IndexName": "lsi-keys",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "l", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }],
        BillingMode="PAY_PER_REQUEST",
    )
    for sk, extra in [("s1", {"g": "x", "l": "l1"}), ("s2", {"g": "x", "l": "l2"}), ("s3", {})]:
        item = {"pk": {"S": "p"}, "sk": {"S": sk}, "proj": {"S": "p-" + sk}, "np": {"S": "np-" + sk}}
        item.update({k: {"S": v} for k, v in extra.items()})
        dynamodb.put_item(TableName=unique_name, Item=item)
    return unique_name


def _items(dynamodb, statement, **kwargs):
    return dynamodb.execute_statement(Statement=statement, **kwargs)["Items"]


def _message(dynamodb, statement, **kwargs):
    with pytest.raises(ClientError) as err:
        dynamodb.execute_statement(Statement=statement, **kwargs)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    return err.value.response["Error"]["Message"]


def test_an_index_read_omits_items_the_index_does_not_hold(dynamodb, table):
    items = _items(dynamodb, f"SELECT sk FROM \"{table}\".\"gsi-all\" WHERE g = 'x'")
    assert sorted(i["sk"]["S"] for i in items) == ["s1", "s2"]


def test_select_star_on_an_include_index_returns_its_projection(dynamodb, table):
    items = _items(dynamodb, f"SELECT * FROM \"{table}\".\"gsi-inc\" WHERE g = 'x'")
    assert all(sorted(i) == ["g", "pk", "proj", "sk"] for i in items) and len(items) == 2


def test_a_local_index_fetches_an_unprojected_attribute_from_the_table(dynamodb, table):
    items = _items(dynamodb, f"SELECT np FROM \"{table}\".\"lsi-keys\" WHERE pk = 'p'")
    assert sorted(i["np"]["S"] for i in items) == ["np-s1", "np-s2"]


def test_an_unkeyed_index_scan_filters_on_what_the_index_holds(dynamodb, table):
    items = _items(dynamodb, f"SELECT sk FROM \"{table}\".\"gsi-inc\" WHERE NOT np = 'np-s1'")
    assert sorted(i["sk"]["S"] for i in items) == ["s1", "s2"]


def test_a_global_index_refuses_to_project_what_it_does_not_hold(dynamodb, table):
    assert _message(dynamodb, f"SELECT np FROM \"{table}\".\"gsi-inc\" WHERE g = 'x'") == (
        "One or more parameter values were invalid: Global secondary index gsi-inc does not project [np]")


@pytest.mark.parametrize("index, where", [("gsi-inc", "g = 'x'"), ("lsi-keys", "pk = 'p'"), ("gsi-inc", "g IN ['x', 'y']")])
def test_a_keyed_index_read_refuses_a_filter_on_an_unprojected_attribute(dynamodb, table, index, where):
    assert _message(dynamodb, f"SELECT pk FROM \"{table}\".\"{index}\" WHERE {where} AND np IS MISSING") == (
        f"One or more parameter values were invalid: Secondary index {index} does not project one or more "
        "filter attributes: [np]")


def test_paging_an_index_read_continues_and_refuses_another_index_token(dynamodb, table):
    first = dynamodb.execute_statement(Statement=f"SELECT sk FROM \"{table}\".\"gsi-all\" WHERE g = 'x'", Limit=1)
    second = dynamodb.execute_statement(Statement=f"SELECT sk FROM \"{table}\".\"gsi-all\" WHERE g = 'x'",
                                        NextToken=first["NextToken"])
    assert sorted(i["sk"]["S"] for i in first["Items"] + second["Items"]) == ["s1", "s2"]
    _message(dynamodb, f"SELECT sk FROM \"{table}\".\"gsi-inc\" WHERE g = 'x'", NextToken=first["NextToken"])


@pytest.mark.parametrize("statement, message", [
    ('SELECT * FROM "{t}"."nope" WHERE pk = \'p\'', "The table does not have the specified index"),
    ('SELECT * FROM "{t}"."gsi-all"."x" WHERE pk = \'p\'', "A path may contain at most 2 components in the FROM clause"),
    ('SELECT * FROM "{t}"."" WHERE pk = \'p\'', "Path component cannot be an empty string"),
    ('SELECT * FROM "" WHERE pk = \'p\'', "Path component cannot be an empty string"),
])
def test_target_refusals_use_aws_wording(dynamodb, table, statement, message):
    assert _message(dynamodb, statement.format(t=table)) == message


def test_consistent_read_on_a_global_index_is_refused(dynamodb, table):
    assert _message(dynamodb, f"SELECT * FROM \"{table}\".\"gsi-all\" WHERE g = 'x'", ConsistentRead=True) == (
        "Strongly consistent read is not supported on Global Secondary Indexes")


def test_writes_on_an_index_are_refused(dynamodb, table):
    assert "FROM clause may only contain a single table name" in _message(
        dynamodb, f"INSERT INTO \"{table}\".\"gsi-all\" VALUE {{'pk': 'w', 'sk': 'w'}}")
    assert "This operation is not supported on an index" in _message(
        dynamodb, f"DELETE FROM \"{table}\".\"gsi-all\" WHERE pk = 'p' AND sk = 's1'")


def test_index_reads_charge_the_index_arm_and_a_local_reach_back_charges_the_table_per_row(dynamodb, table):
    def capacity(statement, **kwargs):
        return dynamodb.execute_statement(Statement=statement, ReturnConsumedCapacity="INDEXES", **kwargs)["ConsumedCapacity"]

    keyed = capacity(f"SELECT pk FROM \"{table}\".\"gsi-all\" WHERE g = 'x'")
    assert keyed["Table"]["CapacityUnits"] == 0 and keyed["GlobalSecondaryIndexes"]["gsi-all"]["CapacityUnits"] == keyed["CapacityUnits"]
    projected = capacity(f"SELECT l FROM \"{table}\".\"lsi-keys\" WHERE pk = 'p'")
    assert projected["Table"]["CapacityUnits"] == 0
    one = capacity(f"SELECT np FROM \"{table}\".\"lsi-keys\" WHERE pk = 'p'", Limit=1)
    both = capacity(f"SELECT np FROM \"{table}\".\"lsi-keys\" WHERE pk = 'p'")
    both_consistent = capacity(f"SELECT np FROM \"{table}\".\"lsi-keys\" WHERE pk = 'p'", ConsistentRead=True)
    assert 0 < one["Table"]["CapacityUnits"] < both["Table"]["CapacityUnits"]
    assert both_consistent["Table"]["CapacityUnits"] == 2 * both["Table"]["CapacityUnits"]
