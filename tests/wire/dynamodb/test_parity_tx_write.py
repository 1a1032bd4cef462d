"""TransactWriteItems and TransactGetItems as real DynamoDB answers them.

Facts: the dynamodb-conformance suite's real-AWS captures (nubo-db/dynamodb-conformance, tier2/transactions and
tier3/error-messages, 2026), moto's aws_verified transaction tests, and the capacity figures dynoxide measured
on AWS (tests/transactional_index_consumed_capacity.rs). Which problems cancel (a "ValidationError" reason)
and which are request errors follows those captures: empty key values and expression errors are request
errors; a key or index key of the wrong type, and an update that only fails against the stored item, cancel.
"""
from __future__ import annotations

import pytest

from test_parity_items_support import VALIDATION, call, check_error, fill, tables, unique  # noqa: F401

CANCELLED = "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"
IDEMPOTENT = "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException"
_PREFIX = "Transaction cancelled, please refer cancellation reasons for specific reasons "
SCHEMA = "The provided key element does not match the schema"
EMPTY_KEY = "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: a"


def write(endpoint, tables, items, **extra):
    return call(endpoint, "TransactWriteItems", fill({"TransactItems": items, **extra}, tables))


def cancelled_with(endpoint, tables, items, codes, **extra):
    status, body = write(endpoint, tables, items, **extra)
    assert status == 400 and body["__type"] == CANCELLED, body
    assert body["message"] == _PREFIX + "[" + ", ".join(codes) + "]"
    assert [r["Code"] for r in body["CancellationReasons"]] == codes
    return body["CancellationReasons"]


def put(item, **extra):
    return {"Put": {"TableName": "$hash", "Item": item, **extra}}


def update(key, expression, values=None, table="$hash", **extra):
    body = {"TableName": table, "Key": key, "UpdateExpression": expression, **extra}
    if values:
        body["ExpressionAttributeValues"] = values
    return {"Update": body}


@pytest.mark.parametrize("items, message", [
    ([put({"a": {"S": "x"}}), {"Delete": {"TableName": "$hash", "Key": {"a": {"S": "x"}}}}],
     "Transaction request cannot include multiple operations on one item"),
    ([{"Put": {"TableName": "$hash", "Item": {"a": {"S": "x"}}}, "Delete": {"TableName": "$hash", "Key": {"a": {"S": "x"}}}}],
     "TransactItems can only contain one of Check, Put, Update or Delete"),
    ([put({"a": {"S": ""}})], EMPTY_KEY),
    ([{"Delete": {"TableName": "$hash", "Key": {"a": {"S": ""}}}}], EMPTY_KEY),
    ([{"ConditionCheck": {"TableName": "$hash", "Key": {"a": {"S": ""}}, "ConditionExpression": "attribute_exists(a)"}}], EMPTY_KEY),
    ([put({"a": {"S": "x"}, "b": {"S": "y"}, "c": {"S": ""}}, TableName="$range")],
     "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
     "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: index3, IndexKey: c"),
    ([update({"a": {"S": "x"}, "b": {"S": "y"}}, "SET c = :v", {":v": {"S": ""}}, table="$range")],
     "One or more parameter values are not valid. The update expression attempted to update a secondary index key to "
     "a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value."),
    ([put({"a": {"S": "x"}, "big": {"S": "x" * 409600}})], "Item size has exceeded the maximum allowed size"),
    ([put({"a": {"S": "x"}}, ConditionExpression="attribute_not_exists(#n0)", ExpressionAttributeNames={"#n0": "a"},
          ExpressionAttributeValues={})], "ExpressionAttributeValues must not be empty"),
])
def test_request_errors_are_raised_before_the_transaction(endpoint, tables, items, message):
    check_error(endpoint, tables, "TransactWriteItems", {"TransactItems": items}, VALIDATION, message)


def test_more_than_100_actions_is_a_length_violation(endpoint, tables):
    status, body = write(endpoint, tables, [put({"a": {"S": str(i)}}) for i in range(101)])
    assert body["message"].startswith("1 validation error detected: Value '[")
    assert body["message"].endswith("' at 'transactItems' failed to satisfy constraint: "
                                    "Member must have length less than or equal to 100")


def test_an_unknown_table_is_resource_not_found_even_beside_a_good_action(endpoint, tables):
    status, body = write(endpoint, tables, [put({"a": {"S": unique()}}), put({"a": {"S": "x"}}, TableName="no-such-tx-table")])
    assert body == {"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "message": "Requested resource not found"}


@pytest.mark.parametrize("action, message", [
    (put({"a": {"N": "5"}}), "One or more parameter values were invalid: Type mismatch for key a expected: S actual: N"),
    (put({"a": {"L": [{"S": "x"}]}}), "One or more parameter values were invalid: Type mismatch for key a expected: S actual: L"),
    (update({"a": {"N": "5"}}, "SET b = :v", {":v": {"S": "x"}}), SCHEMA),
    (update({"a": {"L": [{"S": "x"}]}}, "SET b = :v", {":v": {"S": "x"}}), SCHEMA),
    ({"Delete": {"TableName": "$hash", "Key": {"a": {"N": "5"}}}}, SCHEMA),
    ({"ConditionCheck": {"TableName": "$hash", "Key": {"a": {"N": "5"}}, "ConditionExpression": "attribute_not_exists(a)"}}, SCHEMA),
    (update({"a": {"S": "x"}, "b": {"S": "y"}}, "SET c = :v", {":v": {"N": "5"}}, table="$range"),
     "One or more parameter values were invalid: Type mismatch for Index Key c Expected: S Actual: N IndexName: index3"),
    (update({"a": {"S": "x"}}, "SET p = :p", {":p": {"S": "x" * 409600}}), "Item size to update has exceeded the maximum allowed size"),
])
def test_per_action_validation_errors_cancel_with_a_validation_error_reason(endpoint, tables, action, message):
    reasons = cancelled_with(endpoint, tables, [action], ["ValidationError"])
    assert reasons[0] == {"Code": "ValidationError", "Message": message}


def test_an_update_that_clashes_with_the_stored_type_cancels(endpoint, tables):
    key = unique()
    call(endpoint, "PutItem", fill({"TableName": "$hash", "Item": {"a": {"S": key}, "n": {"S": "text"}}}, tables))
    reasons = cancelled_with(endpoint, tables, [update({"a": {"S": key}}, "SET n = n + :one", {":one": {"N": "1"}})],
                             ["ValidationError"])
    assert reasons[0]["Message"] == "An operand in the update expression has an incorrect data type"


def test_reasons_are_positional_and_carry_the_old_item_only_when_asked(endpoint, tables):
    kept, asked, fresh = unique(), unique(), unique()
    for key in (kept, asked):
        call(endpoint, "PutItem", fill({"TableName": "$hash", "Item": {"a": {"S": key}, "v": {"S": "old"}}}, tables))
    reasons = cancelled_with(endpoint, tables, [
        put({"a": {"S": fresh}}, ConditionExpression="attribute_not_exists(a)"),
        put({"a": {"S": kept}}, ConditionExpression="attribute_not_exists(a)"),
        update({"a": {"S": asked}}, "SET v = :v", {":v": {"S": "new"}}, ConditionExpression="attribute_not_exists(a)",
               ReturnValuesOnConditionCheckFailure="ALL_OLD"),
        put({"a": {"N": "1"}}),
    ], ["None", "ConditionalCheckFailed", "ConditionalCheckFailed", "ValidationError"])
    assert reasons[1] == {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
    assert reasons[2]["Item"] == {"a": {"S": asked}, "v": {"S": "old"}}
    status, body = call(endpoint, "GetItem", fill({"TableName": "$hash", "Key": {"a": {"S": fresh}}}, tables))
    assert "Item" not in body


def test_update_with_a_failing_condition_on_a_missing_item_leaves_no_item(endpoint, tables):
    key = unique()
    cancelled_with(endpoint, tables, [update({"a": {"S": key}}, "ADD hits :one", {":one": {"N": "1"}},
                                             ConditionExpression="attribute_exists(a)")], ["ConditionalCheckFailed"])
    assert "Item" not in call(endpoint, "GetItem", fill({"TableName": "$hash", "Key": {"a": {"S": key}}}, tables))[1]


def test_consumed_capacity_doubles_the_table_part_only(endpoint, tables):
    # dynoxide's AWS capture A1: a put of an item in one index costs table 2 + index 1.
    status, body = write(endpoint, tables, [put({"a": {"S": unique()}, "b": {"S": "1"}, "c": {"S": "g"}}, TableName="$range")],
                         ReturnConsumedCapacity="INDEXES")
    entry = body["ConsumedCapacity"][0]
    assert entry["CapacityUnits"] == entry["WriteCapacityUnits"] == 4.0  # index1 and index3 hold c; index4 needs d too
    assert entry["Table"] == {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0}
    assert entry["GlobalSecondaryIndexes"] == {"index3": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}}
    assert entry["LocalSecondaryIndexes"] == {"index1": {"CapacityUnits": 1.0, "WriteCapacityUnits": 1.0}}
    status, body = write(endpoint, tables, [put({"a": {"S": unique()}}), put({"a": {"S": unique()}})], ReturnConsumedCapacity="TOTAL")
    assert body["ConsumedCapacity"] == [{"TableName": tables["hash"], "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0}]


def test_a_condition_check_is_billed_on_the_item_it_reads(endpoint, tables):
    key = unique()
    call(endpoint, "PutItem", fill({"TableName": "$hash", "Item": {"a": {"S": key}, "p": {"S": "x" * 3000}}}, tables))
    status, body = write(endpoint, tables, [{"ConditionCheck": {"TableName": "$hash", "Key": {"a": {"S": key}},
                                                                "ConditionExpression": "attribute_exists(a)"}}],
                         ReturnConsumedCapacity="TOTAL")
    assert body["ConsumedCapacity"][0]["CapacityUnits"] == 6.0


def test_a_repeated_token_writes_nothing_and_bills_a_transactional_read(endpoint, tables):
    key, token = unique(), unique()[:30]
    items = [put({"a": {"S": key}, "p": {"S": "x" * 9000}})]
    first = write(endpoint, tables, items, ClientRequestToken=token, ReturnConsumedCapacity="TOTAL")[1]
    assert first["ConsumedCapacity"][0]["CapacityUnits"] == 18.0
    call(endpoint, "PutItem", fill({"TableName": "$hash", "Item": {"a": {"S": key}, "v": {"S": "later"}}}, tables))
    again = write(endpoint, tables, items, ClientRequestToken=token, ReturnConsumedCapacity="TOTAL")[1]
    assert again == {"ConsumedCapacity": [{"TableName": tables["hash"], "CapacityUnits": 6.0, "ReadCapacityUnits": 6.0}]}
    assert call(endpoint, "GetItem", fill({"TableName": "$hash", "Key": {"a": {"S": key}}}, tables))[1]["Item"]["v"] == {"S": "later"}
    status, body = write(endpoint, tables, [put({"a": {"S": key}})], ClientRequestToken=token)
    assert body == {"__type": IDEMPOTENT, "message": "The request uses the same client token as a previous, but non-identical request."}


# -- TransactGetItems ----------------------------------------------------------------------------------------


def get(endpoint, tables, items, **extra):
    return call(endpoint, "TransactGetItems", fill({"TransactItems": items, **extra}, tables))


def test_transact_get_answers_in_order_with_an_empty_map_for_a_missing_item(endpoint, tables):
    key = unique()
    call(endpoint, "PutItem", fill({"TableName": "$hash", "Item": {"a": {"S": key}, "v": {"N": "1"}, "w": {"S": "x"}}}, tables))
    status, body = get(endpoint, tables, [
        {"Get": {"TableName": "$hash", "Key": {"a": {"S": unique()}}}},
        {"Get": {"TableName": "$hash", "Key": {"a": {"S": key}}, "ProjectionExpression": "v"}},
    ], ReturnConsumedCapacity="INDEXES")
    assert body["Responses"] == [{}, {"Item": {"v": {"N": "1"}}}]
    assert body["ConsumedCapacity"] == [{"TableName": tables["hash"], "CapacityUnits": 4.0, "ReadCapacityUnits": 4.0,
                                         "Table": {"CapacityUnits": 4.0, "ReadCapacityUnits": 4.0}}]


@pytest.mark.parametrize("key", [{}, {"a": {"N": "1"}}, {"a": {"S": "x"}, "z": {"S": "y"}}])
def test_transact_get_with_a_key_not_matching_the_schema_cancels(endpoint, tables, key):
    status, body = get(endpoint, tables, [{"Get": {"TableName": "$hash", "Key": key}}])
    assert body["__type"] == CANCELLED and body["message"] == _PREFIX + "[ValidationError]"
    assert body["CancellationReasons"] == [{"Code": "ValidationError", "Message": SCHEMA}]


@pytest.mark.parametrize("items, message", [
    ([{"Get": {"TableName": "$hash", "Key": {"a": {"S": "x"}}, "ProjectionExpression": "!!!"}}],
     'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"'),
    ([{"Get": {"TableName": "$hash", "Key": {"a": {"S": "x"}}}}] * 2, "Transaction request cannot include multiple operations on one item"),
    ([{"Get": {"TableName": "$hash", "Key": {"a": {"S": ""}}}}], EMPTY_KEY),
])
def test_transact_get_request_errors(endpoint, tables, items, message):
    check_error(endpoint, tables, "TransactGetItems", {"TransactItems": items}, VALIDATION, message)
