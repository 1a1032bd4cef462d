"""Property tests: any PartiQL statement text parses or raises ValidationException, never anything else.

Statements are token soup from DynamoDB's PartiQL dialect (keywords, names, literals of every type, functions,
operators, brackets) mixed with junk. Every example that once crashed is pinned with @example.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.validate import walk
from pocketcloud.services.dynamodb.partiql import parse
from pocketcloud.services.dynamodb.values import validate_attribute_value

SETTINGS = settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    "SELECT", "*", "FROM", '"tbl"', '"tbl"."idx"', "tbl", "WHERE", "INSERT", "INTO", "VALUE", "UPDATE", "SET",
    "REMOVE", "DELETE", "RETURNING", "ALL", "MODIFIED", "OLD", "NEW", "EXISTS", "ORDER", "BY", "DESC", "ASC",
    "AND", "OR", "NOT", "BETWEEN", "IN", "IS", "MISSING", "NULL", "TRUE", "FALSE", "AS", "LIKE",
    "pk", "sk", "a", "m", "l", '"a b"', "begins_with", "contains", "attribute_type", "size", "list_append",
    "if_not_exists", "set_add", "set_delete", "unknown",
    "'x'", "''", "'it''s'", "1", "-1", "1.5", "1e10", "1E-130", "9.9999999999999999999999999999999999999E+125",
    "1e999999999999", "<<1, 1.0>>", "<<'x', 'x'>>", "123456789012345678901234567890123456789", "?", "[", "]", "<<", ">>", "{", "}", ":", ",",
    ".", "(", ")", "=", "<>", "!=", "<", "<=", ">", ">=", "+", "-", "[0]", "[99999999999999999999]", "['k']",
]
JUNK = st.sampled_from(list("!@#$%^&|\\;'\"~`é\t\n ") + ["--", "/*", "\u2028"])
TOKEN = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), JUNK)
PARAMETER = st.sampled_from([
    {"S": "x"}, {"N": "1"}, {"L": [{"S": "x"}]}, {"M": {}}, {"SS": ["a"]}, {"NULL": True}, {"BOOL": False},
    {"B": "AQ=="}, {"N": "not a number"}, {"SS": []}, {},
])


@st.composite
def statements(draw) -> str:
    tokens = draw(st.lists(TOKEN, max_size=30))
    return "".join(token + draw(st.sampled_from([" ", " ", ""])) for token in tokens)


def _parse(statement: str, parameters: list | None = None) -> None:
    try:
        stmt = parse(statement, parameters)
    except ValidationException:
        return
    for action in getattr(stmt, "actions", ()):
        if isinstance(action, ast.SetAction):
            # A SET literal reaches the item as it is: it must be a value DynamoDB would store.
            for node in walk(action.value):
                if isinstance(node, ast.Literal):
                    validate_attribute_value(node.value)


@SETTINGS
@given(statements(), st.lists(PARAMETER, max_size=3))
def test_random_statements_parse_or_raise_validation_exception(statement, parameters):
    _parse(statement, parameters)


@SETTINGS
@given(st.sampled_from(["SELECT * FROM tbl WHERE ", "UPDATE tbl SET a = ", "INSERT INTO tbl VALUE {'pk': ",
                        "DELETE FROM tbl WHERE a = 1 AND "]), statements())
@example("UPDATE tbl SET a = ", "<<1, 1.0>> WHERE pk = 'k'")  # stored a number set with duplicates
@example("UPDATE tbl SET a = ", "[<<'x', 'x'>>] WHERE pk = 'k'")
def test_statements_with_a_valid_start_parse_or_raise_validation_exception(start, rest):
    _parse(start + rest)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.sampled_from(["(", "NOT ", "[", "<<", "{'a': ", "size(", "list_append(a, ", "a.", "-"]),
       st.integers(min_value=1, max_value=3000))
@example("(", 3000)  # was RecursionError
@example("[", 3000)
@example("NOT ", 3000)
def test_deeply_nested_statements_raise_validation_exception(unit, times):
    for start in ("SELECT * FROM tbl WHERE ", "UPDATE tbl SET a = ", "INSERT INTO tbl VALUE {'pk': "):
        _parse(start + unit * times)
