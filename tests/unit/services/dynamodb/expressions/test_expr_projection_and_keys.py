"""Projection expressions and key condition expressions."""

from __future__ import annotations

import pytest

from pocketcloud.services.dynamodb.expressions import ExpressionContext

ITEM = {
    "id": {"S": "a"},
    "m": {"M": {"k": {"S": "v"}, "j": {"N": "1"}}},
    "l": {"L": [{"S": "zero"}, {"S": "one"}, {"M": {"x": {"S": "y"}, "w": {"S": "z"}}}]},
    "extra": {"S": "o"},
}


def test_projection_keeps_only_the_named_top_level_attributes():
    assert ExpressionContext(None, None).projection("id, extra, gone").apply(ITEM) == {
        "id": {"S": "a"}, "extra": {"S": "o"}
    }


def test_projection_keeps_the_shape_of_nested_paths():
    projection = ExpressionContext({"#k": "k"}, None).projection("m.#k, l[2].x, l[0]")
    assert projection.apply(ITEM) == {
        "m": {"M": {"k": {"S": "v"}}},
        "l": {"L": [{"S": "zero"}, {"M": {"x": {"S": "y"}}}]},
    }


def test_projection_drops_paths_that_do_not_match_the_item_shape():
    assert ExpressionContext(None, None).projection("id.k, m[0], l[9]").apply(ITEM) == {}


KEY_TYPES = {"pk": "S", "sk": "N"}
VALUES = {":p": {"S": "p"}, ":a": {"N": "1"}, ":b": {"N": "5"}, ":s": {"S": "x"}}


def key(expression: str, names: dict | None = None):
    return ExpressionContext(names, VALUES).key_condition(expression, "pk", "sk", KEY_TYPES)


@pytest.mark.parametrize(
    ("expression", "op", "values"),
    [
        ("pk = :p", None, ()),
        ("pk = :p AND sk = :a", "EQ", ({"N": "1"},)),
        ("sk < :a AND pk = :p", "LT", ({"N": "1"},)),
        (":a < sk AND pk = :p", "GT", ({"N": "1"},)),
        ("pk = :p AND sk >= :a", "GE", ({"N": "1"},)),
        ("pk = :p AND sk BETWEEN :a AND :b", "BETWEEN", ({"N": "1"}, {"N": "5"})),
        ("(pk = :p) AND (sk <= :b)", "LE", ({"N": "5"},)),
    ],
)
def test_key_conditions_give_the_hash_value_and_range_condition(expression, op, values):
    condition = key(expression)
    assert condition.hash_value == {"S": "p"}
    assert condition.range_op == op
    assert condition.range_values == values


def test_begins_with_on_a_string_range_key():
    condition = ExpressionContext(None, VALUES).key_condition(
        "pk = :p AND begins_with(sk, :s)", "pk", "sk", {"pk": "S", "sk": "S"}
    )
    assert (condition.range_op, condition.range_values) == ("BEGINS_WITH", ({"S": "x"},))


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("pk = :p OR sk = :a", "Invalid operator used in KeyConditionExpression: OR"),
        ("pk = :p AND NOT sk = :a", "Invalid operator used in KeyConditionExpression: NOT"),
        ("pk IN (:p)", "Invalid operator used in KeyConditionExpression: IN"),
        ("pk <> :p", "Invalid operator used in KeyConditionExpression: <>"),
        ("pk = :p AND attribute_exists(sk)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
        ("pk = :p AND size(sk) = :a", "KeyConditionExpressions cannot contain nested operations"),
        ("pk = sk", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
        ("pk = :p AND :a = :b", "Invalid condition in KeyConditionExpression: No key attribute specified"),
        ("pk.x = :p", "KeyConditionExpressions cannot have conditions on nested attributes"),
        ("pk = :p AND pk = :p", "KeyConditionExpressions must only contain one condition per key"),
        ("sk = :a", "Query condition missed key schema element: pk"),
        ("pk < :p", "Query key condition not supported"),
        ("pk = :p AND extra = :a", "Query condition missed key schema element: sk"),
        ("pk = :a", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
    ],
)
def test_key_condition_errors_use_aws_messages(error_of, expression, message):
    assert error_of(key, expression) == message


def test_key_conditions_mark_placeholders_used(error_of):
    ctx = ExpressionContext({"#p": "pk"}, {":p": {"S": "p"}})
    ctx.key_condition("#p = :p", "pk", None, {"pk": "S"})
    ctx.check_unused()
