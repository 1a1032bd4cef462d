"""Applies a resolved update expression to an item: SET (+, -, list_append, if_not_exists), REMOVE, ADD, DELETE.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
Every right-hand side reads the item as it was before the update, so all values are computed first.
"""

from __future__ import annotations

import copy

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.attributes import (
    DECIMALS,
    SETS,
    format_number,
    get_path,
    number,
    set_members,
    type_of,
)
from pocketcloud.services.dynamodb.values import validate_attribute_value

INVALID_PATH = "The document path provided in the update expression is invalid for update"
WRONG_TYPE = "An operand in the update expression has an incorrect data type"
MISSING_OPERAND = "The provided expression refers to an attribute that does not exist in the item"


def apply_update(tree: ast.UpdateExpression, item: dict | None) -> dict:
    original = item or {}
    new = copy.deepcopy(original)
    values = [operand(action.value, original) if isinstance(action, ast.SetAction) else None
              for action in tree.actions]
    removals: list[ast.Path] = []
    for action, value in zip(tree.actions, values):
        if isinstance(action, ast.SetAction):
            check_depth(action.path.parts, value)  # type: ignore[arg-type]
            assign(new, action.path.parts, value)  # type: ignore[arg-type]
        elif isinstance(action, ast.RemoveAction):
            removals.append(action.path)
        elif isinstance(action, ast.AddAction):
            add(new, action.path.parts, action.value.value)  # type: ignore[union-attr]
        elif isinstance(action, ast.DeleteAction):
            delete(new, action.path.parts, action.value.value)  # type: ignore[union-attr]
    # Indexes name elements of the list as it was: remove from the highest index down so none shifts early.
    for path in sorted(removals, key=lambda p: [(-x if isinstance(x, int) else 0) for x in p.parts]):
        remove(new, path.parts)
    return new


def operand(node: ast.Operand, item: dict) -> dict:
    if isinstance(node, ast.Literal):
        return node.value
    if isinstance(node, ast.Path):
        value = get_path(item, node.parts)
        if value is None:
            raise ValidationException(MISSING_OPERAND)
        return value
    if isinstance(node, ast.Arithmetic):
        left, right = operand(node.left, item), operand(node.right, item)
        if type_of(left) != "N" or type_of(right) != "N":
            raise ValidationException(WRONG_TYPE)
        a, b = number(left["N"]), number(right["N"])
        # The module context (not the thread's default 28-digit one) keeps sums exact for the 38-digit check.
        return {"N": format_number(DECIMALS.add(a, b) if node.op == "+" else DECIMALS.subtract(a, b))}
    if isinstance(node, ast.Call) and node.name == "if_not_exists":
        existing = get_path(item, node.args[0].parts)  # type: ignore[union-attr]
        return existing if existing is not None else operand(node.args[1], item)
    if isinstance(node, ast.Call) and node.name == "list_append":
        first, second = operand(node.args[0], item), operand(node.args[1], item)
        if type_of(first) != "L" or type_of(second) != "L":
            raise ValidationException(WRONG_TYPE)
        return {"L": first["L"] + second["L"]}
    raise TypeError(f"not an update operand: {node!r}")


def check_depth(parts: tuple, value: dict) -> None:
    """Refuse a SET that would nest the item deeper than DynamoDB allows: the value sits at level len(parts).
    The words are PutItem's for too deep an item (assumed: no capture of an UpdateItem nesting too deep)."""
    if len(parts) > 1:  # a top-level attribute's value (a validated literal, or made of them) is within the limit
        validate_attribute_value(value, len(parts))


def parent_of(item: dict, parts: tuple) -> dict | list:
    """The map or list that holds the last step of `parts`; AWS refuses paths through missing or scalar values."""
    container: dict | list = item
    for i, part in enumerate(parts[:-1]):
        value = _step(container, part)
        if value is None:
            raise ValidationException(INVALID_PATH)
        wanted = "L" if isinstance(parts[i + 1], int) else "M"
        if type_of(value) != wanted:
            raise ValidationException(INVALID_PATH)
        container = value[wanted]
    return container


def _step(container: dict | list, part: str | int) -> dict | None:
    if isinstance(part, int):
        return container[part] if isinstance(container, list) and part < len(container) else None
    return container.get(part) if isinstance(container, dict) else None


def assign(item: dict, parts: tuple, value: dict) -> None:
    container = parent_of(item, parts)
    last = parts[-1]
    if isinstance(last, int):
        assert isinstance(container, list)
        if last < len(container):
            container[last] = value
        else:
            container.append(value)  # AWS appends when the index is past the end
    else:
        container[last] = value  # type: ignore[index]


def remove(item: dict, parts: tuple) -> None:
    try:
        container = parent_of(item, parts)
    except ValidationException:
        if len(parts) > 1 and get_path(item, parts[:1]) is None:
            return
        raise
    last = parts[-1]
    if isinstance(last, int):
        if last < len(container):
            del container[last]  # type: ignore[arg-type]
    else:
        container.pop(last, None)  # type: ignore[union-attr, call-arg]


def add(item: dict, parts: tuple, value: dict) -> None:
    existing = get_path(item, parts)
    kind = type_of(value)
    if existing is None:
        assign(item, parts, {"N": format_number(number(value["N"]))} if kind == "N" else copy.deepcopy(value))
        return
    if type_of(existing) != kind:
        raise ValidationException(WRONG_TYPE)
    if kind == "N":
        assign(item, parts, {"N": format_number(DECIMALS.add(number(existing["N"]), number(value["N"])))})
    elif kind in SETS:
        assign(item, parts, {kind: _union(existing, value)})
    else:
        raise ValidationException(WRONG_TYPE)


def delete(item: dict, parts: tuple, value: dict) -> None:
    existing = get_path(item, parts)
    if existing is None:
        parent_of(item, parts)  # a missing attribute is fine; a path through a non-map is not
        return
    kind = type_of(value)
    if type_of(existing) != kind or kind not in SETS:
        raise ValidationException(WRONG_TYPE)
    drop = set(set_members(value))
    kept = [raw for raw, key in zip(existing[kind], set_members(existing)) if key not in drop]
    if kept:
        assign(item, parts, {kind: kept})
    else:
        remove(item, parts)  # DynamoDB has no empty sets: removing the last member removes the attribute


def _union(existing: dict, value: dict) -> list:
    kind = type_of(existing)
    merged, seen = list(existing[kind]), set(set_members(existing))
    for raw, key in zip(value[kind], set_members(value)):
        if key not in seen:
            seen.add(key)
            merged.append(raw)
    return merged
