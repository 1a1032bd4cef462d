"""Validation passes for update expressions, in the order AWS reports them.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
"""

from __future__ import annotations

from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.validate import (
    TYPE_WORDS,
    UPDATE_FUNCTIONS,
    Placeholders,
    check_arity,
    check_function_names,
    check_path_depth,
    check_reserved,
    count_operators,
    fail,
    literal_type,
    operand_type_error,
    resolve,
    walk,
)

KIND = "UpdateExpression"


def check_update(tree: ast.UpdateExpression, repeated: str | None, placeholders: Placeholders) -> ast.UpdateExpression:
    check_reserved(tree, KIND)
    check_function_names(tree, KIND, UPDATE_FUNCTIONS)
    if repeated:
        raise fail(KIND, f'The "{repeated}" section can only be used once in an update expression;')
    resolved: ast.UpdateExpression = resolve(tree, KIND, placeholders, names_first=True)  # type: ignore[assignment]
    check_overlaps([action.path for action in resolved.actions])
    check_add_delete_operands(resolved)
    for node in walk(resolved):
        if isinstance(node, ast.Call):
            check_arity(node, KIND, UPDATE_FUNCTIONS)
            check_function(node)
        elif isinstance(node, ast.Arithmetic):
            for operand in (node.left, node.right):
                type_name = literal_type(operand) or _call_type(operand)
                if type_name and type_name != "N":
                    raise operand_type_error(KIND, node.op, type_name)
    check_path_depth(resolved, KIND)
    count_operators(resolved, KIND)
    return resolved


def _call_type(node: object) -> str | None:
    return "L" if isinstance(node, ast.Call) and node.name == "list_append" else None


def check_function(node: ast.Call) -> None:
    if node.name == "if_not_exists" and not isinstance(node.args[0], ast.Path):
        raise fail(KIND, "Operator or function requires a document path; operator or function: if_not_exists")
    if node.name == "list_append":
        for arg in node.args:
            type_name = literal_type(arg)
            if type_name and type_name != "L":
                raise operand_type_error(KIND, node.name, type_name)


def check_overlaps(paths: list[ast.Path], kind: str = KIND) -> None:
    """AWS refuses two actions on the same path, on a path and its parent, or on `a.b` and `a[0]`."""
    conflict: str | None = None
    for i, second in enumerate(paths):
        for first in paths[:i]:
            relation = _relation(first.parts, second.parts)
            pair = f"path one: {first.label()}, path two: {second.label()}"
            if relation == "overlap":
                raise fail(kind, f"Two document paths overlap with each other; must remove or rewrite one of "
                                 f"these paths; {pair}")
            if relation == "conflict" and conflict is None:
                conflict = (f"Two document paths conflict with each other; must remove or rewrite one of these "
                            f"paths; {pair}")
    if conflict:
        raise fail(kind, conflict)


def _relation(one: tuple, two: tuple) -> str | None:
    for a, b in zip(one, two):
        if isinstance(a, int) != isinstance(b, int):
            return "conflict"
        if a != b:
            return None
    return "overlap"


def check_add_delete_operands(tree: ast.UpdateExpression) -> None:
    for action in tree.actions:
        if isinstance(action, (ast.AddAction, ast.DeleteAction)):
            operator = "ADD" if isinstance(action, ast.AddAction) else "DELETE"
            type_name = literal_type(action.value)
            if type_name in TYPE_WORDS and not (operator == "ADD" and type_name == "N"):
                raise fail(KIND, f"Incorrect operand type for operator or function; operator: {operator}, "
                                 f"operand type: {TYPE_WORDS[type_name]}")
