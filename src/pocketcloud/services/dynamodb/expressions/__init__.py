"""DynamoDB's expression engine: one pipeline (tokenize → parse → validate/resolve → execute) for condition,
filter, key condition, update and projection expressions, plus the legacy parameters converted to the same AST.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.html
Operations create one `ExpressionContext` per request (per transaction item), build what they need from it,
then call `check_unused()` once every expression of the request has been read.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ast, legacy
from pocketcloud.services.dynamodb.expressions.evaluator import evaluate
from pocketcloud.services.dynamodb.expressions.keycondition import KeyCondition, to_key_condition
from pocketcloud.services.dynamodb.expressions import parser as _parser
from pocketcloud.services.dynamodb.expressions.projection import project
from pocketcloud.services.dynamodb.expressions.updater import apply_update
from pocketcloud.services.dynamodb.expressions.validate import (
    Placeholders,
    check_function_names,
    check_path_depth,
    check_reserved,
    resolve,
)
from pocketcloud.services.dynamodb.expressions.validate_condition import check_condition
from pocketcloud.services.dynamodb.expressions.validate_update import check_overlaps, check_update

__all__ = [
    "Condition",
    "ExpressionContext",
    "KeyCondition",
    "Projection",
    "Update",
    "check_expression_parameters",
    "legacy",
]

_NAME_KEY = re.compile(r"#[0-9A-Za-z_]+")
_VALUE_KEY = re.compile(r":[0-9A-Za-z_]+")


# Parsing is pure and its results are immutable, and clients send the same few expression strings over and over:
# keep the parse of each one (about 20 µs saved per expression). Placeholder resolution still runs per request.
parse_condition = functools.lru_cache(maxsize=1024)(_parser.parse_condition)
parse_update = functools.lru_cache(maxsize=1024)(_parser.parse_update)
parse_projection = functools.lru_cache(maxsize=1024)(_parser.parse_projection)


@dataclass(frozen=True)
class Condition:
    """A ConditionExpression, FilterExpression or legacy condition, ready to test items."""

    tree: ast.Condition

    def evaluate(self, item: dict | None) -> bool:
        return evaluate(self.tree, item)


@dataclass(frozen=True)
class Update:
    """An UpdateExpression or AttributeUpdates, ready to apply."""

    tree: ast.UpdateExpression

    def apply(self, item: dict | None) -> dict:
        """The updated copy of `item` (None for a new item); the caller adds the key attributes."""
        return apply_update(self.tree, item)

    @property
    def updated_paths(self) -> tuple[ast.Path, ...]:
        return tuple(action.path for action in self.tree.actions)

    @property
    def updated_attributes(self) -> frozenset[str]:
        """Top-level attribute names the update touches (SET, REMOVE, ADD, DELETE alike)."""
        return frozenset(path.head for path in self.updated_paths)

    def project_updated(self, item: dict | None) -> dict:
        """`item` cut down to the updated paths: the UPDATED_OLD (old item) / UPDATED_NEW (new item) answer."""
        return project(item or {}, self.updated_paths)


@dataclass(frozen=True)
class Projection:
    """A ProjectionExpression or AttributesToGet."""

    tree: ast.ProjectionExpression

    def apply(self, item: dict) -> dict:
        return project(item, self.tree.paths)

    @property
    def attributes(self) -> frozenset[str]:
        return frozenset(path.head for path in self.tree.paths)


class ExpressionContext:
    """The ExpressionAttributeNames/Values of one request and every expression parsed against them."""

    def __init__(self, names: dict[str, str] | None, values: dict[str, dict] | None) -> None:
        _check_keys("ExpressionAttributeNames", names, _NAME_KEY)
        _check_keys("ExpressionAttributeValues", values, _VALUE_KEY)
        self.placeholders = Placeholders(names, values)

    def condition(self, expr: str, kind: str = "ConditionExpression") -> Condition:
        """`kind` names the parameter in messages: ConditionExpression or FilterExpression."""
        tree, redundant = parse_condition(expr, kind)
        return Condition(check_condition(tree, redundant, kind, self.placeholders))

    def update(self, expr: str) -> Update:
        tree, repeated = parse_update(expr)
        return Update(check_update(tree, repeated, self.placeholders))

    def projection(self, expr: str) -> Projection:
        kind = "ProjectionExpression"
        tree = parse_projection(expr)
        check_function_names(tree, kind, {})
        check_reserved(tree, kind)
        resolved: ast.ProjectionExpression = resolve(tree, kind, self.placeholders)  # type: ignore[assignment]
        check_path_depth(resolved, kind)
        check_overlaps(list(resolved.paths), kind)
        return Projection(resolved)

    def key_condition(
        self, expr: str, hash_key: str, range_key: str | None, key_types: dict[str, str]
    ) -> KeyCondition:
        """`key_types` maps key attribute names to their schema type ("S", "N" or "B")."""
        kind = "KeyConditionExpression"
        tree, redundant = parse_condition(expr, kind)
        resolved = check_condition(tree, redundant, kind, self.placeholders)
        return to_key_condition(resolved, hash_key, range_key, key_types)

    def check_unused(self) -> None:
        for label, given, used in (
            ("ExpressionAttributeNames", self.placeholders.names, self.placeholders.used_names),
            ("ExpressionAttributeValues", self.placeholders.values, self.placeholders.used_values),
        ):
            unused = [key for key in given if key not in used]
            if unused:
                raise ValidationException(
                    f"Value provided in {label} unused in expressions: keys: {{{', '.join(unused)}}}"
                )


def _check_keys(label: str, mapping: dict | None, pattern: re.Pattern[str]) -> None:
    if mapping is None:
        return
    if not mapping:
        raise ValidationException(f"{label} must not be empty")
    for key, value in mapping.items():
        if not pattern.fullmatch(key):
            raise ValidationException(f'{label} contains invalid key: Syntax error; key: "{key}"')
        if value == "" and label == "ExpressionAttributeNames":
            # An empty name would reach the item as an attribute called "".
            raise ValidationException(f"{label} contains invalid value: Empty attribute name for key {key}")


def check_expression_parameters(params: dict, expressions: list[str], non_expressions: list[str]) -> None:
    """AWS's rules on mixing legacy and expression parameters, e.g. for UpdateItem
    `check_expression_parameters(body, ["UpdateExpression", "ConditionExpression"], ["AttributeUpdates", "Expected"])`.
    List them in the order AWS does (the operation's documented order); messages quote them in that order.
    """
    used = [name for name in expressions if params.get(name) is not None]
    if used:
        legacy_names = list(non_expressions)
        # KeyConditions may accompany FilterExpression/ProjectionExpression when no KeyConditionExpression is given.
        if params.get("KeyConditions") is not None and params.get("KeyConditionExpression") is None:
            legacy_names = [n for n in legacy_names if n != "KeyConditions"]
        legacy_used = [name for name in legacy_names if params.get(name) is not None]
        if legacy_used:
            raise ValidationException(
                "Can not use both expression and non-expression parameters in the same request: "
                f"Non-expression parameters: {{{', '.join(legacy_used)}}} "
                f"Expression parameters: {{{', '.join(used)}}}"
            )
    if params.get("ExpressionAttributeNames") is not None and not used:
        raise ValidationException("ExpressionAttributeNames can only be specified when using expressions")
    value_expressions = [name for name in expressions if name != "ProjectionExpression"]
    if (
        value_expressions
        and params.get("ExpressionAttributeValues") is not None
        and all(params.get(name) is None for name in value_expressions)
    ):
        verb = "are" if len(value_expressions) > 1 else "is"
        raise ValidationException(
            "ExpressionAttributeValues can only be specified when using expressions: "
            f"{' and '.join(value_expressions)} {verb} null"
        )
