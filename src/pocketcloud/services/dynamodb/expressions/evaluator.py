"""Evaluates resolved condition trees (ConditionExpression, FilterExpression, legacy conditions) on an item.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
A comparison with a missing attribute or mismatched types is false rather than an error, as in DynamoDB.
"""

from __future__ import annotations

from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.attributes import (
    SETS,
    binary,
    equals,
    get_path,
    order,
    set_members,
    size,
    type_of,
)

_ORDERINGS = {"<": (-1,), "<=": (-1, 0), ">": (1,), ">=": (1, 0)}


def evaluate(node: ast.Condition, item: dict | None) -> bool:
    if isinstance(node, ast.And):
        return evaluate(node.left, item) and evaluate(node.right, item)
    if isinstance(node, ast.Or):
        return evaluate(node.left, item) or evaluate(node.right, item)
    if isinstance(node, ast.Not):
        return not evaluate(node.operand, item)
    if isinstance(node, ast.Compare):
        return compare(node.op, value_of(node.left, item), value_of(node.right, item))
    if isinstance(node, ast.Between):
        value = value_of(node.operand, item)
        return compare(">=", value, value_of(node.low, item)) and compare("<=", value, value_of(node.high, item))
    if isinstance(node, ast.In):
        value = value_of(node.operand, item)
        return any(equals(value, value_of(choice, item)) for choice in node.choices)
    if isinstance(node, ast.Call):
        return call(node, item)
    if isinstance(node, ast.TrueCondition):
        return True
    raise TypeError(f"not a condition: {node!r}")


def value_of(node: ast.Operand, item: dict | None) -> dict | None:
    if isinstance(node, ast.Literal):
        return node.value
    if isinstance(node, ast.Path):
        return get_path(item, node.parts)
    if isinstance(node, ast.Call) and node.name == "size":
        length = size(value_of(node.args[0], item))
        return None if length is None else {"N": str(length)}
    raise TypeError(f"not an operand: {node!r}")


def compare(op: str, left: dict | None, right: dict | None) -> bool:
    if op == "=":
        return equals(left, right)
    if op == "<>":
        # DynamoDB: a missing attribute is "not equal" to any value.
        return not equals(left, right)
    result = order(left, right)
    return result is not None and result in _ORDERINGS[op]


def call(node: ast.Call, item: dict | None) -> bool:
    name = node.name
    if name == "attribute_exists":
        return value_of(node.args[0], item) is not None
    if name == "attribute_not_exists":
        return value_of(node.args[0], item) is None
    subject, argument = value_of(node.args[0], item), value_of(node.args[1], item)
    if subject is None or argument is None:
        return False
    if name == "attribute_type":
        return type_of(subject) == argument.get("S")
    if name == "begins_with":
        return begins_with(subject, argument)
    if name == "contains":
        return contains(subject, argument)
    raise TypeError(f"not a condition function: {name}")


def begins_with(subject: dict, prefix: dict) -> bool:
    kind = type_of(subject)
    if kind != type_of(prefix):
        return False
    if kind == "S":
        return subject["S"].startswith(prefix["S"])
    if kind == "B":
        return binary(subject["B"]).startswith(binary(prefix["B"]))
    return False


def contains(subject: dict, operand: dict) -> bool:
    kind, operand_kind = type_of(subject), type_of(operand)
    if kind == "S" and operand_kind == "S":
        return operand["S"] in subject["S"]
    if kind == "B" and operand_kind == "B":
        return binary(operand["B"]) in binary(subject["B"])
    if kind in SETS:
        if SETS[kind] != operand_kind:
            return False
        return set_members({operand_kind + "S": [operand[operand_kind]]})[0] in set_members(subject)
    if kind == "L":
        return any(equals(element, operand) for element in subject["L"])
    return False
