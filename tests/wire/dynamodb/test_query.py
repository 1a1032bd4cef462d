"""Query through boto3: key conditions as storage ranges, indexes, filters, Select, paging and errors."""

from __future__ import annotations

import decimal

import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError


@pytest.fixture
def table(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "name", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        LocalSecondaryIndexes=[{
            "IndexName": "by_name", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "name", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }],
        GlobalSecondaryIndexes=[{
            "IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["extra"]},
        }],
        BillingMode="PAY_PER_REQUEST",
    )
    for i in range(10):
        dynamodb.put_item(TableName=unique_name, Item={
            "pk": {"S": "p"}, "sk": {"N": str(i)}, "name": {"S": f"n{9 - i}"}, "g": {"S": "even" if i % 2 == 0 else "odd"},
            "extra": {"N": str(i * 10)}, "other": {"S": "o"},
        })
    dynamodb.put_item(TableName=unique_name, Item={"pk": {"S": "q"}, "sk": {"N": "-1.5"}, "name": {"S": "prefix-b"}})
    return unique_name


def _error(err: pytest.ExceptionInfo) -> tuple[str, str]:
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


def _sks(items: list[dict]) -> list[str]:
    return [i["sk"]["N"] for i in items]


@pytest.mark.parametrize(
    "condition, values, expected",
    [
        ("pk = :p", {}, [str(i) for i in range(10)]),
        ("pk = :p AND sk = :a", {":a": {"N": "3"}}, ["3"]),
        ("pk = :p AND sk < :a", {":a": {"N": "3"}}, ["0", "1", "2"]),
        ("pk = :p AND sk <= :a", {":a": {"N": "3"}}, ["0", "1", "2", "3"]),
        ("pk = :p AND sk > :a", {":a": {"N": "7"}}, ["8", "9"]),
        ("pk = :p AND sk >= :a", {":a": {"N": "7"}}, ["7", "8", "9"]),
        ("pk = :p AND sk BETWEEN :a AND :b", {":a": {"N": "2"}, ":b": {"N": "4"}}, ["2", "3", "4"]),
    ],
)
def test_query_key_conditions_select_the_right_range(dynamodb, table, condition, values, expected):
    out = dynamodb.query(TableName=table, KeyConditionExpression=condition,
                         ExpressionAttributeValues={":p": {"S": "p"}, **values})
    assert _sks(out["Items"]) == expected
    assert out["Count"] == out["ScannedCount"] == len(expected)


def test_query_backwards_returns_descending_range_keys(dynamodb, table):
    out = dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                         ScanIndexForward=False)
    assert _sks(out["Items"]) == [str(i) for i in range(9, -1, -1)]


def test_query_begins_with_on_a_local_index_is_a_prefix_range(dynamodb_resource, table):
    t = dynamodb_resource.Table(table)
    out = t.query(IndexName="by_name", KeyConditionExpression=Key("pk").eq("q") & Key("name").begins_with("prefix"))
    assert out["Items"] == [{"pk": "q", "sk": decimal.Decimal("-1.5"), "name": "prefix-b"}]
    assert t.query(IndexName="by_name", KeyConditionExpression=Key("pk").eq("q") & Key("name").begins_with("prefiy"))["Count"] == 0


def test_local_keys_only_index_returns_key_attributes_in_index_order(dynamodb, table):
    out = dynamodb.query(TableName=table, IndexName="by_name", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "p"}})
    assert [i["name"]["S"] for i in out["Items"]] == [f"n{i}" for i in range(10)]
    assert set(out["Items"][0]) == {"pk", "sk", "name"}


def test_local_index_with_select_all_attributes_fetches_the_whole_item(dynamodb, table):
    out = dynamodb.query(TableName=table, IndexName="by_name", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "p"}}, Select="ALL_ATTRIBUTES", Limit=1)
    assert set(out["Items"][0]) == {"pk", "sk", "name", "g", "extra", "other"}


def test_global_include_index_returns_projected_attributes(dynamodb, table):
    out = dynamodb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g AND sk > :s",
                         ExpressionAttributeValues={":g": {"S": "odd"}, ":s": {"N": "4"}})
    assert _sks(out["Items"]) == ["5", "7", "9"]
    assert set(out["Items"][0]) == {"pk", "sk", "g", "extra"}


def test_select_all_attributes_on_a_non_all_global_index_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g",
                       ExpressionAttributeValues={":g": {"S": "odd"}}, Select="ALL_ATTRIBUTES")
    assert _error(err) == ("ValidationException",
                           "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                           "global secondary index by_g because its projection type is not ALL")


def test_consistent_read_on_a_global_index_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g",
                       ExpressionAttributeValues={":g": {"S": "odd"}}, ConsistentRead=True)
    assert _error(err) == ("ValidationException", "Consistent reads are not supported on global secondary indexes")


def test_query_on_an_unknown_index_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, IndexName="nope", KeyConditionExpression="pk = :p",
                       ExpressionAttributeValues={":p": {"S": "p"}})
    assert _error(err) == ("ValidationException", "The table does not have the specified index: nope")


def test_limit_applies_before_the_filter(dynamodb_resource, table):
    out = dynamodb_resource.Table(table).query(KeyConditionExpression=Key("pk").eq("p"), FilterExpression=Attr("extra").gt(20), Limit=4)
    assert out["Count"] == 1 and out["ScannedCount"] == 4
    assert out["LastEvaluatedKey"] == {"pk": "p", "sk": 3}


def test_legacy_key_conditions_and_query_filter(dynamodb, table):
    out = dynamodb.query(
        TableName=table,
        KeyConditions={"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
                       "sk": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "5"}]}},
        QueryFilter={"extra": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "70"}]}},
        AttributesToGet=["sk"],
    )
    assert out["Items"] == [{"sk": {"N": "5"}}, {"sk": {"N": "6"}}]


def test_filter_on_a_key_attribute_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", FilterExpression="sk > :s",
                       ExpressionAttributeValues={":p": {"S": "p"}, ":s": {"N": "1"}})
    assert _error(err) == ("ValidationException",
                           "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk")


def test_select_count_returns_no_items(dynamodb, table):
    out = dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                         Select="COUNT")
    assert out["Count"] == 10 and "Items" not in out


def test_select_specific_attributes_needs_a_projection(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                       Select="SPECIFIC_ATTRIBUTES")
    assert _error(err) == ("ValidationException", "1 validation error detected: Must specify the AttributesToGet or "
                           "ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")


def test_projection_with_select_count_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                       Select="COUNT", ProjectionExpression="sk")
    assert _error(err) == ("ValidationException", "1 validation error detected: Cannot specify the ProjectionExpression "
                           "when choosing to get only the Count")


def test_query_without_key_condition_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table)
    assert _error(err) == ("ValidationException",
                           "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")


def test_query_without_the_hash_key_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, KeyConditionExpression="sk = :s", ExpressionAttributeValues={":s": {"N": "1"}})
    assert _error(err) == ("ValidationException", "Query condition missed key schema element: pk")


@pytest.mark.parametrize("forward", [True, False])
def test_paging_with_limit_visits_every_item_once(dynamodb, table, forward):
    seen: list[str] = []
    kwargs: dict = {}
    for _ in range(20):
        out = dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                             Limit=3, ScanIndexForward=forward, **kwargs)
        seen += _sks(out["Items"])
        if "LastEvaluatedKey" not in out:
            break
        kwargs = {"ExclusiveStartKey": out["LastEvaluatedKey"]}
    expected = [str(i) for i in range(10)]
    assert seen == (expected if forward else expected[::-1])


def test_paging_on_a_global_index_returns_index_and_table_keys(dynamodb, table):
    seen: list[str] = []
    kwargs: dict = {}
    for _ in range(20):
        out = dynamodb.query(TableName=table, IndexName="by_g", KeyConditionExpression="g = :g",
                             ExpressionAttributeValues={":g": {"S": "even"}}, Limit=2, **kwargs)
        seen += _sks(out["Items"])
        if "LastEvaluatedKey" not in out:
            break
        assert set(out["LastEvaluatedKey"]) == {"pk", "sk", "g"}
        kwargs = {"ExclusiveStartKey": out["LastEvaluatedKey"]}
    assert seen == ["0", "2", "4", "6", "8"]


def test_exclusive_start_key_of_the_wrong_shape_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                       ExclusiveStartKey={"pk": {"S": "p"}})
    assert _error(err) == ("ValidationException",
                           "The provided starting key is invalid: The provided key element does not match the schema")


def test_exclusive_start_key_outside_the_partition_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                       ExclusiveStartKey={"pk": {"S": "zz"}, "sk": {"N": "1"}})
    assert _error(err) == ("ValidationException",
                           "The provided starting key is outside query boundaries based on provided conditions")


def test_one_megabyte_pages_cover_all_items(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )
    blob = "x" * 100_000
    for i in range(12):  # ~1.2 MB in one partition
        dynamodb.put_item(TableName=unique_name, Item={"pk": {"S": "big"}, "sk": {"N": str(i)}, "data": {"S": blob}})
    pages, seen, kwargs = 0, [], {}
    for _ in range(10):
        out = dynamodb.query(TableName=unique_name, KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {"S": "big"}}, ProjectionExpression="sk", **kwargs)
        pages += 1
        seen += _sks(out["Items"])
        if "LastEvaluatedKey" not in out:
            break
        kwargs = {"ExclusiveStartKey": out["LastEvaluatedKey"]}
    assert pages == 2
    assert seen == [str(i) for i in range(12)]


def test_query_consumed_capacity_counts_read_units(dynamodb, table):
    out = dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
                         ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
    assert out["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": 1.0}


def test_queries_of_one_shape_with_other_values_each_get_their_own_partition_and_range(dynamodb, table):
    # The second and later queries reuse the first one's parse (operations/query.py, _SHAPES) with their own values.
    expression = "pk = :p AND sk BETWEEN :a AND :b"
    for pk, low, high, expected in (("p", "2", "4", ["2", "3", "4"]), ("q", "-2", "0", ["-1.5"]),
                                    ("p", "8", "20", ["8", "9"]), ("nobody", "0", "9", []),
                                    ("p", "-5", "0.5", ["0"])):
        out = dynamodb.query(TableName=table, KeyConditionExpression=expression, ExpressionAttributeValues={
            ":p": {"S": pk}, ":a": {"N": low}, ":b": {"N": high}})
        assert _sks(out["Items"]) == expected, (pk, low, high)


def test_a_query_of_a_known_shape_with_a_value_aws_refuses_still_gets_the_error(dynamodb, table):
    expression = "pk = :p AND sk > :a"
    dynamodb.query(TableName=table, KeyConditionExpression=expression,
                   ExpressionAttributeValues={":p": {"S": "p"}, ":a": {"N": "1"}})
    with pytest.raises(ClientError) as err:
        dynamodb.query(TableName=table, KeyConditionExpression=expression,
                       ExpressionAttributeValues={":p": {"S": "p"}, ":a": {"N": "1" * 39}})
    assert _error(err)[0] == "ValidationException"
    with pytest.raises(ClientError) as err:  # a type the schema does not have: the shape differs, parsed again
        dynamodb.query(TableName=table, KeyConditionExpression=expression,
                       ExpressionAttributeValues={":p": {"S": "p"}, ":a": {"S": "1"}})
    assert _error(err) == ("ValidationException",
                           "One or more parameter values were invalid: Condition parameter type does not match schema type")


def test_a_query_for_an_empty_string_partition_key_is_refused_as_aws_does(dynamodb, table):
    # moto#7062 quotes AWS: "... cannot contain an empty string value. Key: PK" for Key("PK").eq("").
    for _ in range(2):  # the second one of the same shape too
        with pytest.raises(ClientError) as err:
            dynamodb.query(TableName=table, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": ""}})
        assert _error(err) == ("ValidationException", "One or more parameter values are not valid. The AttributeValue "
                               "for a key attribute cannot contain an empty string value. Key: pk")
