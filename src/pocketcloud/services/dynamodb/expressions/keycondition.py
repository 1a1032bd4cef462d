"""Turns a validated key condition tree into the hash value and range condition a Query needs.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html
"""

from __future__ import annotations

from dataclasses import dataclass

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.attributes import type_of

_RANGE_OPS = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}
_FLIPPED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_PREFIX = "Invalid condition in KeyConditionExpression: "


@dataclass(frozen=True)
class KeyCondition:
    hash_key: str
    hash_value: dict
    range_key: str | None = None
    range_op: str | None = None  # EQ LT LE GT GE BETWEEN BEGINS_WITH, or None without a range condition
    range_values: tuple[dict, ...] = ()


def leaves(tree: ast.Condition) -> list[ast.Condition]:
    if isinstance(tree, ast.And):
        return leaves(tree.left) + leaves(tree.right)
    return [tree]


def key_term(node: ast.Condition) -> tuple[str, str, tuple[dict, ...]]:
    """(attribute, operator, values) of one condition of a key condition expression, or AWS's refusal."""
    if isinstance(node, ast.Or):
        raise ValidationException("Invalid operator used in KeyConditionExpression: OR")
    if isinstance(node, ast.Not):
        raise ValidationException("Invalid operator used in KeyConditionExpression: NOT")
    if isinstance(node, ast.In):
        raise ValidationException("Invalid operator used in KeyConditionExpression: IN")
    if isinstance(node, ast.Compare) and node.op == "<>":
        raise ValidationException("Invalid operator used in KeyConditionExpression: <>")
    operands = ast.children(node)
    if isinstance(node, ast.Call) and node.name != "begins_with":
        raise ValidationException(f"Invalid operator used in KeyConditionExpression: {node.name}")
    if any(isinstance(o, ast.Call) for o in operands):
        raise ValidationException("KeyConditionExpressions cannot contain nested operations")
    if isinstance(node, (ast.Between, ast.Call)) and not isinstance(operands[0], ast.Path):
        name = "BETWEEN" if isinstance(node, ast.Between) else "begins_with"
        raise ValidationException(f"{_PREFIX}{name} operator must have the key attribute as its first operand")
    paths = [o for o in operands if isinstance(o, ast.Path)]
    if len(paths) > 1:
        raise ValidationException(f"{_PREFIX}Multiple attribute names used in one condition")
    if not paths:
        raise ValidationException(f"{_PREFIX}No key attribute specified")
    if len(paths[0].parts) > 1:
        raise ValidationException("KeyConditionExpressions cannot have conditions on nested attributes")
    values = tuple(o.value for o in operands if isinstance(o, ast.Literal))
    if isinstance(node, ast.Between):
        return paths[0].head, "BETWEEN", values
    if isinstance(node, ast.Call):
        return paths[0].head, "BEGINS_WITH", values
    assert isinstance(node, ast.Compare)
    op = node.op if operands[0] is paths[0] else _FLIPPED[node.op]
    return paths[0].head, _RANGE_OPS[op], values


def check_key_names(terms: dict, hash_key: str, range_key: str | None) -> None:
    if hash_key not in terms:
        raise ValidationException(f"Query condition missed key schema element: {hash_key}")
    for name in terms:
        if name not in (hash_key, range_key):
            if range_key and range_key not in terms:
                raise ValidationException(f"Query condition missed key schema element: {range_key}")
            raise ValidationException("Query key condition not supported")


def build_key_condition(
    terms: dict[str, tuple[str, tuple[dict, ...]]], hash_key: str, range_key: str | None, key_types: dict[str, str]
) -> KeyCondition:
    """Checks the terms against the table's (or index's) key schema, as both KeyConditions and expressions do."""
    check_key_names(terms, hash_key, range_key)
    hash_op, hash_values = terms[hash_key]
    if hash_op != "EQ":
        raise ValidationException("Query key condition not supported")
    for name, (_, values) in terms.items():
        wanted = key_types.get(name)
        if wanted and any(type_of(v) != wanted for v in values):
            raise ValidationException(
                "One or more parameter values were invalid: Condition parameter type does not match schema type"
            )
    range_op, range_values = terms.get(range_key or "", (None, ()))
    return KeyCondition(hash_key, hash_values[0], range_key, range_op, tuple(range_values))


def to_key_condition(
    tree: ast.Condition, hash_key: str, range_key: str | None, key_types: dict[str, str]
) -> KeyCondition:
    terms: dict[str, tuple[str, tuple[dict, ...]]] = {}
    for node in leaves(tree):
        name, op, values = key_term(node)
        if name in terms:
            raise ValidationException("KeyConditionExpressions must only contain one condition per key")
        terms[name] = (op, values)
    return build_key_condition(terms, hash_key, range_key, key_types)
