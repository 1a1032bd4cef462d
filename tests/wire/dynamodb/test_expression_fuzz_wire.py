"""Property tests through boto3: random condition, update, filter, projection and PartiQL input never gets a 5xx;
a refused or failed conditional write leaves the item as it was; a successful write leaves a valid item.

Fewer examples than the unit-level property tests (tests/unit/services/dynamodb/expressions/test_expr_fuzz.py):
each one is a few requests to the session server. Every example that once failed is pinned with @example.
"""

from __future__ import annotations

import base64
import os
import re
import uuid

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pocketcloud.services.dynamodb.values import MAX_ITEM_SIZE, item_size, validate_item

SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_N", 30)), deadline=None,
                    derandomize=not os.environ.get("FUZZ_RANDOM"), suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

NAMES = {"#n": "a", "#m": "m", "#l": "l", "#k": "pk", "#s": "sk", "#dot": "a.b", "#e": ""}
VALUES = {
    ":s": {"S": "abc"},
    ":e": {"S": ""},
    ":n": {"N": "5"},
    ":big": {"N": "9.9999999999999999999999999999999999999E+125"},
    ":tiny": {"N": "1E-130"},
    ":neg": {"N": "-99999999999999999999999999999999999999"},
    ":b": {"B": b"\x01\x02"},
    ":t": {"BOOL": True},
    ":null": {"NULL": True},
    ":l": {"L": [{"S": "x"}, {"N": "1"}]},
    ":m": {"M": {"k": {"S": "v"}}},
    ":ss": {"SS": ["a", "b"]},
    ":ns": {"NS": ["1", "2.5"]},
    ":bs": {"BS": [b"\x01", b"\x02"]},
    ":type": {"S": "SS"},
    ":p1": {"S": "p1"},
    ":one": {"N": "1"},
    ":deep": {"L": [{"L": [{"L": [{"L": [{"L": [{"L": [{"L": [{"L": [{"S": "d"}]}]}]}]}]}]}]}]},
    ":wide": {"S": "w" * 200_000},
    ":deep31": {"M": {"a": {"S": "x"}}},
}
for _ in range(29):  # 31 levels: as deep as a value may be and still sit at the top of an item
    VALUES[":deep31"] = {"L": [VALUES[":deep31"]]}

PATH_HEAD = st.sampled_from(["a", "m", "l", "s1", "#n", "#m", "#l", "#dot", "#undefined", "pk", "#s", "#e"])
PATH_STEP = st.one_of(st.sampled_from([".a", ".b", ".k", ".#n", "[0]", "[1]", "[3]"]),
                      st.integers(min_value=0, max_value=10**25).map(lambda i: f"[{i}]"))
PATH = st.builds(lambda head, steps: head + "".join(steps), PATH_HEAD, st.lists(PATH_STEP, max_size=3))
VALUE = st.sampled_from([*(k for k in VALUES if k != ":wide"), ":undefined"])
OPERAND = st.one_of(PATH, VALUE, PATH.map(lambda p: f"size({p})"))
JUNK = st.sampled_from(["(", ")", ",", "=", "AND", "NOT", "[", ".", "#", ":", "?", "'", '"', "[-1]"])


def _sometimes_broken(expressions: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Mostly well-formed expressions, some with a junk token spliced in."""
    def splice(expr: str, junk: str, at: int) -> str:
        at = at % (len(expr) + 1)
        return expr[:at] + junk + expr[at:]
    return st.one_of(expressions, expressions, expressions,
                     st.builds(splice, expressions, JUNK, st.integers(min_value=0, max_value=200)))


CONDITION_LEAF = st.one_of(
    st.builds(lambda a, op, b: f"{a} {op} {b}", OPERAND, st.sampled_from(["=", "<>", "<", "<=", ">", ">="]), OPERAND),
    st.builds(lambda a, b, c: f"{a} BETWEEN {b} AND {c}", OPERAND, OPERAND, OPERAND),
    st.builds(lambda a, bs: f"{a} IN ({', '.join(bs)})", OPERAND, st.lists(OPERAND, min_size=1, max_size=3)),
    PATH.map(lambda p: f"attribute_exists({p})"),
    PATH.map(lambda p: f"attribute_not_exists({p})"),
    st.builds(lambda p, v: f"attribute_type({p}, {v})", PATH, VALUE),
    st.builds(lambda p, v: f"begins_with({p}, {v})", OPERAND, OPERAND),
    st.builds(lambda p, v: f"contains({p}, {v})", OPERAND, OPERAND),
)
CONDITION = _sometimes_broken(st.recursive(CONDITION_LEAF, lambda inner: st.one_of(
    st.builds(lambda a, b: f"{a} AND {b}", inner, inner),
    st.builds(lambda a, b: f"{a} OR {b}", inner, inner),
    inner.map(lambda a: f"NOT ({a})"),
), max_leaves=4))

RHS = st.one_of(
    PATH, VALUE,
    st.builds(lambda a, op, b: f"{a} {op} {b}", st.one_of(PATH, VALUE), st.sampled_from("+-"), st.one_of(PATH, VALUE)),
    st.builds(lambda p, v: f"if_not_exists({p}, {v})", PATH, st.one_of(VALUE, PATH)),
    st.builds(lambda a, b: f"list_append({a}, {b})", st.one_of(PATH, VALUE), st.one_of(PATH, VALUE)),
)
SECTION = st.one_of(
    st.lists(st.builds(lambda p, v: f"{p} = {v}", PATH, RHS), min_size=1, max_size=3).map(lambda xs: "SET " + ", ".join(xs)),
    st.lists(PATH, min_size=1, max_size=2).map(lambda xs: "REMOVE " + ", ".join(xs)),
    st.lists(st.builds(lambda p, v: f"{p} {v}", PATH, VALUE), min_size=1, max_size=2).map(lambda xs: "ADD " + ", ".join(xs)),
    st.lists(st.builds(lambda p, v: f"{p} {v}", PATH, VALUE), min_size=1, max_size=2).map(lambda xs: "DELETE " + ", ".join(xs)),
)
UPDATE = _sometimes_broken(st.lists(SECTION, min_size=1, max_size=3).map(" ".join))
PROJECTION = _sometimes_broken(st.lists(PATH, min_size=1, max_size=3).map(", ".join))

NUMBER = st.one_of(st.integers(min_value=-(10**37), max_value=10**37).map(str),
                   st.sampled_from(["9.9999999999999999999999999999999999999E+125", "1E-130", "-0.5"]))
SCALAR = st.one_of(
    st.text(max_size=5).map(lambda s: {"S": s}),
    NUMBER.map(lambda n: {"N": n}),
    st.just({"B": b"\x01"}),
    st.booleans().map(lambda b: {"BOOL": b}),
    st.just({"NULL": True}),
    st.sampled_from([{"SS": ["a"]}, {"SS": ["a", "b"]}, {"NS": ["1", "2"]}, {"BS": [b"\x01"]}]),
)
ATTRIBUTE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3).map(lambda xs: {"L": xs}),
    st.dictionaries(st.sampled_from(["a", "b", "k"]), inner, max_size=3).map(lambda d: {"M": d}),
), max_leaves=6)
ATTRIBUTES = st.dictionaries(st.sampled_from(["a", "m", "l", "s1", "a.b"]), ATTRIBUTE, max_size=4)
KEY = st.sampled_from([{"pk": {"S": "p1"}, "sk": {"N": "1"}}, {"pk": {"S": "p1"}, "sk": {"N": "2"}},
                       {"pk": {"S": "p2"}, "sk": {"N": "1"}}])

PARTIQL_WORDS = ["SELECT", "*", "FROM", "{table}", '"{table}"', "WHERE", "INSERT", "INTO", "VALUE", "UPDATE",
                 "SET", "REMOVE", "DELETE", "RETURNING", "ALL", "OLD", "NEW", "MODIFIED", "AND", "OR", "NOT",
                 "BETWEEN", "IN", "IS", "MISSING", "NULL", "pk", "sk", "a", "m", "l", "'p1'", "1", "2", "-1", "<<1, 1.0>>", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                 "1e200", "begins_with", "contains", "size", "list_append", "(", ")", "[", "]", "{", "}", "<<",
                 ">>", ":", ",", ".", "=", "<>", "<", ">", "+", "'x'", "'pk'", "?", "[0]"]
PARTIQL_STARTS = ['SELECT * FROM "{table}" WHERE pk = \'p1\' AND ', 'UPDATE "{table}" SET ',
                  'INSERT INTO "{table}" VALUE {\'pk\': \'p1\', \'sk\': 1, ', 'DELETE FROM "{table}" WHERE ', ""]
PARTIQL = st.builds(lambda start, words: start + " ".join(words), st.sampled_from(PARTIQL_STARTS),
                    st.lists(st.sampled_from(PARTIQL_WORDS), max_size=16))


@pytest.fixture(scope="module")
def client(boto_session, endpoint):
    # No retries: a 5xx must show up as itself, once.
    return boto_session.client("dynamodb", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))


@pytest.fixture(scope="module")
def table(client):
    name = "fuzz" + uuid.uuid4().hex[:10]
    client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def _placeholders(*expressions: str | None) -> dict:
    """ExpressionAttributeNames/Values holding just the placeholders the expressions mention."""
    text = " ".join(e for e in expressions if e)
    names = {k: v for k, v in NAMES.items() if re.search(re.escape(k) + r"(?![A-Za-z0-9_])", text)}
    values = {k: v for k, v in VALUES.items() if re.search(re.escape(k) + r"(?![A-Za-z0-9_])", text)}
    out: dict = {}
    if names:
        out["ExpressionAttributeNames"] = names
    if values:
        out["ExpressionAttributeValues"] = values
    return out


def _call(fn, **kwargs) -> dict | None:
    """The response, or None for a 4xx AWS error; a 5xx fails the test."""
    try:
        return fn(**kwargs)
    except ParamValidationError:
        return None
    except ClientError as err:
        status = err.response["ResponseMetadata"]["HTTPStatusCode"]
        assert status < 500, (status, err.response["Error"], kwargs)
        return None


def _get(client, table, key) -> dict | None:
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def _wire(value):
    """A boto3-decoded value back in wire form (binary as base64 text), for the project's own validators."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def _names(value) -> list[str]:
    """Every key of the item's JSON (attribute names, nested map keys, type tags): enough to spot an empty name."""
    if isinstance(value, dict):
        return [k for k in value] + [n for v in value.values() for n in _names(v)]
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _check_valid(item: dict | None) -> None:
    if item is not None:
        assert "" not in _names(item)
        validate_item(_wire(item))
        assert item_size(_wire(item)) <= MAX_ITEM_SIZE


def _check_write(client, table, key, before, answer) -> dict | None:
    """After a write: one that was refused (answer None) left the item as it was; either way the item is valid.
    Returns the item as it is now."""
    after = _get(client, table, key)
    if answer is None:
        assert after == before
    _check_valid(after)
    return after


def _seed(client, table, key, attributes) -> dict:
    item = {**attributes, **key}
    client.put_item(TableName=table, Item=item)
    return _get(client, table, key)


@SETTINGS
@given(KEY, ATTRIBUTES, UPDATE, st.one_of(st.none(), CONDITION), st.sampled_from(["NONE", "ALL_NEW", "UPDATED_OLD"]))
@example({"pk": {"S": "p1"}, "sk": {"N": "1"}}, {}, "SET a = :wide, l = :wide", None, "NONE")
@example({"pk": {"S": "p1"}, "sk": {"N": "1"}}, {}, "SET #e = :s", None, "NONE")  # wrote an attribute named ""
@example({"pk": {"S": "p1"}, "sk": {"N": "1"}}, {"m": {"M": {}}}, "SET m.a = :deep31", None, "NONE")  # 33 levels
def test_update_item_never_fails_with_5xx_and_keeps_the_item_on_error(client, table, key, attributes, update,
                                                                       condition, returns):
    before = _seed(client, table, key, attributes)
    kwargs = {"TableName": table, "Key": key, "UpdateExpression": update, "ReturnValues": returns,
              **_placeholders(update, condition)}
    if condition is not None:
        kwargs["ConditionExpression"] = condition
    answer = _call(client.update_item, **kwargs)
    _check_write(client, table, key, before, answer)


@SETTINGS
@given(KEY, ATTRIBUTES, ATTRIBUTES, CONDITION)
def test_put_and_delete_with_conditions_never_fail_with_5xx_and_keep_the_item_on_error(client, table, key, old, new,
                                                                                         condition):
    before = _seed(client, table, key, old)
    answer = _call(client.put_item, TableName=table, Item={**new, **key}, ConditionExpression=condition,
                   **_placeholders(condition))
    after = _check_write(client, table, key, before, answer)
    answer = _call(client.delete_item, TableName=table, Key=key, ConditionExpression=condition,
                   ReturnValues="ALL_OLD", **_placeholders(condition))
    if answer is None:
        assert _get(client, table, key) == after


@SETTINGS
@given(ATTRIBUTES, st.one_of(st.none(), CONDITION), st.one_of(st.none(), PROJECTION), st.booleans())
def test_query_and_scan_with_filters_and_projections_never_fail_with_5xx(client, table, attributes, condition,
                                                                         projection, scan):
    _seed(client, table, {"pk": {"S": "p1"}, "sk": {"N": "1"}}, attributes)
    kwargs: dict = {"TableName": table}
    if condition is not None:
        kwargs["FilterExpression"] = condition
    if projection is not None:
        kwargs["ProjectionExpression"] = projection
    if scan:
        kwargs.update(_placeholders(condition, projection))
        _call(client.scan, **kwargs)
    else:
        kwargs["KeyConditionExpression"] = "#k = :p1"
        kwargs.update(_placeholders(condition, projection, "#k = :p1"))
        _call(client.query, **kwargs)


@SETTINGS
@given(ATTRIBUTES, PARTIQL, st.lists(st.sampled_from([{"S": "p1"}, {"N": "1"}, {"L": []}, {"SS": ["a"]}]), max_size=2))
@example({}, 'SELECT * FROM "{table}" WHERE pk = \'p1\' AND ' + "(" * 3000, [])  # RecursionError: 500
@example({}, 'UPDATE "{table}" SET a = <<1, 1.0>> WHERE pk = \'p1\' AND sk = 1', [])  # stored a set with duplicates
def test_execute_statement_never_fails_with_5xx_and_keeps_the_item_on_error(client, table, attributes, statement,
                                                                          parameters):
    key = {"pk": {"S": "p1"}, "sk": {"N": "1"}}
    before = _seed(client, table, key, attributes)
    kwargs: dict = {"Statement": statement.replace("{table}", table)}
    if parameters:
        kwargs["Parameters"] = parameters
    answer = _call(client.execute_statement, **kwargs)
    _check_write(client, table, key, before, answer)


LEGACY_VALUE = st.sampled_from([v for k, v in VALUES.items() if k not in (":wide", ":deep31", ":deep")])
LEGACY_CONDITION = st.fixed_dictionaries({}, optional={
    "ComparisonOperator": st.sampled_from(["EQ", "NE", "LE", "LT", "GE", "GT", "NOT_NULL", "NULL", "CONTAINS",
                                           "NOT_CONTAINS", "BEGINS_WITH", "IN", "BETWEEN", "LIKE"]),
    "AttributeValueList": st.lists(LEGACY_VALUE, max_size=3),
    "Value": LEGACY_VALUE,
    "Exists": st.booleans(),
})
LEGACY_NAMES = st.sampled_from(["a", "m", "l", "s1", "a.b", "pk", "sk"])
LEGACY_CONDITIONS = st.dictionaries(LEGACY_NAMES, LEGACY_CONDITION, max_size=3)
ATTRIBUTE_UPDATE = st.fixed_dictionaries({}, optional={
    "Action": st.sampled_from(["PUT", "ADD", "DELETE", "MERGE"]),
    "Value": LEGACY_VALUE,
})


@SETTINGS
@given(KEY, ATTRIBUTES, st.dictionaries(LEGACY_NAMES, ATTRIBUTE_UPDATE, min_size=1, max_size=3), LEGACY_CONDITIONS,
       st.sampled_from([None, "AND", "OR", "XOR"]), LEGACY_CONDITIONS)
def test_legacy_parameters_never_fail_with_5xx_and_keep_the_item_on_error(client, table, key, attributes, updates,
                                                                          expected, operator, scan_filter):
    before = _seed(client, table, key, attributes)
    kwargs: dict = {"TableName": table, "Key": key, "AttributeUpdates": updates, "ReturnValues": "UPDATED_NEW"}
    if expected:
        kwargs["Expected"] = expected
    if operator:
        kwargs["ConditionalOperator"] = operator
    answer = _call(client.update_item, **kwargs)
    _check_write(client, table, key, before, answer)
    scan: dict = {"TableName": table, "ScanFilter": scan_filter, "AttributesToGet": ["a", "m"]}
    if operator:
        scan["ConditionalOperator"] = operator
    _call(client.scan, **scan)
    _call(client.query, TableName=table, KeyConditions={"pk": {"ComparisonOperator": "EQ",
                                                               "AttributeValueList": [{"S": "p1"}]}},
          QueryFilter=scan_filter)
