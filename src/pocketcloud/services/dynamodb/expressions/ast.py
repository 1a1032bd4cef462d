"""The expression AST shared by every expression kind (condition, filter, key condition, update, projection).

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
The parser builds it with placeholders unresolved; `resolve.py` swaps `#n` and `:v` for what they stand for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class NameRef:
    """`#n` inside a document path, before resolution."""

    key: str


@dataclass(frozen=True)
class Path:
    """A document path: attribute names (str) and list indexes (int). `a.b[2]` is ("a", "b", 2)."""

    parts: tuple[str | NameRef | int, ...]

    @property
    def head(self) -> str:
        head = self.parts[0]
        assert isinstance(head, str), "unresolved path"
        return head

    def label(self) -> str:
        """AWS's rendering in messages: `[a, b, [2]]`."""
        return "[" + ", ".join(f"[{p}]" if isinstance(p, int) else str(p) for p in self.parts) + "]"


@dataclass(frozen=True)
class ValueRef:
    """`:v`, before resolution."""

    key: str


@dataclass(frozen=True)
class Literal:
    """A resolved expression attribute value, in wire form."""

    value: dict


@dataclass(frozen=True)
class Call:
    """A function call: size(a), begins_with(a, :v), if_not_exists(a, :v), list_append(a, :b) ..."""

    name: str
    args: tuple[Operand, ...]


@dataclass(frozen=True)
class Arithmetic:
    """`x + y` or `x - y` on the right of SET."""

    op: str
    left: Operand
    right: Operand


Operand = Union[Path, ValueRef, Literal, Call, Arithmetic]


@dataclass(frozen=True)
class Compare:
    op: str  # one of = <> < <= > >=
    left: Operand
    right: Operand


@dataclass(frozen=True)
class Between:
    operand: Operand
    low: Operand
    high: Operand


@dataclass(frozen=True)
class In:
    operand: Operand
    choices: tuple[Operand, ...]


@dataclass(frozen=True)
class And:
    left: Condition
    right: Condition


@dataclass(frozen=True)
class Or:
    left: Condition
    right: Condition


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class TrueCondition:
    """Always true; the legacy converters use it for an empty Expected map."""


Condition = Union[Compare, Between, In, And, Or, Not, Call, TrueCondition]


@dataclass(frozen=True)
class SetAction:
    path: Path
    value: Operand


@dataclass(frozen=True)
class RemoveAction:
    path: Path


@dataclass(frozen=True)
class AddAction:
    path: Path
    value: Operand


@dataclass(frozen=True)
class DeleteAction:
    path: Path
    value: Operand


Action = Union[SetAction, RemoveAction, AddAction, DeleteAction]


@dataclass(frozen=True)
class UpdateExpression:
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class ProjectionExpression:
    paths: tuple[Path, ...]


Node = Union[Operand, Condition, Action, UpdateExpression, ProjectionExpression]


def children(node: object) -> tuple[object, ...]:
    """The direct sub-nodes of `node`, for passes that walk the whole tree."""
    if isinstance(node, Call):
        return node.args
    if isinstance(node, (Arithmetic, Compare, And, Or)):
        return (node.left, node.right)
    if isinstance(node, Between):
        return (node.operand, node.low, node.high)
    if isinstance(node, In):
        return (node.operand, *node.choices)
    if isinstance(node, Not):
        return (node.operand,)
    if isinstance(node, (SetAction, AddAction, DeleteAction)):
        return (node.path, node.value)
    if isinstance(node, RemoveAction):
        return (node.path,)
    if isinstance(node, UpdateExpression):
        return node.actions
    if isinstance(node, ProjectionExpression):
        return node.paths
    return ()
