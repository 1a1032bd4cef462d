"""Scan through boto3: filters, projection, Select, paging and parallel segments."""

from __future__ import annotations

import pytest
from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError


@pytest.fixture
def table(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        BillingMode="PAY_PER_REQUEST",
    )
    for i in range(40):
        item = {"id": {"S": f"i{i:02d}"}, "n": {"N": str(i)}}
        if i % 4 == 0:
            item["g"] = {"S": f"g{i}"}
        dynamodb.put_item(TableName=unique_name, Item=item)
    return unique_name


def _error(err: pytest.ExceptionInfo) -> tuple[str, str]:
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


def _scan_all(dynamodb, **kwargs) -> list[str]:
    seen: list[str] = []
    start: dict = {}
    for _ in range(100):
        out = dynamodb.scan(**kwargs, **start)
        seen += [i["id"]["S"] for i in out.get("Items", [])]
        if "LastEvaluatedKey" not in out:
            return seen
        start = {"ExclusiveStartKey": out["LastEvaluatedKey"]}
    raise AssertionError("scan did not finish")


def test_scan_returns_every_item(dynamodb, table):
    out = dynamodb.scan(TableName=table)
    assert out["Count"] == out["ScannedCount"] == 40
    assert sorted(i["id"]["S"] for i in out["Items"]) == [f"i{i:02d}" for i in range(40)]


def test_paging_with_limit_visits_every_item_once(dynamodb, table):
    seen = _scan_all(dynamodb, TableName=table, Limit=7)
    assert sorted(seen) == [f"i{i:02d}" for i in range(40)]


def test_parallel_segments_cover_every_item_exactly_once(dynamodb, table):
    seen: list[str] = []
    for segment in range(4):
        seen += _scan_all(dynamodb, TableName=table, Segment=segment, TotalSegments=4, Limit=5)
    assert sorted(seen) == [f"i{i:02d}" for i in range(40)]


def test_filter_expression_counts_scanned_and_matched_items(dynamodb_resource, table):
    out = dynamodb_resource.Table(table).scan(FilterExpression=Attr("n").lt(10), ProjectionExpression="id")
    assert out["Count"] == 10 and out["ScannedCount"] == 40
    assert all(set(item) == {"id"} for item in out["Items"])


def test_legacy_scan_filter_and_attributes_to_get(dynamodb, table):
    out = dynamodb.scan(TableName=table, ScanFilter={"n": {"ComparisonOperator": "BETWEEN",
                                                          "AttributeValueList": [{"N": "3"}, {"N": "5"}]}},
                        AttributesToGet=["n"])
    assert sorted(int(i["n"]["N"]) for i in out["Items"]) == [3, 4, 5]


def test_scan_of_a_sparse_global_index_returns_only_indexed_items(dynamodb, table):
    seen = _scan_all(dynamodb, TableName=table, IndexName="by_g", Limit=3)
    assert sorted(seen) == [f"i{i:02d}" for i in range(0, 40, 4)]
    out = dynamodb.scan(TableName=table, IndexName="by_g", Limit=1)
    assert set(out["Items"][0]) == {"id", "g"}
    assert set(out["LastEvaluatedKey"]) == {"id", "g"}


def test_select_count_returns_no_items(dynamodb, table):
    out = dynamodb.scan(TableName=table, Select="COUNT", Limit=1)
    assert out["Count"] == 1 and "Items" not in out and "LastEvaluatedKey" in out


def test_segment_without_total_segments_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.scan(TableName=table, Segment=0)
    assert _error(err) == ("ValidationException", "The TotalSegments parameter is required but was not present in the "
                           "request when Segment parameter is present")


def test_total_segments_without_segment_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.scan(TableName=table, TotalSegments=2)
    assert _error(err) == ("ValidationException", "The Segment parameter is required but was not present in the "
                           "request when parameter TotalSegments is present")


def test_segment_not_below_total_segments_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.scan(TableName=table, Segment=2, TotalSegments=2)
    assert _error(err) == ("ValidationException", "The Segment parameter is zero-based and must be less than parameter "
                           "TotalSegments: Segment: 2 is not less than TotalSegments: 2")


def test_all_projected_attributes_without_an_index_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.scan(TableName=table, Select="ALL_PROJECTED_ATTRIBUTES")
    assert _error(err) == ("ValidationException", "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")


def test_exclusive_start_key_of_the_wrong_shape_is_refused(dynamodb, table):
    with pytest.raises(ClientError) as err:
        dynamodb.scan(TableName=table, ExclusiveStartKey={"nope": {"S": "x"}})
    assert _error(err) == ("ValidationException",
                           "The provided starting key is invalid: The provided key element does not match the schema")


def test_one_megabyte_pages_cover_all_items(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    blob = "x" * 100_000
    for i in range(12):
        dynamodb.put_item(TableName=unique_name, Item={"id": {"S": f"b{i}"}, "data": {"S": blob}})
    pages = 0
    seen: list[str] = []
    start: dict = {}
    for _ in range(10):
        out = dynamodb.scan(TableName=unique_name, ProjectionExpression="id", **start)
        pages += 1
        seen += [i["id"]["S"] for i in out["Items"]]
        if "LastEvaluatedKey" not in out:
            break
        start = {"ExclusiveStartKey": out["LastEvaluatedKey"]}
    assert pages == 2
    assert sorted(seen) == sorted(f"b{i}" for i in range(12))
