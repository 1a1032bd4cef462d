"""Legacy parameters converted into the expression AST, and the rules on mixing them with expressions."""

from __future__ import annotations

import pytest

from pocketcloud.services.dynamodb.expressions import Condition, Projection, Update, check_expression_parameters, legacy

ITEM = {"id": {"S": "a"}, "n": {"N": "5"}, "s": {"S": "hello"}, "ss": {"SS": ["x"]}, "a.b": {"S": "dotted"}}


def expected(spec: dict, operator: str | None = None) -> bool:
    return Condition(legacy.expected(spec, operator)).evaluate(ITEM)


def test_expected_value_means_equal_and_exists_false_means_absent():
    assert expected({"n": {"Value": {"N": "5.0"}}})
    assert expected({"n": {"Exists": True, "Value": {"N": "5"}}})
    assert expected({"gone": {"Exists": False}})
    assert not expected({"n": {"Exists": False}})


def test_expected_attribute_names_are_literal_top_level_names():
    assert expected({"a.b": {"Value": {"S": "dotted"}}})


def test_an_empty_expected_map_always_holds():
    assert expected({})


@pytest.mark.parametrize(
    ("spec", "holds"),
    [
        ({"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "5"}]}, True),
        ({"ComparisonOperator": "NE", "AttributeValueList": [{"N": "5"}]}, False),
        ({"ComparisonOperator": "LT", "AttributeValueList": [{"N": "6"}]}, True),
        ({"ComparisonOperator": "GE", "Value": {"N": "5"}}, True),
        ({"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}, True),
        ({"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"N": "5"}]}, True),
        ({"ComparisonOperator": "NOT_NULL"}, True),
        ({"ComparisonOperator": "NULL"}, False),
    ],
)
def test_expected_comparison_operators_on_a_number(spec, holds):
    assert expected({"n": spec}) is holds


def test_contains_not_contains_and_begins_with():
    assert expected({"s": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "ell"}]}})
    assert expected({"ss": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "x"}]}})
    assert expected({"s": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "z"}]}})
    assert not expected({"gone": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "z"}]}})
    assert expected({"s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "he"}]}})


def test_conditional_operator_or_combines_with_or():
    spec = {"n": {"Value": {"N": "1"}}, "s": {"Value": {"S": "hello"}}}
    assert not expected(spec)
    assert not expected(spec, "AND")
    assert expected(spec, "OR")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"n": {"Value": {"N": "1"}, "AttributeValueList": [{"N": "1"}], "ComparisonOperator": "EQ"}},
         "Value and AttributeValueList cannot be used together for Attribute: n"),
        ({"n": {"Exists": True, "ComparisonOperator": "NULL"}},
         "Exists and ComparisonOperator cannot be used together for Attribute: n"),
        ({"n": {"ComparisonOperator": "EQ"}},
         "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: n"),
        ({"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}]}},
         "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
        ({"n": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"S": "x"}]}},
         "AttributeValues inside AttributeValueList must be of same type"),
        ({"n": {"AttributeValueList": [{"N": "1"}]}},
         "AttributeValueList can only be used with a ComparisonOperator for Attribute: n"),
        ({"n": {}}, "Value must be provided when Exists is null for Attribute: n"),
        ({"n": {"Exists": True}}, "Value must be provided when Exists is true for Attribute: n"),
        ({"n": {"Exists": False, "Value": {"N": "1"}}}, "Value cannot be used when Exists is false for Attribute: n"),
    ],
)
def test_invalid_expected_entries_use_aws_messages(error_of, spec, message):
    assert error_of(legacy.expected, spec) == "One or more parameter values were invalid: " + message


def test_between_with_reversed_bounds_is_refused(error_of):
    spec = {"n": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "9"}, {"N": "1"}]}}
    assert error_of(legacy.query_filter, spec) == (
        "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
    )


def test_scan_filter_and_query_filter_build_conditions():
    spec = {"n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "4"}]},
            "s": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "nope"}]}}
    assert not Condition(legacy.scan_filter(spec)).evaluate(ITEM)
    assert Condition(legacy.query_filter(spec, "OR")).evaluate(ITEM)


def test_filter_operators_refuse_unsupported_value_types(error_of):
    spec = {"ss": {"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["x"]}]}}
    assert error_of(legacy.scan_filter, spec) == (
        "One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type"
    )


def test_key_conditions_convert_to_a_key_condition():
    condition = legacy.key_conditions(
        {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]},
         "sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "x"}]}},
        "pk", "sk", {"pk": "S", "sk": "S"},
    )
    assert (condition.hash_value, condition.range_op, condition.range_values) == (
        {"S": "p"}, "BEGINS_WITH", ({"S": "x"},)
    )


def test_key_conditions_refuse_operators_no_index_supports(error_of):
    spec = {"pk": {"ComparisonOperator": "NOT_NULL"}}
    assert error_of(legacy.key_conditions, spec, "pk", None, {"pk": "S"}) == (
        "Attempted conditional constraint is not an indexable operation"
    )


def test_key_conditions_must_name_the_hash_key(error_of):
    spec = {"sk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p"}]}}
    assert error_of(legacy.key_conditions, spec, "pk", "sk", {}) == "Query condition missed key schema element: pk"


def test_attribute_updates_put_add_and_delete():
    update = Update(legacy.attribute_updates({
        "s": {"Value": {"S": "new"}},
        "n": {"Action": "ADD", "Value": {"N": "2"}},
        "ss": {"Action": "ADD", "Value": {"SS": ["y"]}},
        "l": {"Action": "ADD", "Value": {"L": [{"S": "z"}]}},
        "id": {"Action": "DELETE"},
    }))
    assert update.apply(ITEM) == {
        "s": {"S": "new"}, "n": {"N": "7"}, "ss": {"SS": ["x", "y"]}, "a.b": {"S": "dotted"}, "l": {"L": [{"S": "z"}]},
    }


def test_attribute_updates_delete_with_a_set_removes_members():
    update = Update(legacy.attribute_updates({"ss": {"Action": "DELETE", "Value": {"SS": ["x"]}}}))
    assert update.apply(ITEM) == {k: v for k, v in ITEM.items() if k != "ss"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"Action": "PUT"}, "Only DELETE action is allowed when no attribute value is specified"),
        ({"Action": "DELETE", "Value": {"S": "x"}}, "DELETE action with value is not supported for the type S"),
        ({"Action": "ADD", "Value": {"S": "x"}}, "ADD action is not supported for the type S"),
    ],
)
def test_invalid_attribute_updates_use_aws_messages(error_of, spec, message):
    assert error_of(legacy.attribute_updates, {"a": spec}) == "One or more parameter values were invalid: " + message


def test_attributes_to_get_projects_literal_names():
    assert Projection(legacy.attributes_to_get(["a.b", "n"])).apply(ITEM) == {"a.b": {"S": "dotted"}, "n": {"N": "5"}}


def test_attributes_to_get_refuses_duplicates(error_of):
    assert error_of(legacy.attributes_to_get, ["n", "n"]) == (
        "One or more parameter values were invalid: Duplicate value in attribute name: n"
    )


def test_mixing_legacy_and_expression_parameters_is_refused(error_of):
    params = {"Expected": {}, "ConditionExpression": "a = :a"}
    assert error_of(check_expression_parameters, params, ["ConditionExpression"], ["Expected"]) == (
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"
    )


def test_key_conditions_may_accompany_a_filter_expression():
    params = {"KeyConditions": {}, "FilterExpression": "a = :a"}
    check_expression_parameters(params, ["FilterExpression", "KeyConditionExpression"], ["KeyConditions"])


def test_placeholders_without_expressions_are_refused(error_of):
    assert error_of(check_expression_parameters, {"ExpressionAttributeNames": {"#a": "a"}},
                    ["ConditionExpression"], ["Expected"]) == (
        "ExpressionAttributeNames can only be specified when using expressions"
    )
    assert error_of(check_expression_parameters, {"ExpressionAttributeValues": {":a": {"S": "a"}}},
                    ["UpdateExpression", "ConditionExpression"], ["AttributeUpdates", "Expected"]) == (
        "ExpressionAttributeValues can only be specified when using expressions: "
        "UpdateExpression and ConditionExpression are null"
    )
    assert error_of(check_expression_parameters, {"ExpressionAttributeValues": {":a": {"S": "a"}}},
                    ["ConditionExpression"], ["Expected"]) == (
        "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null"
    )
