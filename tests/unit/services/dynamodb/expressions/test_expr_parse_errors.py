"""Syntax and validation errors, with AWS's exact messages."""

from __future__ import annotations

import pytest

from pocketcloud.services.dynamodb.expressions import ExpressionContext


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("SET a", 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"'),
        ("SET a = :one,", 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","'),
        ("ADD hits : incr", 'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"'),
        ("INVALID SYNTAX HERE", 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"'),
        ("SET a = :one + :one + :one", 'Invalid UpdateExpression: Syntax error; token: "+", near: ":one + :one"'),
        ("SET 1 = :one", 'Invalid UpdateExpression: Syntax error; token: "1", near: "SET 1 ="'),
        ("REMOVE a[x]", 'Invalid UpdateExpression: Syntax error; token: "x", near: "[x]"'),
    ],
)
def test_update_syntax_errors_quote_the_token_and_its_neighbours(ctx, error_of, expression, message):
    assert error_of(ctx.update, expression) == message


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("a = ", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "'),
        ("attribute_not_exists(", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'),
        ("foo", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"'),
        ("a = :s AND", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"'),
        ("a BETWEEN :n", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":n"'),
        ("a = :s OR OR b = :s", 'Invalid ConditionExpression: Syntax error; token: "OR", near: "OR OR b"'),
        ("a == :s", 'Invalid ConditionExpression: Syntax error; token: "=", near: "== :s"'),
        ("a = :s)", 'Invalid ConditionExpression: Syntax error; token: ")", near: ":s)"'),
    ],
)
def test_condition_syntax_errors_quote_the_token_and_its_neighbours(ctx, error_of, expression, message):
    assert error_of(ctx.condition, expression) == message


def test_empty_expressions_are_refused_with_the_kind_named(ctx, error_of):
    assert error_of(ctx.update, "") == "Invalid UpdateExpression: The expression can not be empty;"
    assert error_of(ctx.condition, "  ", "FilterExpression") == "Invalid FilterExpression: The expression can not be empty;"
    assert error_of(ctx.projection, "") == "Invalid ProjectionExpression: The expression can not be empty;"


def test_expressions_longer_than_4_kb_are_refused(ctx, error_of):
    long = "a = :s OR " * 410 + "a = :s"
    assert error_of(ctx.condition, long) == (
        f"Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
        f"expression size: {len(long)}"
    )
    assert error_of(ctx.update, "SET " + "a" * 4100 + " = :s") == (
        "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;"
    )


def test_reserved_word_as_bare_attribute_name_is_refused(ctx, error_of):
    assert error_of(ctx.condition, "status = :s") == (
        "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"
    )
    assert error_of(ctx.update, "SET a.Size = :s") == (
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Size"
    )
    assert error_of(ctx.projection, "id, name") == (
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name"
    )


def test_reserved_word_behind_a_name_placeholder_is_allowed(ctx):
    assert ctx.condition("#s = :s").evaluate({"status": {"S": "abc"}})


def test_undefined_name_placeholder_is_refused(ctx, error_of):
    assert error_of(ctx.update, "SET #missing = :s") == (
        "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; "
        "attribute name: #missing"
    )


def test_undefined_value_placeholder_is_refused(ctx, error_of):
    assert error_of(ctx.condition, "a = :missing", "FilterExpression") == (
        "Invalid FilterExpression: An expression attribute value used in expression is not defined; "
        "attribute value: :missing"
    )


def test_update_reports_undefined_names_before_undefined_values(ctx, error_of):
    assert "attribute name: #x" in error_of(ctx.update, "SET a = :x, #x = :s")


def test_unknown_function_is_refused(ctx, error_of):
    assert error_of(ctx.condition, "foo(a)") == "Invalid ConditionExpression: Invalid function name; function: foo"
    assert error_of(ctx.update, "SET a = size(b)") == "Invalid UpdateExpression: Invalid function name; function: size"


def test_boolean_function_used_as_an_operand_is_refused(ctx, error_of):
    assert error_of(ctx.condition, "attribute_exists(a) = :t") == (
        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
        "function: attribute_exists"
    )


def test_size_used_as_a_condition_is_refused(ctx, error_of):
    assert error_of(ctx.condition, "size(a)") == (
        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; "
        "function: size"
    )


def test_wrong_number_of_function_operands_is_refused(ctx, error_of):
    assert error_of(ctx.condition, "begins_with(a)") == (
        "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
        "operator or function: begins_with, number of operands: 1"
    )
    assert error_of(ctx.update, "SET a = if_not_exists(a)") == (
        "Invalid UpdateExpression: Incorrect number of operands for operator or function; "
        "operator or function: if_not_exists, number of operands: 1"
    )


def test_attribute_exists_needs_a_document_path(ctx, error_of):
    assert error_of(ctx.condition, "attribute_exists(:s)") == (
        "Invalid ConditionExpression: Operator or function requires a document path; "
        "operator or function: attribute_exists"
    )


def test_begins_with_refuses_a_number_operand(ctx, error_of):
    assert error_of(ctx.condition, "begins_with(a, :n)") == (
        "Invalid ConditionExpression: Incorrect operand type for operator or function; "
        "operator or function: begins_with, operand type: N"
    )


def test_attribute_type_refuses_an_unknown_type_name(ctx, error_of):
    assert error_of(ctx.condition, "attribute_type(a, :s)") == (
        "Invalid ConditionExpression: Invalid attribute type name found; type: abc, "
        "valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"
    )


def test_size_of_a_number_literal_is_refused(ctx, error_of):
    assert error_of(ctx.condition, "size(:n) > :n") == (
        "Invalid ConditionExpression: Incorrect operand type for operator or function; "
        "operator or function: size, operand type: N"
    )


def test_same_path_on_both_sides_is_refused(ctx, error_of):
    assert error_of(ctx.condition, "a.b = a.b") == (
        "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this "
        "operator or function; operator: =, first operand: [a, b]"
    )


def test_between_with_bounds_in_the_wrong_order_is_refused(error_of):
    ctx = ExpressionContext(None, {":lo": {"N": "10"}, ":hi": {"N": "2"}, ":s": {"S": "x"}})
    assert error_of(ctx.condition, "a BETWEEN :lo AND :hi") == (
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to "
        "lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:2}"
    )
    assert error_of(ctx.condition, "a BETWEEN :lo AND :s") == (
        "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; "
        "lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {S:x}"
    )


def test_redundant_parentheses_are_refused(ctx, error_of):
    assert error_of(ctx.condition, "((a = :s))") == "Invalid ConditionExpression: The expression has redundant parentheses;"


def test_in_accepts_100_operands_and_refuses_101(error_of):
    values = {f":v{i}": {"N": str(i)} for i in range(101)}
    ctx = ExpressionContext(None, values)
    ctx.condition("a IN (" + ", ".join(list(values)[:100]) + ")")
    assert error_of(ctx.condition, "a IN (" + ", ".join(values) + ")") == (
        "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101"
    )


def test_paths_deeper_than_32_levels_are_refused(ctx, error_of):
    assert error_of(ctx.projection, ".".join(["a"] * 33)) == (
        "Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33"
    )
    ctx.projection(".".join(["a"] * 32))


def test_more_than_300_operators_are_refused(error_of):
    ctx = ExpressionContext(None, {":v": {"N": "1"}})
    expression = " OR ".join(["a = :v"] * 151)
    assert error_of(ctx.condition, expression) == (
        "Invalid ConditionExpression: The expression contains too many operators; operator count: 301"
    )


def test_overlapping_update_paths_are_refused(ctx, error_of):
    assert error_of(ctx.update, "SET a = :s REMOVE a.b") == (
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of "
        "these paths; path one: [a], path two: [a, b]"
    )
    assert error_of(ctx.update, "SET a = :s, a = :n") == (
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of "
        "these paths; path one: [a], path two: [a]"
    )


def test_conflicting_update_paths_are_refused(ctx, error_of):
    assert error_of(ctx.update, "SET a[0] = :s, a.b = :n") == (
        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of "
        "these paths; path one: [a, [0]], path two: [a, b]"
    )


def test_overlapping_projection_paths_are_refused(ctx, error_of):
    assert error_of(ctx.projection, "a, a.b") == (
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of "
        "these paths; path one: [a], path two: [a, b]"
    )


def test_a_section_used_twice_is_refused(ctx, error_of):
    assert error_of(ctx.update, "SET a = :s REMOVE b SET c = :n") == (
        'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'
    )


def test_add_and_delete_refuse_literals_of_the_wrong_type(ctx, error_of):
    assert error_of(ctx.update, "ADD a :s") == (
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
        "operand type: STRING"
    )
    assert error_of(ctx.update, "DELETE a :n") == (
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, "
        "operand type: NUMBER"
    )


def test_arithmetic_and_list_append_refuse_literals_of_the_wrong_type(ctx, error_of):
    assert error_of(ctx.update, "SET a = b + :s") == (
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, "
        "operand type: S"
    )
    assert error_of(ctx.update, "SET a = list_append(b, :n)") == (
        "Invalid UpdateExpression: Incorrect operand type for operator or function; "
        "operator or function: list_append, operand type: N"
    )


def test_placeholder_maps_must_be_well_formed(error_of):
    assert error_of(ExpressionContext, {}, None) == "ExpressionAttributeNames must not be empty"
    assert error_of(ExpressionContext, {"n": "x"}, None) == (
        'ExpressionAttributeNames contains invalid key: Syntax error; key: "n"'
    )
    assert error_of(ExpressionContext, None, {":a-b": {"S": "x"}}) == (
        'ExpressionAttributeValues contains invalid key: Syntax error; key: ":a-b"'
    )


def test_unused_placeholders_across_the_request_are_reported(error_of):
    ctx = ExpressionContext({"#a": "a", "#b": "b", "#c": "c"}, {":x": {"S": "x"}, ":y": {"S": "y"}})
    ctx.update("SET #a = :x")
    ctx.condition("attribute_exists(#b)")
    assert error_of(ctx.check_unused) == "Value provided in ExpressionAttributeNames unused in expressions: keys: {#c}"
    ctx.projection("#c")
    assert error_of(ctx.check_unused) == "Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}"


def test_deep_nesting_is_a_syntax_error_not_a_crash(ctx, error_of):
    message = error_of(ctx.condition, "(" * 1000 + "a = :s" + ")" * 1000)
    assert message.startswith("Invalid ConditionExpression: Syntax error;")
