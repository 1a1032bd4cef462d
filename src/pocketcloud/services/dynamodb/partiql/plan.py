"""What a WHERE clause says about keys: the partition key values it pins, the sort key condition, the rest.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.select.html
Only top-level AND terms count: `pk = v`, `pk IN [...]` and a sort key comparison, BETWEEN or begins_with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ValidationException
from ..expressions import ast
from ..expressions.attributes import equals
from ..expressions.keycondition import leaves

MANDATORY_KEY = "Where clause does not contain a mandatory equality on all key attributes"
OVERLAP = "Overlapping conditions with range keys are not supported in where clause"


@dataclass(frozen=True)
class KeyTerms:
    hash_values: tuple[dict[str, Any], ...]  # empty: the partition key is not pinned
    range_term: ast.Condition | None


def _literal_side(node: ast.Compare, name: str) -> dict[str, Any] | None:
    for path, other in ((node.left, node.right), (node.right, node.left)):
        if isinstance(path, ast.Path) and path.parts == (name,) and isinstance(other, ast.Literal):
            return other.value
    return None


def key_terms(where: ast.Condition | None, hash_name: str, range_name: str | None) -> KeyTerms:
    hash_values: tuple[dict[str, Any], ...] = ()
    range_term = None
    for node in leaves(where) if where is not None else ():
        if not hash_values:
            if isinstance(node, ast.Compare) and node.op == "=":
                value = _literal_side(node, hash_name)
                if value is not None:
                    hash_values = (value,)
                    continue
            if (isinstance(node, ast.In) and isinstance(node.operand, ast.Path) and node.operand.parts == (hash_name,)
                    and all(isinstance(c, ast.Literal) for c in node.choices)):
                seen: list[dict[str, Any]] = []
                for choice in node.choices:
                    if any(equals(choice.value, earlier) for earlier in seen):  # type: ignore[union-attr]
                        raise ValidationException(OVERLAP)
                    seen.append(choice.value)  # type: ignore[union-attr]
                hash_values = tuple(seen)
                continue
        if range_name is not None and range_term is None and _is_range_term(node, range_name):
            range_term = node
    return KeyTerms(hash_values, range_term)


def _is_range_term(node: ast.Condition, name: str) -> bool:
    key = ast.Path((name,))
    if isinstance(node, ast.Compare) and node.op != "<>":
        return (node.left == key and isinstance(node.right, ast.Literal)) or (
            node.right == key and isinstance(node.left, ast.Literal))
    if isinstance(node, ast.Between):
        return node.operand == key and isinstance(node.low, ast.Literal) and isinstance(node.high, ast.Literal)
    if isinstance(node, ast.Call) and node.name == "begins_with":
        return node.args[0] == key and isinstance(node.args[1], ast.Literal)
    return False


def item_key_and_rest(
    where: ast.Condition | None, hash_name: str, range_name: str | None,
) -> tuple[dict[str, Any], ast.Condition | None]:
    """For UPDATE/DELETE (and batch/transaction SELECT): the key the WHERE pins by equality, and the AND of
    every other term (the write's condition). Refuses a WHERE that does not pin the whole key."""
    key: dict[str, Any] = {}
    rest: list[ast.Condition] = []
    names = [hash_name] + ([range_name] if range_name else [])
    for node in leaves(where) if where is not None else ():
        if isinstance(node, ast.Compare) and node.op == "=":
            for name in names:
                value = _literal_side(node, name)
                if value is not None:
                    if name in key:
                        raise ValidationException(
                            f"Multiple conditions on same key {name}. Only single item Update/Insert/Delete are supported")
                    key[name] = value
                    break
            else:
                rest.append(node)
            continue
        if _names_key(node, hash_name):
            raise ValidationException(f"Only single equality condition should be present on hash key {hash_name}")
        rest.append(node)
    if len(key) != len(names):
        raise ValidationException(MANDATORY_KEY)
    condition: ast.Condition | None = None
    for node in rest:
        condition = node if condition is None else ast.And(condition, node)
    return key, condition


def _names_key(node: ast.Condition, name: str) -> bool:
    """A top-level term that compares the key itself (IN, BETWEEN, <, begins_with ...), not a path inside it."""
    operands = ast.children(node) if not isinstance(node, ast.Call) else node.args[:1]
    return any(isinstance(o, ast.Path) and o.parts == (name,) for o in operands)
