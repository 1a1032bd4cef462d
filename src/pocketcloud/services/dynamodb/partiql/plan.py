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
from ..expressions.validate import walk

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


# -- OR branches ---------------------------------------------------------------------------------------------

_MAX_BRANCHES = 64
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}


def _branches(node: ast.Condition) -> list[list[ast.Condition]] | None:
    """The WHERE as an OR of AND-ed terms (None when that grows past _MAX_BRANCHES)."""
    if isinstance(node, ast.Or):
        left, right = _branches(node.left), _branches(node.right)
        if left is None or right is None or len(left) + len(right) > _MAX_BRANCHES:
            return None
        return left + right
    if isinstance(node, ast.And):
        left, right = _branches(node.left), _branches(node.right)
        if left is None or right is None or len(left) * len(right) > _MAX_BRANCHES:
            return None
        return [a + b for a in left for b in right]
    return [[node]]


def check_overlap(where: ast.Condition | None, hash_name: str, range_name: str | None,
                  encode: Any, hash_type: str, range_type: str | None) -> None:
    """DynamoDB refuses OR branches that read the same partition over sort key ranges that overlap (a branch
    without a sort key condition reads the whole partition). A branch whose sort key condition is negated or
    `<>` is left out, as DynamoDB leaves it out; so is any branch that does not pin the partition key."""
    # Only an OR that names a key attribute splits the read (all captured refusals have one); an OR of plain
    # filters beside a pinned partition key, `pk = 'a' AND (f = 1 OR f = 2)`, stays one read.
    names = {hash_name, range_name} - {None}
    if where is None or not any(
        isinstance(n, ast.Or) and any(_touches(n, name) for name in names) for n in walk(where)  # type: ignore[arg-type]
    ):
        return
    branches = _branches(where)
    if branches is None or len(branches) < 2:
        return
    reads: list[tuple[bytes, tuple[Any, Any]]] = []
    for terms in branches:
        partition = None
        sort_range: tuple[Any, Any] | None = (None, None)
        for node in terms:
            if isinstance(node, ast.Compare) and node.op == "=" and partition is None:
                value = _literal_side(node, hash_name)
                if value is not None and hash_type in value:
                    partition = encode(hash_type, value[hash_type])
                    continue
            if range_name is None:
                continue
            if _touches(node, range_name) and not _is_range_term(node, range_name):
                sort_range = None  # NOT / <> / IN on the sort key: not a range DynamoDB compares
                break
            if _is_range_term(node, range_name) and sort_range is not None:
                bounds = _bounds_of(node, range_name, range_type, encode)
                sort_range = None if bounds is None else _intersect(sort_range, bounds)
        if partition is not None and sort_range is not None:
            reads.append((partition, sort_range))
    for i, (partition, span) in enumerate(reads):
        for other_partition, other_span in reads[i + 1:]:
            if partition == other_partition and _intersect(span, other_span) is not None:
                raise ValidationException(OVERLAP)


def _touches(node: ast.Condition, name: str) -> bool:
    return any(isinstance(n, ast.Path) and n.parts == (name,) for n in walk(node))


def _bounds_of(node: ast.Condition, name: str, kind: str | None, encode: Any) -> tuple[Any, Any] | None:
    """(low, high) as (bytes, inclusive) pairs, None for unbounded ends; None when a value has another type."""
    def enc(value: dict[str, Any]) -> bytes | None:
        return encode(kind, value[kind]) if kind in value else None

    if isinstance(node, ast.Between):
        low, high = enc(node.low.value), enc(node.high.value)  # type: ignore[union-attr]
        return None if low is None or high is None else ((low, True), (high, True))
    if isinstance(node, ast.Call):  # begins_with
        prefix = enc(node.args[1].value)  # type: ignore[union-attr]
        return None if prefix is None else ((prefix, True), (prefix + b"\xff" * 8, True))
    assert isinstance(node, ast.Compare)
    op, other = (node.op, node.right) if node.left == ast.Path((name,)) else (_FLIP[node.op], node.left)
    value = enc(other.value)  # type: ignore[union-attr]
    if value is None:
        return None
    return {"=": ((value, True), (value, True)), "<": (None, (value, False)), "<=": (None, (value, True)),
            ">": ((value, False), None), ">=": ((value, True), None)}[op]


def _intersect(a: tuple[Any, Any], b: tuple[Any, Any]) -> tuple[Any, Any] | None:
    low = max((x for x in (a[0], b[0]) if x is not None), key=lambda x: (x[0], not x[1]), default=None)
    high = min((x for x in (a[1], b[1]) if x is not None), key=lambda x: (x[0], x[1]), default=None)
    if low is not None and high is not None:
        if low[0] > high[0] or (low[0] == high[0] and not (low[1] and high[1])):
            return None
    return (low, high)
