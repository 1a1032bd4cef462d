"""Evaluating conditions and filters on items."""

from __future__ import annotations

import pytest

from pocketcloud.services.dynamodb.expressions import ExpressionContext

ITEM = {
    "id": {"S": "a"},
    "n": {"N": "1.50"},
    "big": {"N": "1E+2"},
    "s": {"S": "hello"},
    "u": {"S": "é"},
    "b": {"B": "AQID"},  # bytes 01 02 03
    "ss": {"SS": ["x", "y"]},
    "ns": {"NS": ["1", "2.0"]},
    "bs": {"BS": ["AQ=="]},
    "m": {"M": {"k": {"S": "v"}, "deep": {"M": {"n": {"N": "3"}}}}},
    "l": {"L": [{"S": "first"}, {"N": "2"}, {"M": {"x": {"S": "x"}}}]},
    "t": {"BOOL": True},
    "z": {"NULL": True},
}
VALUES = {
    ":n15": {"N": "1.5"},
    ":n100": {"N": "100"},
    ":n2": {"N": "2"},
    ":n3": {"N": "3"},
    ":hello": {"S": "hello"},
    ":he": {"S": "he"},
    ":ll": {"S": "ll"},
    ":z": {"S": "z"},
    ":x": {"S": "x"},
    ":b12": {"B": "AQI="},  # bytes 01 02
    ":b02": {"B": "Ag=="},  # byte 02
    ":ssxy": {"SS": ["y", "x"]},
    ":first": {"S": "first"},
    ":S": {"S": "S"},
    ":SS": {"S": "SS"},
    ":NULL": {"S": "NULL"},
    ":v": {"S": "v"},
    ":true": {"BOOL": True},
    ":five": {"N": "5"},
    ":one": {"N": "1"},
    ":e": {"S": "é"},
    ":f": {"S": "f"},
}


def holds(expression: str, item: dict | None = ITEM) -> bool:
    ctx = ExpressionContext(None, VALUES)
    return ctx.condition(expression).evaluate(item)


@pytest.mark.parametrize(
    "expression",
    [
        "n = :n15",
        "big = :n100",
        "n < :n2",
        "n <= :n15",
        "n >= :n15",
        "big > :n3",
        "s = :hello",
        "s > :he",
        "s <> :z",
        "gone <> :z",
        "ss = :ssxy",
        "b > :b12",
        "n BETWEEN :one AND :n2",
        "s IN (:z, :hello)",
        "m.k = :v",
        "m.deep.n = :n3",
        "l[0] = :first",
        "l[2].x = :x",
        "t = :true",
        "u > :f",
    ],
)
def test_true_comparisons_hold(expression):
    assert holds(expression)


@pytest.mark.parametrize(
    "expression",
    [
        "gone = :z",
        "gone < :z",
        "n = :hello",
        "n < :hello",
        "ss < :ssxy",
        "s BETWEEN :one AND :n2",
        "s IN (:z, :x)",
        "l[7] = :first",
        "m.k.x = :v",
        "s.k = :v",
        "l.k = :v",
    ],
)
def test_false_comparisons_do_not_hold(expression):
    assert not holds(expression)


def test_strings_compare_by_utf8_bytes_not_code_points():
    assert holds("u > :z")  # 'é' is C3 A9 in UTF-8, above 'z' (7A)


def test_not_and_or_follow_aws_precedence():
    # NOT binds tighter than AND, AND tighter than OR.
    assert holds("s = :z AND n = :n2 OR s = :hello")
    assert not holds("s = :z AND (n = :n2 OR s = :hello)")
    assert holds("NOT s = :z AND s = :hello")
    assert not holds("NOT (s = :hello AND n = :n15)")
    assert holds("s = :hello or NOT n = :n15")


def test_attribute_exists_and_attribute_not_exists_see_nested_paths():
    assert holds("attribute_exists(m.deep.n) AND attribute_not_exists(m.nope)")
    assert holds("attribute_exists(l[1]) AND attribute_not_exists(l[3])")
    assert holds("attribute_not_exists(id)", None)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("attribute_type(s, :S)", True),
        ("attribute_type(ss, :SS)", True),
        ("attribute_type(z, :NULL)", True),
        ("attribute_type(s, :SS)", False),
        ("attribute_type(gone, :S)", False),
    ],
)
def test_attribute_type_compares_the_wire_type(expression, expected):
    assert holds(expression) is expected


def test_begins_with_works_on_strings_and_binary():
    assert holds("begins_with(s, :he)")
    assert not holds("begins_with(s, :ll)")
    assert holds("begins_with(b, :b12)")
    assert not holds("begins_with(n, :he)")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("contains(s, :ll)", True),
        ("contains(ss, :x)", True),
        ("contains(ss, :z)", False),
        ("contains(ns, :n2)", True),
        ("contains(l, :first)", True),
        ("contains(l, :z)", False),
        ("contains(b, :b02)", True),
        ("contains(gone, :x)", False),
        ("contains(n, :one)", False),
    ],
)
def test_contains_covers_strings_sets_lists_and_binary(expression, expected):
    assert holds(expression) is expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("size(s) = :five", True),
        # UTF-16 code units, as real DynamoDB counts (nubo-db/dynamodb-conformance captures), not UTF-8 bytes
        ("size(u) = :one", True),
        ("size(u) = :n2", False),
        ("size(b) = :n3", True),
        ("size(ss) = :n2", True),
        ("size(l) = :n3", True),
        ("size(m) = :n2", True),
        ("size(n) = :one", False),
        ("size(gone) < :five", False),
        ("size(s) BETWEEN :n3 AND :five", True),
    ],
)
def test_size_counts_code_units_bytes_or_elements(expression, expected):
    assert holds(expression) is expected


def test_filter_expressions_use_the_same_evaluator():
    ctx = ExpressionContext({"#s": "s"}, {":h": {"S": "hello"}})
    assert ctx.condition("#s = :h", "FilterExpression").evaluate(ITEM)


def test_keywords_are_case_insensitive():
    assert holds("s = :hello and not n between :n2 and :n3")
