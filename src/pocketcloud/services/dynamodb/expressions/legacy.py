"""Converts DynamoDB's legacy parameters into the same AST the expressions use: Expected (+ConditionalOperator),
QueryFilter/ScanFilter (+ConditionalOperator), KeyConditions, AttributeUpdates and AttributesToGet.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html
Legacy attribute names are plain top-level names (a dot is part of the name), so each becomes a one-step path.
"""

from __future__ import annotations

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.attributes import order, type_of
from pocketcloud.services.dynamodb.expressions.keycondition import KeyCondition, build_key_condition, check_key_names

_INVALID = "One or more parameter values were invalid: "
_ARGUMENTS = {"EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1, "CONTAINS": 1, "NOT_CONTAINS": 1,
              "BEGINS_WITH": 1, "NULL": 0, "NOT_NULL": 0, "BETWEEN": 2, "IN": None}
_ALLOWED_TYPES = {
    # BOOL joined EQ/NE in 2026 (nubo-db/dynamodb-conformance captures: QueryFilter EQ on a BOOL filters).
    "EQ": ("S", "N", "B", "SS", "NS", "BS", "BOOL"), "NE": ("S", "N", "B", "SS", "NS", "BS", "BOOL"),
    "LE": ("S", "N", "B"), "LT": ("S", "N", "B"), "GE": ("S", "N", "B"), "GT": ("S", "N", "B"),
    "CONTAINS": ("S", "N", "B"), "NOT_CONTAINS": ("S", "N", "B"), "BEGINS_WITH": ("S", "B"),
    "IN": ("S", "N", "B"), "BETWEEN": ("S", "N", "B"),
}
_COMPARATORS = {"EQ": "=", "NE": "<>", "LE": "<=", "LT": "<", "GE": ">=", "GT": ">"}


def _combine(terms: list[ast.Condition], operator: str | None) -> ast.Condition:
    if not terms:
        return ast.TrueCondition()
    node = terms[0]
    for term in terms[1:]:
        node = ast.Or(node, term) if operator == "OR" else ast.And(node, term)
    return node


def comparison(name: str, operator: str, values: list[dict]) -> ast.Condition:
    """One legacy ComparisonOperator on attribute `name`, as an expression node."""
    path = ast.Path((name,))
    literals = [ast.Literal(v) for v in values]
    if operator in _COMPARATORS:
        return ast.Compare(_COMPARATORS[operator], path, literals[0])
    if operator == "NULL":
        return ast.Call("attribute_not_exists", (path,))
    if operator == "NOT_NULL":
        return ast.Call("attribute_exists", (path,))
    if operator == "CONTAINS":
        return ast.Call("contains", (path, literals[0]))
    if operator == "NOT_CONTAINS":
        # Legacy NOT_CONTAINS is false for a missing attribute, unlike NOT contains(...).
        return ast.And(ast.Call("attribute_exists", (path,)), ast.Not(ast.Call("contains", (path, literals[0]))))
    if operator == "BEGINS_WITH":
        return ast.Call("begins_with", (path, literals[0]))
    if operator == "IN":
        return ast.In(path, tuple(literals))
    if operator == "BETWEEN":
        return ast.Between(path, literals[0], literals[1])
    raise ValidationException(f"{_INVALID}Unsupported operator on ExpectedAttributeValue: {operator}")


FILTER_ARGUMENT_COUNT = "The attempted filter operation is not supported for the provided filter argument count"


def _count_ok(operator: str, count: int) -> bool:
    wanted = _ARGUMENTS.get(operator)
    return not ((wanted is None and count < 1) or (wanted is not None and count != wanted))


def _check_count(operator: str, count: int) -> None:
    if not _count_ok(operator, count):
        raise ValidationException(f"{_INVALID}Invalid number of argument(s) for the {operator} ComparisonOperator")


def check_condition_counts(conditions: dict[str, dict] | None) -> None:
    """KeyConditions, QueryFilter and ScanFilter (not Expected) word a wrong argument count this way."""
    for spec in (conditions or {}).values():
        if not _count_ok(spec.get("ComparisonOperator"), len(spec.get("AttributeValueList") or ())):
            raise ValidationException(FILTER_ARGUMENT_COUNT)


def _check_same_type_and_bounds(operator: str, values: list[dict]) -> None:
    if values and any(type_of(v) != type_of(values[0]) for v in values):
        raise ValidationException(f"{_INVALID}AttributeValues inside AttributeValueList must be of same type")
    if operator == "BETWEEN" and (order(values[0], values[1]) or 0) > 0:
        raise ValidationException(
            "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"
        )


def expected(conditions: dict[str, dict] | None, conditional_operator: str | None = None) -> ast.Condition:
    """Expected (PutItem, UpdateItem, DeleteItem) as a condition tree."""
    terms = []
    for name, spec in (conditions or {}).items():
        has_list, has_value = "AttributeValueList" in spec, "Value" in spec
        if has_list and has_value:
            raise ValidationException(f"{_INVALID}Value and AttributeValueList cannot be used together for "
                                      f"Attribute: {name}")
        operator = spec.get("ComparisonOperator")
        if operator is not None:
            if "Exists" in spec:
                raise ValidationException(f"{_INVALID}Exists and ComparisonOperator cannot be used together for "
                                          f"Attribute: {name}")
            if operator not in ("NULL", "NOT_NULL") and not (has_list or has_value):
                raise ValidationException(f"{_INVALID}Value or AttributeValueList must be used with "
                                          f"ComparisonOperator: {operator} for Attribute: {name}")
            values = spec.get("AttributeValueList") or ([spec["Value"]] if has_value else [])
            _check_count(operator, len(values))
            _check_same_type_and_bounds(operator, values)
            terms.append(comparison(name, operator, values))
        elif has_list:
            raise ValidationException(f"{_INVALID}AttributeValueList can only be used with a ComparisonOperator "
                                      f"for Attribute: {name}")
        else:
            terms.append(_exists_term(name, spec))
    return _combine(terms, conditional_operator)


def _exists_term(name: str, spec: dict) -> ast.Condition:
    exists = spec.get("Exists")
    if exists is None or exists:
        if spec.get("Value") is None:
            shown = "null" if exists is None else "true"
            raise ValidationException(f"{_INVALID}Value must be provided when Exists is {shown} for Attribute: {name}")
        return ast.Compare("=", ast.Path((name,)), ast.Literal(spec["Value"]))
    if spec.get("Value") is not None:
        raise ValidationException(f"{_INVALID}Value cannot be used when Exists is false for Attribute: {name}")
    return ast.Call("attribute_not_exists", (ast.Path((name,)),))


def _checked_conditions(conditions: dict[str, dict]) -> list[tuple[str, str, list[dict]]]:
    """QueryFilter / ScanFilter / KeyConditions entries, validated as AWS does for Condition maps."""
    checked = []
    for name, spec in conditions.items():
        operator = spec.get("ComparisonOperator")
        values = spec.get("AttributeValueList") or []
        if not _count_ok(operator, len(values)):
            raise ValidationException(FILTER_ARGUMENT_COUNT)
        if values and any(type_of(v) != type_of(values[0]) for v in values):
            raise ValidationException(f"{_INVALID}AttributeValues inside AttributeValueList must be of same type")
        for value in values:
            if operator in _ALLOWED_TYPES and type_of(value) not in _ALLOWED_TYPES[operator]:
                raise ValidationException(f"{_INVALID}ComparisonOperator {operator} is not valid for "
                                          f"{type_of(value)} AttributeValue type")
        if operator == "BETWEEN":
            _check_same_type_and_bounds(operator, values)
        checked.append((name, operator, values))
    return checked


def query_filter(conditions: dict[str, dict] | None, conditional_operator: str | None = None) -> ast.Condition:
    """QueryFilter or ScanFilter as a condition tree."""
    terms = [comparison(n, op, v) for n, op, v in _checked_conditions(conditions or {})]
    return _combine(terms, conditional_operator)


scan_filter = query_filter


def key_conditions(
    conditions: dict[str, dict], hash_key: str, range_key: str | None, key_types: dict[str, str]
) -> KeyCondition:
    checked = _checked_conditions(conditions)
    if len(checked) not in (1, 2):
        raise ValidationException("Conditions can be of length 1 or 2 only")
    terms = {name: (operator, tuple(values)) for name, operator, values in checked}
    # A missing key attribute is reported before an operator that no key condition can use.
    check_key_names(terms, hash_key, range_key)
    for _, operator, _ in checked:
        if operator in ("NULL", "NOT_NULL", "CONTAINS", "NOT_CONTAINS", "IN", "NE"):
            raise ValidationException("Attempted conditional constraint is not an indexable operation")
    return build_key_condition(terms, hash_key, range_key, key_types)


def attribute_updates(updates: dict[str, dict]) -> ast.UpdateExpression:
    """AttributeUpdates (UpdateItem) as an update tree. PUT is the default action."""
    actions: list[ast.Action] = []
    for name, spec in updates.items():
        action, value = spec.get("Action") or "PUT", spec.get("Value")
        path = ast.Path((name,))
        if value is None:
            if action != "DELETE":
                raise ValidationException(f"{_INVALID}Only DELETE action is allowed when no attribute value is "
                                          f"specified")
            actions.append(ast.RemoveAction(path))
            continue
        kind = type_of(value)
        if action == "PUT":
            actions.append(ast.SetAction(path, ast.Literal(value)))
        elif action == "DELETE":
            if kind not in ("SS", "NS", "BS"):
                raise ValidationException(f"{_INVALID}DELETE action with value is not supported for the type {kind}")
            actions.append(ast.DeleteAction(path, ast.Literal(value)))
        elif kind == "L":
            # Legacy ADD appends to a list, which expressions spell list_append(if_not_exists(...)).
            start = ast.Call("if_not_exists", (path, ast.Literal({"L": []})))
            actions.append(ast.SetAction(path, ast.Call("list_append", (start, ast.Literal(value)))))
        elif kind in ("N", "SS", "NS", "BS"):
            actions.append(ast.AddAction(path, ast.Literal(value)))
        else:
            raise ValidationException(f"{_INVALID}ADD action is not supported for the type {kind}")
    return ast.UpdateExpression(tuple(actions))


def attributes_to_get(names: list[str]) -> ast.ProjectionExpression:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValidationException(f"{_INVALID}Duplicate value in attribute name: {name}")
        seen.add(name)
    return ast.ProjectionExpression(tuple(ast.Path((name,)) for name in names))
