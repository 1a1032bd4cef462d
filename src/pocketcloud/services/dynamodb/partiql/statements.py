"""The statements a DynamoDB PartiQL request can hold, as the parser builds them.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.statements.html
WHERE clauses, SET values and projections are nodes of the expression engine's AST (expressions/ast.py),
with every literal and `?` parameter already turned into an AttributeValue, so conditions and updates run on
the same evaluator and updater as ConditionExpression and UpdateExpression.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..expressions import ast


@dataclass(frozen=True)
class Target:
    table: str
    index: str | None = None


@dataclass(frozen=True)
class Returning:
    """RETURNING ALL|MODIFIED OLD|NEW *"""

    which: str  # ALL | MODIFIED
    age: str  # OLD | NEW

    def label(self) -> str:
        return f"RETURNING {self.which} {self.age} *"


@dataclass(frozen=True)
class Select:
    target: Target
    paths: tuple[ast.Path, ...] | None  # None: SELECT *
    where: ast.Condition | None
    order_by: tuple[tuple[ast.Path, bool], ...] = ()  # (path, descending) per ORDER BY term


@dataclass(frozen=True)
class Insert:
    target: Target
    item: dict


@dataclass(frozen=True)
class Update:
    target: Target
    actions: tuple[ast.Action, ...]
    where: ast.Condition | None
    returning: Returning | None = None


@dataclass(frozen=True)
class Delete:
    target: Target
    where: ast.Condition | None
    returning: Returning | None = None


@dataclass(frozen=True)
class Exists:
    """EXISTS(SELECT ...): a condition check inside ExecuteTransaction."""

    select: Select


Statement = Union[Select, Insert, Update, Delete, Exists]


def is_read(statement: Statement) -> bool:
    return isinstance(statement, Select)
