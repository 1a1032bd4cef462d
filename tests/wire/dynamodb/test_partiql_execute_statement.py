"""ExecuteStatement through boto3: SELECT as GetItem/Query/Scan, INSERT/UPDATE/DELETE, parameters, paging, errors."""

from __future__ import annotations

import json

import pytest
import requests
from botocore.exceptions import ClientError

SIGNED = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x"


@pytest.fixture
def table(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }],
        BillingMode="PAY_PER_REQUEST",
    )
    for pk, sk, g in [("p", "a-1", "x"), ("p", "a-2", None), ("p", "b-1", "x"), ("q", "a-1", "y")]:
        item = {"pk": {"S": pk}, "sk": {"S": sk}, "n": {"N": "1"}, "m": {"M": {"nested": {"S": "deep"}}}}
        if g:
            item["g"] = {"S": g}
        dynamodb.put_item(TableName=unique_name, Item=item)
    return unique_name


def _run(dynamodb, statement, *parameters, **kwargs):
    if parameters:
        kwargs["Parameters"] = list(parameters)
    return dynamodb.execute_statement(Statement=statement, **kwargs)


def _error(dynamodb, statement, *parameters, **kwargs):
    with pytest.raises(ClientError) as err:
        _run(dynamodb, statement, *parameters, **kwargs)
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


def _sks(items):
    return sorted(i["sk"]["S"] for i in items)


def test_select_by_full_key_returns_the_item(dynamodb, table):
    items = _run(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = 'p' AND sk = 'a-1'")["Items"]
    assert items == [{"pk": {"S": "p"}, "sk": {"S": "a-1"}, "n": {"N": "1"}, "m": {"M": {"nested": {"S": "deep"}}}, "g": {"S": "x"}}]


def test_select_by_partition_key_with_begins_with_on_the_sort_key_queries_the_partition(dynamodb, table):
    items = _run(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = 'p' AND begins_with(\"sk\", 'a-')")["Items"]
    assert _sks(items) == ["a-1", "a-2"]


def test_select_with_in_on_the_partition_key_reads_each_partition(dynamodb, table):
    items = _run(dynamodb, f"SELECT pk, sk FROM \"{table}\" WHERE pk IN ['p', 'q'] AND sk = 'a-1'")["Items"]
    assert sorted((i["pk"]["S"], i["sk"]["S"]) for i in items) == [("p", "a-1"), ("q", "a-1")]


def test_select_without_key_scans_with_the_where_clause_as_filter(dynamodb, table):
    items = _run(dynamodb, f"SELECT * FROM \"{table}\" WHERE g = 'x' AND n >= 1")["Items"]
    assert _sks(items) == ["a-1", "b-1"]
    everything = _run(dynamodb, f"SELECT * FROM \"{table}\"")["Items"]
    assert len(everything) == 4


def test_select_of_a_nested_path_names_the_value_by_its_last_step(dynamodb, table):
    items = _run(dynamodb, f"SELECT m.nested, sk FROM \"{table}\" WHERE pk = ? AND sk = ?", {"S": "p"}, {"S": "a-1"})["Items"]
    assert items == [{"nested": {"S": "deep"}, "sk": {"S": "a-1"}}]


def test_select_is_missing_and_is_not_missing(dynamodb, table):
    missing = _run(dynamodb, f"SELECT sk FROM \"{table}\" WHERE pk = 'p' AND g IS MISSING")["Items"]
    present = _run(dynamodb, f"SELECT sk FROM \"{table}\" WHERE pk = 'p' AND g IS NOT MISSING")["Items"]
    assert _sks(missing) == ["a-2"] and _sks(present) == ["a-1", "b-1"]


def test_select_order_by_sort_key_desc(dynamodb, table):
    items = _run(dynamodb, f"SELECT sk FROM \"{table}\" WHERE pk = 'p' ORDER BY sk DESC")["Items"]
    assert [i["sk"]["S"] for i in items] == ["b-1", "a-2", "a-1"]


def test_select_on_an_index_returns_what_the_index_projects(dynamodb, table):
    items = _run(dynamodb, f"SELECT * FROM \"{table}\".\"by_g\" WHERE g = 'x'")["Items"]
    assert sorted(sorted(i) for i in items) == [["g", "pk", "sk"], ["g", "pk", "sk"]]


def test_select_with_limit_pages_with_next_token(dynamodb, table):
    seen, token = [], None
    for _ in range(10):
        kwargs = {"Limit": 1}
        if token:
            kwargs["NextToken"] = token
        out = _run(dynamodb, f"SELECT sk FROM \"{table}\" WHERE pk = 'p'", **kwargs)
        seen += [i["sk"]["S"] for i in out["Items"]]
        token = out.get("NextToken")
        if not token:
            break
    assert seen == ["a-1", "a-2", "b-1"]


def test_select_reports_consumed_capacity(dynamodb, table):
    out = _run(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = 'p' AND sk = 'a-1'", ReturnConsumedCapacity="TOTAL")
    assert out["ConsumedCapacity"]["TableName"] == table and out["ConsumedCapacity"]["CapacityUnits"] > 0


def test_comparison_of_sets_ignores_order_and_of_lists_does_not(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "s"}, "sk": {"S": "1"}, "ss": {"SS": ["a", "b"]}, "l": {"L": [{"S": "a"}, {"S": "b"}]}})
    stmt = f"SELECT sk FROM \"{table}\" WHERE pk = 's' AND "
    assert len(_run(dynamodb, stmt + "ss = ?", {"SS": ["b", "a"]})["Items"]) == 1
    assert len(_run(dynamodb, stmt + "ss <> ?", {"SS": ["b", "a"]})["Items"]) == 0
    assert len(_run(dynamodb, stmt + "l = ?", {"L": [{"S": "b"}, {"S": "a"}]})["Items"]) == 0
    assert len(_run(dynamodb, stmt + "ss = <<'a', 'b'>>")["Items"]) == 1


def test_ordering_operator_on_an_unordered_type_is_refused(dynamodb, table):
    code, message = _error(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = 'p' AND n <= ?", {"BOOL": True})
    assert code == "ValidationException"
    assert message == "Incorrect operand type for operator or function; operator or function: <=, operand type: BOOL"


def test_insert_creates_the_item(dynamodb, table):
    _run(dynamodb, f"INSERT INTO \"{table}\" VALUE {{'pk': 'new', 'sk': ?, 'n': 2, 'l': [1, 'x'], 's': <<'a'>>, 't': TRUE}}", {"S": "1"})
    item = dynamodb.get_item(TableName=table, Key={"pk": {"S": "new"}, "sk": {"S": "1"}})["Item"]
    assert item["n"] == {"N": "2"} and item["l"] == {"L": [{"N": "1"}, {"S": "x"}]}
    assert item["s"] == {"SS": ["a"]} and item["t"] == {"BOOL": True}


def test_insert_of_an_existing_key_raises_duplicate_item(dynamodb, table):
    code, message = _error(dynamodb, f"INSERT INTO \"{table}\" VALUE {{'pk': 'p', 'sk': 'a-1'}}")
    assert (code, message) == ("DuplicateItemException", "Duplicate primary key exists in table")


def test_update_sets_increments_appends_and_removes(dynamodb, table):
    dynamodb.put_item(TableName=table, Item={"pk": {"S": "u"}, "sk": {"S": "1"}, "n": {"N": "1"}, "l": {"L": []}, "gone": {"S": "x"}})
    out = _run(dynamodb, f"UPDATE \"{table}\" SET n = n + 1 SET l = list_append(l, [1]) REMOVE gone "
                         f"WHERE pk = 'u' AND sk = '1' RETURNING ALL NEW *")
    assert out["Items"] == [{"pk": {"S": "u"}, "sk": {"S": "1"}, "n": {"N": "2"}, "l": {"L": [{"N": "1"}]}}]


def test_update_returning_modified_old(dynamodb, table):
    out = _run(dynamodb, f"UPDATE \"{table}\" SET n = 5 WHERE pk = 'p' AND sk = 'a-1' RETURNING MODIFIED OLD *")
    assert out["Items"] == [{"n": {"N": "1"}}]


def test_update_of_a_missing_item_fails_the_condition(dynamodb, table):
    code, _ = _error(dynamodb, f"UPDATE \"{table}\" SET n = 5 WHERE pk = 'none' AND sk = 'x'")
    assert code == "ConditionalCheckFailedException"


def test_update_with_a_false_extra_condition_fails_and_can_return_the_old_item(dynamodb, table):
    with pytest.raises(ClientError) as err:
        _run(dynamodb, f"UPDATE \"{table}\" SET n = 5 WHERE pk = 'p' AND sk = 'a-1' AND n = 9",
             ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert err.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert err.value.response["Item"]["n"] == {"N": "1"}


def test_update_without_the_whole_key_is_refused(dynamodb, table):
    code, message = _error(dynamodb, f"UPDATE \"{table}\" SET n = 5 WHERE pk = 'p'")
    assert (code, message) == ("ValidationException", "Where clause does not contain a mandatory equality on all key attributes")


def test_delete_removes_the_item_and_returns_it(dynamodb, table):
    out = _run(dynamodb, f"DELETE FROM \"{table}\" WHERE pk = 'q' AND sk = 'a-1' RETURNING ALL OLD *")
    assert out["Items"][0]["pk"] == {"S": "q"}
    assert "Item" not in dynamodb.get_item(TableName=table, Key={"pk": {"S": "q"}, "sk": {"S": "a-1"}})


def test_delete_with_another_returning_is_refused(dynamodb, table):
    code, message = _error(dynamodb, f"DELETE FROM \"{table}\" WHERE pk = 'q' AND sk = 'a-1' RETURNING MODIFIED OLD *")
    assert message == "Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements."


def test_missing_table_raises_resource_not_found(dynamodb):
    code, _ = _error(dynamodb, "SELECT * FROM \"no_such_table_partiql\" WHERE pk = 'x'")
    assert code == "ResourceNotFoundException"


def test_parameter_count_mismatch_is_refused(dynamodb, table):
    code, message = _error(dynamodb, f"SELECT * FROM \"{table}\" WHERE pk = ?", {"S": "a"}, {"S": "b"})
    assert (code, message) == ("ValidationException", "Number of parameters in request and statement don't match.")


def test_malformed_statement_gets_aws_wording_over_raw_http(endpoint):
    headers = {"X-Amz-Target": "DynamoDB_20120810.ExecuteStatement", "Content-Type": "application/x-amz-json-1.0",
               "Authorization": SIGNED}
    r = requests.post(endpoint, data=json.dumps({"Statement": "SLECT * FROM t"}), headers=headers, timeout=10)
    assert r.status_code == 400
    body = r.json()
    assert body["__type"].endswith("#ValidationException")
    assert body["message"] == "Statement wasn't well formed, can't be processed: Expected data manipulation"


def test_insert_and_update_measure_the_whole_item_against_400_kb(dynamodb, unique_name):
    dynamodb.create_table(TableName=unique_name, AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    # pk + "k" + p + value = 2 + 1 + 1 + len(value)
    _run(dynamodb, f"INSERT INTO \"{unique_name}\" VALUE {{'pk': 'k', 'p': ?}}", {"S": "x" * 409596})
    code, message = _error(dynamodb, f"INSERT INTO \"{unique_name}\" VALUE {{'pk': 'l', 'p': ?}}", {"S": "x" * 409597})
    assert (code, message) == ("ValidationException", "Item size has exceeded the maximum allowed size")
    dynamodb.put_item(TableName=unique_name, Item={"pk": {"S": "m"}})
    _run(dynamodb, f"UPDATE \"{unique_name}\" SET p = ? WHERE pk = 'm'", {"S": "x" * 409596})
    dynamodb.put_item(TableName=unique_name, Item={"pk": {"S": "n"}})
    code, message = _error(dynamodb, f"UPDATE \"{unique_name}\" SET p = ? WHERE pk = 'n'", {"S": "x" * 409597})
    assert (code, message) == ("ValidationException", "Item size to update has exceeded the maximum allowed size")


def test_paging_with_in_on_the_partition_key_walks_every_partition_once(dynamodb, table):
    seen, token = [], None
    for _ in range(10):
        kwargs = {"Limit": 2, **({"NextToken": token} if token else {})}
        out = _run(dynamodb, f"SELECT pk, sk FROM \"{table}\" WHERE pk IN ['q', 'p']", **kwargs)
        seen += [(i["pk"]["S"], i["sk"]["S"]) for i in out["Items"]]
        token = out.get("NextToken")
        if not token:
            break
    assert sorted(seen) == [("p", "a-1"), ("p", "a-2"), ("p", "b-1"), ("q", "a-1")]
    assert len(seen) == 4


def test_a_garbled_next_token_is_refused(dynamodb, table):
    code, _ = _error(dynamodb, f"SELECT * FROM \"{table}\"", NextToken="not-a-token")
    assert code == "ValidationException"


def test_order_by_rules(dynamodb, table):
    stmt = f"SELECT pk, sk FROM \"{table}\" "
    out = _run(dynamodb, stmt + "WHERE pk IN ['p', 'q'] ORDER BY pk DESC, sk DESC")["Items"]
    assert [(i["pk"]["S"], i["sk"]["S"]) for i in out] == [("q", "a-1"), ("p", "b-1"), ("p", "a-2"), ("p", "a-1")]
    for where, message in [
        ("ORDER BY sk", "Must have WHERE clause in the statement when using ORDER BY clause."),
        ("WHERE n = 1 ORDER BY sk", "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."),
        ("WHERE pk IN ['p', 'q'] ORDER BY sk", "Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause."),
        ("WHERE pk = 'p' ORDER BY n", "Variable reference n in ORDER BY clause must be part of the primary key"),
    ]:
        assert _error(dynamodb, stmt + where) == ("ValidationException", message)


def test_exists_outside_a_transaction_is_refused(dynamodb, table):
    assert _error(dynamodb, f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'p' AND sk = 'a-1')") == (
        "ValidationException", "EXISTS can only be used in ExecuteTransaction write requests.")


def test_an_invalid_table_name_is_refused_before_lookup(dynamodb):
    code, message = _error(dynamodb, "SELECT * FROM \"ab\" WHERE pk = 'x'")
    assert message == "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'."


def test_the_from_first_update_form_updates_the_item(dynamodb, table):
    _run(dynamodb, f"FROM \"{table}\" WHERE pk = 'p' AND sk = 'a-1' SET n = n + 10")
    item = dynamodb.get_item(TableName=table, Key={"pk": {"S": "p"}, "sk": {"S": "a-1"}})["Item"]
    assert item["n"] == {"N": "11"}
    assert _error(dynamodb, f"FROM \"{table}\" SET n = 1") == (
        "ValidationException", "Where clause does not contain a mandatory equality on all key attributes")


def test_number_and_binary_keys_through_parameters(dynamodb, unique_name):
    dynamodb.create_table(TableName=unique_name, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "n", "AttributeType": "N"}, {"AttributeName": "b", "AttributeType": "B"}],
                          KeySchema=[{"AttributeName": "n", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"}])
    for raw in (b"\x01", b"\x02", b"\x03"):
        _run(dynamodb, f"INSERT INTO \"{unique_name}\" VALUE {{'n': 1.50, 'b': ?}}", {"B": raw})
    items = _run(dynamodb, f"SELECT b FROM \"{unique_name}\" WHERE n = 1.5 AND b > ? ORDER BY b DESC", {"B": b"\x01"})["Items"]
    assert [i["b"]["B"] for i in items] == [b"\x03", b"\x02"]
    _run(dynamodb, f"DELETE FROM \"{unique_name}\" WHERE n = ? AND b = ?", {"N": "1.5"}, {"B": b"\x02"})
    assert len(_run(dynamodb, f"SELECT * FROM \"{unique_name}\" WHERE n = 1.5")["Items"]) == 2


def test_or_branches_over_one_partition(dynamodb, table):
    stmt = f"SELECT sk FROM \"{table}\" WHERE "
    assert _error(dynamodb, stmt + "pk = 'p' AND n = 1 OR pk = 'p' AND sk = 'a-1'") == (
        "ValidationException", "Overlapping conditions with range keys are not supported in where clause")
    items = _run(dynamodb, stmt + "pk = 'p' AND (sk = 'a-1' OR sk = 'b-1')")["Items"]
    assert _sks(items) == ["a-1", "b-1"]
