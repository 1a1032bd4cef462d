"""BatchGetItem as real DynamoDB answers it. Facts: the dynamodb-conformance suite's real-AWS captures
(nubo-db/dynamodb-conformance tier1/batchGetItem, tier3/error-messages/batchGetItem, captures/2026-08-12),
dynalite's batchGetItem suite, and AWS's capacity documentation (each item rounds up to 4 KB on its own)."""
from __future__ import annotations

import pytest

from test_parity_items_support import NOT_FOUND, VALIDATION, call, check_error, fill, tables, unique  # noqa: F401

MIXED = ("Can not use both expression and non-expression parameters in the same request: "
         "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
OVERLAP = ("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of "
           "these paths; path one: [a], path two: [a]")


def by_table(request_items: dict, tables: dict[str, str]) -> dict:
    """RequestItems with "$hash"-style table keys replaced by this module's table names."""
    return {tables.get(k[1:], k) if k.startswith("$") else k: fill(v, tables) for k, v in request_items.items()}


def batch_get(endpoint, tables, request_items, **extra):
    return call(endpoint, "BatchGetItem", {"RequestItems": by_table(request_items, tables), **extra})


def test_empty_request_items_gets_aws_s_required_parameter_message(endpoint, tables):
    check_error(endpoint, tables, "BatchGetItem", {"RequestItems": {}}, VALIDATION,
                "The requestItems parameter is required for BatchGetItem")


def test_more_than_100_keys_for_one_table_names_the_table_in_the_newer_wording(endpoint, tables):
    status, body = batch_get(endpoint, tables, {"$hash": {"Keys": [{"a": {"S": str(i)}} for i in range(101)]}})
    assert body["message"] == (f"1 validation error detected: Value at 'RequestItems.{tables['hash']}.member.Keys' "
                               "failed to satisfy constraint: Member must have length less than or equal to 100")


@pytest.mark.parametrize("request_items, kind, message", [
    ({"$hash": {"Keys": [{"a": {"S": str(i)}} for i in range(60)]},
      "$hash_n": {"Keys": [{"a": {"N": str(i)}} for i in range(41)]}}, VALIDATION, "Too many items requested for the BatchGetItem call"),
    ({"$hash": {"Keys": [{"a": {"S": "d"}}, {"a": {"S": "d"}}]}}, VALIDATION, "Provided list of item keys contains duplicates"),
    ({"no-such-batch-table": {"Keys": [{"a": {"S": "x"}}]}}, NOT_FOUND, "Requested resource not found"),
    ({"$hash": {"Keys": [{"a": {"S": "x"}}], "AttributesToGet": ["a"], "ProjectionExpression": "a"}}, VALIDATION, MIXED),
    ({"$hash": {"Keys": [{"a": {"S": "x"}}], "ProjectionExpression": "a"},
      "$hash_n": {"Keys": [{"a": {"N": "1"}}], "AttributesToGet": ["a"]}}, VALIDATION, MIXED),
    ({"$hash": {"Keys": [{"a": {"S": "x"}}], "ProjectionExpression": "a, a"},
      "$hash_n": {"Keys": [{"a": {"N": "1"}}], "ProjectionExpression": "a"}}, VALIDATION, OVERLAP),
    ({"$hash": {"Keys": [{"a": {"S": ""}}]}}, VALIDATION,
     "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: a"),
    ({"$hash": {"Keys": [{"a": {"N": "1"}}]}}, VALIDATION, "The provided key element does not match the schema"),
])
def test_batch_get_request_errors(endpoint, tables, request_items, kind, message):
    check_error(endpoint, tables, "BatchGetItem", {"RequestItems": by_table(request_items, tables)}, kind, message)


def test_found_items_missing_keys_projection_and_capacity(endpoint, tables):
    one, two = unique(), unique()
    for key in (one, two):
        call(endpoint, "PutItem", fill({"TableName": "$hash", "Item": {"a": {"S": key}, "name": {"S": "x"}}}, tables))
    status, body = batch_get(endpoint, tables, {
        "$hash": {"Keys": [{"a": {"S": one}}, {"a": {"S": two}}, {"a": {"S": unique()}}]},
        "$hash_n": {"Keys": [{"a": {"N": "987654321"}}]},
    }, ReturnConsumedCapacity="TOTAL")
    assert sorted(i["a"]["S"] for i in body["Responses"][tables["hash"]]) == sorted([one, two])
    assert body["Responses"][tables["hash_n"]] == []
    assert body["UnprocessedKeys"] == {}
    # Two items, each rounded to 4 KB on its own, read eventually consistently: 2 x 0.5.
    assert {"TableName": tables["hash"], "CapacityUnits": 1.0} in body["ConsumedCapacity"]
    status, body = batch_get(endpoint, tables, {"$hash": {"Keys": [{"a": {"S": one}}], "ProjectionExpression": "nothing"}})
    assert body["Responses"][tables["hash"]] == [{}]
