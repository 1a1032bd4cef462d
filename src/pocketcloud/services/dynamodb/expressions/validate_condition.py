"""Validation passes for condition, filter and key-condition expressions, in AWS's reporting order.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
"""

from __future__ import annotations

from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.attributes import order
from pocketcloud.services.dynamodb.expressions.validate import (
    ATTRIBUTE_TYPES,
    CONDITION_FUNCTIONS,
    MAX_IN_OPERANDS,
    Placeholders,
    check_arity,
    check_function_names,
    check_path_depth,
    check_reserved,
    count_operators,
    fail,
    literal_type,
    operand_type_error,
    render,
    resolve,
    walk,
)

_BOOLEAN_FUNCTIONS = frozenset(CONDITION_FUNCTIONS) - {"size"}


def check_condition(tree: ast.Condition, redundant: bool, kind: str, placeholders: Placeholders) -> ast.Condition:
    if redundant:
        raise fail(kind, "The expression has redundant parentheses;")
    check_function_names(tree, kind, CONDITION_FUNCTIONS)
    check_misuse(tree, kind)
    check_reserved(tree, kind)
    resolved = resolve(tree, kind, placeholders)
    for node in walk(resolved):
        check_node(node, kind)
    check_path_depth(resolved, kind)
    count_operators(resolved, kind)
    return resolved  # type: ignore[return-value]


def check_misuse(tree: ast.Condition, kind: str) -> None:
    """Boolean functions only stand as conditions; size() only stands as an operand."""

    def as_condition(node: object) -> None:
        if isinstance(node, (ast.And, ast.Or)):
            as_condition(node.left)
            as_condition(node.right)
        elif isinstance(node, ast.Not):
            as_condition(node.operand)
        elif isinstance(node, ast.Call):
            if node.name == "size":
                raise misused(node)
            for arg in node.args:
                as_operand(arg)
        else:
            for child in ast.children(node):
                as_operand(child)

    def as_operand(node: object) -> None:
        if isinstance(node, ast.Call):
            if node.name in _BOOLEAN_FUNCTIONS:
                raise misused(node)
            for arg in node.args:
                as_operand(arg)

    def misused(node: ast.Call):
        return fail(kind, f"The function is not allowed to be used this way in an expression; function: {node.name}")

    as_condition(tree)


def check_node(node: object, kind: str) -> None:
    if isinstance(node, ast.Call):
        check_arity(node, kind, CONDITION_FUNCTIONS)
        check_distinct(node.name, node.args, kind)
        check_function(node, kind)
    elif isinstance(node, ast.Compare):
        check_distinct(node.op, (node.left, node.right), kind)
    elif isinstance(node, ast.Between):
        check_distinct("BETWEEN", (node.operand, node.low, node.high), kind)
        check_between(node, kind)
    elif isinstance(node, ast.In):
        if len(node.choices) > MAX_IN_OPERANDS:
            raise fail(kind, f"The IN operator is provided with too many operands; number of operands: "
                             f"{len(node.choices)}")
        check_distinct("IN", (node.operand, *node.choices), kind)


def check_distinct(operator: str, operands: tuple, kind: str) -> None:
    first = operands[0]
    if isinstance(first, ast.Path) and any(other == first for other in operands[1:]):
        raise fail(kind, f"The first operand must be distinct from the remaining operands for this operator or "
                         f"function; operator: {operator}, first operand: {first.label()}")


def check_function(node: ast.Call, kind: str) -> None:
    name, args = node.name, node.args
    if name in ("attribute_exists", "attribute_not_exists"):
        if not isinstance(args[0], ast.Path):
            raise fail(kind, f"Operator or function requires a document path; operator or function: {name}")
    elif name == "begins_with":
        for arg in args:
            type_name = literal_type(arg) or ("N" if isinstance(arg, ast.Call) else None)
            if type_name and type_name not in ("S", "B"):
                raise operand_type_error(kind, name, type_name)
    elif name == "attribute_type":
        type_name = literal_type(args[1])
        if type_name != "S":
            raise operand_type_error(kind, name, type_name or "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}")
        wanted = args[1].value["S"]  # type: ignore[union-attr]
        if wanted not in ATTRIBUTE_TYPES:
            raise fail(kind, f"Invalid attribute type name found; type: {wanted}, "
                             f"valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}")
    elif name == "size":
        type_name = literal_type(args[0]) or ("N" if isinstance(args[0], ast.Call) else None)
        if type_name in ("N", "BOOL", "NULL"):
            raise operand_type_error(kind, name, type_name)


def check_between(node: ast.Between, kind: str) -> None:
    low, high = node.low, node.high
    if not (isinstance(low, ast.Literal) and isinstance(high, ast.Literal)):
        return
    bounds = f"lower bound operand: {render(low.value)}, upper bound operand: {render(high.value)}"
    if literal_type(low) != literal_type(high):
        raise fail(kind, f"The BETWEEN operator requires same data type for lower and upper bounds; {bounds}")
    if (order(low.value, high.value) or 0) > 0:
        raise fail(kind, f"The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                         f"{bounds}")
