"""The passes that run between parsing and execution: function names and misuse, reserved words, placeholder
resolution, operand counts and types, limits, and update path overlaps — in the order AWS reports them.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-parameters
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.attributes import type_of
from pocketcloud.services.dynamodb.expressions.reserved import is_reserved

CONDITION_FUNCTIONS = {
    "attribute_exists": 1,
    "attribute_not_exists": 1,
    "attribute_type": 2,
    "begins_with": 2,
    "contains": 2,
    "size": 1,
}
UPDATE_FUNCTIONS = {"if_not_exists": 2, "list_append": 2}
ATTRIBUTE_TYPES = ("S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M")
MAX_OPERATORS = 300
MAX_IN_OPERANDS = 100
MAX_PATH_DEPTH = 32
TYPE_WORDS = {"S": "STRING", "N": "NUMBER", "B": "BINARY", "NULL": "NULL", "BOOL": "BOOLEAN", "L": "LIST", "M": "MAP"}


class Placeholders:
    """ExpressionAttributeNames/Values of one request, and which of them the request's expressions used."""

    def __init__(self, names: dict[str, str] | None, values: dict[str, dict] | None) -> None:
        self.names = names or {}
        self.values = values or {}
        self.used_names: set[str] = set()
        self.used_values: set[str] = set()


def walk(node: object) -> Iterator[object]:
    """Every node under `node` (itself included), in document order."""
    yield node
    for child in ast.children(node):
        yield from walk(child)


def rebuild(node: object, fn: Callable[[object], object]) -> object:
    """A copy of the tree with `fn` applied bottom-up to every node."""
    if isinstance(node, ast.Path) or not dataclasses.is_dataclass(node):
        return fn(node)
    changes = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple):
            changes[f.name] = tuple(rebuild(v, fn) for v in value)
        elif dataclasses.is_dataclass(value):
            changes[f.name] = rebuild(value, fn)
    return fn(dataclasses.replace(node, **changes))  # type: ignore[type-var]


def fail(kind: str, message: str) -> ValidationException:
    return ValidationException(f"Invalid {kind}: {message}")


# -- shared passes -----------------------------------------------------------------------------------------
def check_function_names(tree: object, kind: str, allowed: dict[str, int]) -> None:
    for node in walk(tree):
        if isinstance(node, ast.Call) and node.name not in allowed:
            raise fail(kind, f"Invalid function name; function: {node.name}")


def check_reserved(tree: object, kind: str) -> None:
    for node in walk(tree):
        if isinstance(node, ast.Path):
            for part in node.parts:
                if isinstance(part, str) and is_reserved(part):
                    raise fail(kind, f"Attribute name is a reserved keyword; reserved keyword: {part}")


def resolve(tree: object, kind: str, placeholders: Placeholders, names_first: bool = False) -> object:
    """Swap `#n` and `:v` for their meaning, raising AWS's error for the first one that is not defined."""
    missing: list[tuple[int, str]] = []

    def substitute(node: object) -> object:
        if isinstance(node, ast.Path):
            parts = []
            for part in node.parts:
                if isinstance(part, ast.NameRef):
                    if part.key not in placeholders.names:
                        missing.append((0, f"An expression attribute name used in the document path is not defined; "
                                           f"attribute name: {part.key}"))
                        return node
                    placeholders.used_names.add(part.key)
                    part = placeholders.names[part.key]
                parts.append(part)
            return ast.Path(tuple(parts))
        if isinstance(node, ast.ValueRef):
            if node.key not in placeholders.values:
                missing.append((1, f"An expression attribute value used in expression is not defined; "
                                   f"attribute value: {node.key}"))
                return node
            placeholders.used_values.add(node.key)
            return ast.Literal(placeholders.values[node.key])
        return node

    resolved = rebuild(tree, substitute)
    if missing:
        raise fail(kind, min(missing)[1] if names_first else missing[0][1])
    return resolved


def check_path_depth(tree: object, kind: str) -> None:
    for node in walk(tree):
        if isinstance(node, ast.Path) and len(node.parts) > MAX_PATH_DEPTH:
            raise fail(kind, f"The document path has too many nesting levels; nesting levels: {len(node.parts)}")


def count_operators(tree: object, kind: str) -> None:
    operators = (ast.Compare, ast.Between, ast.In, ast.And, ast.Or, ast.Not, ast.Call, ast.Arithmetic)
    count = sum(1 for node in walk(tree) if isinstance(node, operators))
    if count > MAX_OPERATORS:
        raise fail(kind, f"The expression contains too many operators; operator count: {count}")


def literal_type(node: object) -> str | None:
    return type_of(node.value) if isinstance(node, ast.Literal) else None


def check_arity(node: ast.Call, kind: str, allowed: dict[str, int]) -> None:
    if len(node.args) != allowed[node.name]:
        raise fail(kind, f"Incorrect number of operands for operator or function; operator or function: "
                         f"{node.name}, number of operands: {len(node.args)}")


def operand_type_error(kind: str, function: str, type_name: str) -> ValidationException:
    return fail(kind, f"Incorrect operand type for operator or function; operator or function: {function}, "
                      f"operand type: {type_name}")


def render(value: dict) -> str:
    kind = type_of(value)
    return f"AttributeValue: {{{kind}:{value[kind]}}}"
