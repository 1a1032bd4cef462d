"""Query and Scan parity: raw requests and the exact error AWS gives (dynalite's AWS-run suite; the colon in
"missed key schema element: x" is today's AWS wording), plus response shapes."""

from __future__ import annotations

import pytest
from test_parity_items_support import NOT_FOUND, VALIDATION, call, check_error, fill, tables, unique

__all__ = ["tables"]

_COUNT = "The attempted filter operation is not supported for the provided filter argument count"
_EMPTY = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
_NULL = {"ComparisonOperator": "NULL"}


def _eq(value: str) -> dict:
    return {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": value}]}


CASES = [
    ("Query", "no key condition", {"TableName": "abc"},
     VALIDATION, "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."),
    ("Query", "empty key conditions", {"TableName": "abc", "KeyConditions": {}}, VALIDATION,
     "Conditions can be of length 1 or 2 only"),
    ("Query", "argument count before condition count",
     {"TableName": "abc", "KeyConditions": {"a": {"ComparisonOperator": "EQ"}, "b": _NULL, "c": _NULL}}, VALIDATION, _COUNT),
    ("Query", "empty value in key condition",
     {"TableName": "abc", "KeyConditions": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{}]}, "b": _NULL,
                                            "c": _NULL}}, VALIDATION, _EMPTY),
    ("Query", "bad number in key condition",
     {"TableName": "abc", "KeyConditions": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "b"}]}}},
     VALIDATION, "The parameter cannot be converted to a numeric value: b"),
    *[("Query", f"{op} with {n} arguments",
       {"TableName": "abc", "KeyConditions": {"a": {"ComparisonOperator": op, "AttributeValueList": [{"S": "a"}] * n}}},
       VALIDATION, _COUNT)
      for op, n in (("NULL", 1), ("NOT_NULL", 1), ("NE", 0), ("LE", 2), ("CONTAINS", 0), ("BEGINS_WITH", 2), ("IN", 0),
                    ("BETWEEN", 3))],
    ("Query", "three conditions", {"TableName": "abc", "ExclusiveStartKey": {}, "KeyConditions": {"a": _NULL, "b": _NULL,
                                                                                                 "c": _NULL}},
     VALIDATION, "Conditions can be of length 1 or 2 only"),
    ("Query", "empty starting key value", {"TableName": "abc", "ExclusiveStartKey": {"a": {}}, "KeyConditions": {"a": _NULL}},
     VALIDATION, "The provided starting key is invalid: " + _EMPTY),
    ("Query", "bad starting key number", {"TableName": "abc", "ExclusiveStartKey": {"a": {"NS": ["1", "b", "a"]}},
                                          "KeyConditions": {"a": _NULL}},
     VALIDATION, "The provided starting key is invalid: The parameter cannot be converted to a numeric value: b"),
    ("Query", "missing table", {"TableName": "no_such_table_x", "KeyConditions": {"a": _eq("a")}}, NOT_FOUND,
     "Requested resource not found"),
    *[("Query", f"hash table with {op}", {"TableName": "$hash", "KeyConditions": {"a": {
        "ComparisonOperator": op, "AttributeValueList": [{"S": "a"}] * (2 if op == "BETWEEN" else 1)}}},
       VALIDATION, "Query key condition not supported") for op in ("LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN")],
    ("Query", "hash table with extra key", {"TableName": "$hash", "KeyConditions": {"a": _eq("a"), "b": _eq("b")}},
     VALIDATION, "Query key condition not supported"),
    ("Query", "not indexable", {"TableName": "$range", "KeyConditions": {
        "a": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "a"}]}, "b": _NULL}},
     VALIDATION, "Attempted conditional constraint is not an indexable operation"),
    ("Query", "starting key before key condition", {"TableName": "$range", "ExclusiveStartKey": {},
                                                    "KeyConditions": {"a": _NULL}},
     VALIDATION, "The provided starting key is invalid: The provided key element does not match the schema"),
    ("Query", "starting key of another partition", {"TableName": "$range", "ExclusiveStartKey": {"a": {"S": "b"}, "b": {"S": "a"}},
                                                   "KeyConditions": {"a": _eq("a")}},
     VALIDATION, "The provided starting key is outside query boundaries based on provided conditions"),
    ("Query", "starting key outside the range", {"TableName": "$range", "ExclusiveStartKey": {"a": {"S": "a"}, "b": {"S": "a"}},
                                                 "KeyConditions": {"a": _eq("a"), "b": {"ComparisonOperator": "GT",
                                                                                        "AttributeValueList": [{"S": "a"}]}}},
     VALIDATION, "The provided starting key does not match the range key predicate"),
    ("Query", "no hash key", {"TableName": "$range", "KeyConditions": {"c": _NULL}}, VALIDATION,
     "Query condition missed key schema element: a"),
    ("Query", "non-key attribute", {"TableName": "$range", "KeyConditions": {"a": _eq("a"), "c": _NULL}}, VALIDATION,
     "Query condition missed key schema element: b"),
    ("Query", "global index with table key", {"TableName": "$range", "IndexName": "index3", "KeyConditions": {"a": _eq("a")}},
     VALIDATION, "Query condition missed key schema element: c"),
    ("Query", "unknown index", {"TableName": "$range", "IndexName": "whatever", "KeyConditions": {"a": _eq("a"), "c": _NULL}},
     VALIDATION, "The table does not have the specified index: whatever"),
    ("Query", "wrong local index", {"TableName": "$range", "IndexName": "index2", "KeyConditions": {"a": _eq("a"), "c": _NULL}},
     VALIDATION, "Query condition missed key schema element: d"),
    ("Query", "NULL on local index key", {"TableName": "$range", "IndexName": "index1",
                                          "KeyConditions": {"a": _eq("a"), "c": _NULL}},
     VALIDATION, "Attempted conditional constraint is not an indexable operation"),
    ("Query", "consistent read on global index", {"TableName": "$range", "IndexName": "index3", "ConsistentRead": True,
                                                  "KeyConditions": {"c": _NULL}},
     VALIDATION, "Consistent reads are not supported on global secondary indexes"),
    ("Query", "all attributes from a partial global index", {"TableName": "$range", "IndexName": "index4",
                                                             "Select": "ALL_ATTRIBUTES", "KeyConditions": {"c": _eq("a")}},
     VALIDATION, "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global "
                 "secondary index index4 because its projection type is not ALL"),
    ("Scan", "filter argument count", {"TableName": "abc", "ScanFilter": {"a": {"ComparisonOperator": "EQ"}, "b": _NULL}},
     VALIDATION, _COUNT),
    ("Scan", "empty filter value", {"TableName": "abc", "ScanFilter": {"a": {"ComparisonOperator": "EQ",
                                                                             "AttributeValueList": [{}]}}},
     VALIDATION, _EMPTY),
    ("Scan", "empty starting key value", {"TableName": "abc", "ExclusiveStartKey": {"a": {}}}, VALIDATION,
     "The provided starting key is invalid: " + _EMPTY),
    ("Scan", "missing table", {"TableName": "no_such_table_x"}, NOT_FOUND, "Requested resource not found"),
]


@pytest.mark.parametrize("operation, request_, kind, message", [c[0:1] + c[2:] for c in CASES],
                         ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_reads_refuse_invalid_requests_as_aws_does(endpoint, tables, operation, request_, kind, message):
    check_error(endpoint, tables, operation, request_, kind, message)


def test_query_and_scan_responses_have_aws_shapes(endpoint, tables):
    a = unique()
    items = [{"a": {"S": a}, "b": {"S": str(i)}, "n": {"N": f"{i}.50"}} for i in range(1, 4)]
    for item in items:
        assert call(endpoint, "PutItem", {"TableName": tables["range"], "Item": item})[0] == 200
    query = {"TableName": tables["range"], "KeyConditions": {"a": _eq(a)}}
    status, body = call(endpoint, "Query", {**query, "KeyConditions": {"a": _eq(unique())}})
    assert body == {"Count": 0, "ScannedCount": 0, "Items": []}
    status, body = call(endpoint, "Query", query)
    assert body["Count"] == 3 and [i["n"] for i in body["Items"]] == [{"N": "1.5"}, {"N": "2.5"}, {"N": "3.5"}]
    status, body = call(endpoint, "Query", {**query, "Limit": 2, "ScanIndexForward": False})
    assert body["Count"] == 2 and body["LastEvaluatedKey"] == {"a": {"S": a}, "b": {"S": "2"}}
    status, body = call(endpoint, "Query", {**query, "Select": "COUNT", "ReturnConsumedCapacity": "TOTAL"})
    assert body == {"Count": 3, "ScannedCount": 3, "ConsumedCapacity": {"TableName": tables["range"], "CapacityUnits": 0.5}}
    status, body = call(endpoint, "Query", {**query, "QueryFilter": {"n": {"ComparisonOperator": "GT",
                                                                           "AttributeValueList": [{"N": "2"}]}}})
    assert (body["Count"], body["ScannedCount"]) == (2, 3)
    status, body = call(endpoint, "Scan", {"TableName": tables["range"], "Limit": 1, "ReturnConsumedCapacity": "INDEXES"})
    assert body["ScannedCount"] == 1 and set(body["LastEvaluatedKey"]) == {"a", "b"}
    assert body["ConsumedCapacity"] == {"TableName": tables["range"], "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}}
