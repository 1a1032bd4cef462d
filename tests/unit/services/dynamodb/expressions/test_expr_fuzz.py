"""Property tests: any expression string, any item — the engine answers or raises ValidationException, nothing else.

Strings are built from the grammar's own tokens (names, placeholders, functions, operators, keywords, brackets,
list indexes of any size) mixed with junk, so most reach deep into the parser and validators instead of dying
at the first character. Every example that once crashed is pinned with @example.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ExpressionContext
from pocketcloud.services.dynamodb.values import validate_item

SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_N", 400)), deadline=None,
                    derandomize=not os.environ.get("FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

NAMES = {"#n": "a", "#m": "m", "#l": "l", "#k": "pk", "#s": "sk", "#dot": "a.b", "#r": "size"}
VALUES = {
    ":s": {"S": "abc"},
    ":e": {"S": ""},
    ":n": {"N": "5"},
    ":big": {"N": "9.9999999999999999999999999999999999999E+125"},
    ":tiny": {"N": "1E-130"},
    ":neg": {"N": "-99999999999999999999999999999999999999"},
    ":b": {"B": "AQID"},
    ":t": {"BOOL": True},
    ":null": {"NULL": True},
    ":l": {"L": [{"S": "x"}, {"N": "1"}]},
    ":m": {"M": {"k": {"S": "v"}}},
    ":ss": {"SS": ["a", "b"]},
    ":ns": {"NS": ["1", "2.5"]},
    ":bs": {"BS": ["AQ==", "Ag=="]},
    ":type": {"S": "SS"},
    ":deep": {"M": {"a": {"L": [{"M": {"a": {"S": "x"}}}]}}},
}
for _ in range(14):  # 31 levels: as deep as a value may be and still sit at the top of an item
    VALUES[":deep"] = {"L": [{"M": {"a": VALUES[":deep"]}}]}

WORDS = [
    "a", "b", "m", "l", "pk", "sk", "x_1", "size", "name", "attribute_exists", "attribute_not_exists",
    "attribute_type", "begins_with", "contains", "size", "if_not_exists", "list_append", "unknown_fn",
    "AND", "OR", "NOT", "BETWEEN", "IN", "and", "SET", "REMOVE", "ADD", "DELETE", "set",
    *NAMES, "#undefined", *VALUES, ":undefined",
    "=", "<>", "<", "<=", ">", ">=", "+", "-", "(", ")", "[", "]", ",", ".",
    "[0]", "[1]", "[-1]", "[99999999999999999999999]", "[00]", "0", "1", "12",
]
JUNK = st.sampled_from(list("!@$%^&*{}|\\;'\"?/~`é\x00\t\n :#") + ["\u2028", "\U0001d11e", "::", "##"])
TOKEN = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(WORDS), JUNK)
GLUE = st.sampled_from([" ", " ", "", "\n"])


@st.composite
def token_soup(draw) -> str:
    tokens = draw(st.lists(TOKEN, max_size=25))
    return "".join(token + draw(GLUE) for token in tokens)


# -- structured, mostly valid expressions ------------------------------------------------------------------
PATH_HEAD = st.sampled_from(["a", "m", "l", "pk", "sk", "#n", "#m", "#l", "#dot", "s1", "#undefined"])
PATH_STEP = st.one_of(
    st.sampled_from([".a", ".b", ".k", ".#n", ".#m", "[0]", "[1]", "[2]", "[5]"]),
    st.integers(min_value=0, max_value=10**30).map(lambda i: f"[{i}]"),
)
PATH = st.builds(lambda head, steps: head + "".join(steps), PATH_HEAD, st.lists(PATH_STEP, max_size=4))
VALUE = st.sampled_from(list(VALUES) + [":undefined"])
OPERAND = st.one_of(PATH, VALUE, PATH.map(lambda p: f"size({p})"))


def conditions() -> st.SearchStrategy[str]:
    comparator = st.sampled_from(["=", "<>", "<", "<=", ">", ">="])
    leaf = st.one_of(
        st.builds(lambda a, op, b: f"{a} {op} {b}", OPERAND, comparator, OPERAND),
        st.builds(lambda a, b, c: f"{a} BETWEEN {b} AND {c}", OPERAND, OPERAND, OPERAND),
        st.builds(lambda a, bs: f"{a} IN ({', '.join(bs)})", OPERAND, st.lists(OPERAND, min_size=1, max_size=4)),
        PATH.map(lambda p: f"attribute_exists({p})"),
        PATH.map(lambda p: f"attribute_not_exists({p})"),
        st.builds(lambda p, v: f"attribute_type({p}, {v})", PATH, VALUE),
        st.builds(lambda p, v: f"begins_with({p}, {v})", OPERAND, OPERAND),
        st.builds(lambda p, v: f"contains({p}, {v})", OPERAND, OPERAND),
    )
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda a, b: f"{a} AND {b}", inner, inner),
            st.builds(lambda a, b: f"{a} OR {b}", inner, inner),
            inner.map(lambda a: f"NOT {a}"),
            inner.map(lambda a: f"({a})"),
        ),
        max_leaves=8,
    )


def updates() -> st.SearchStrategy[str]:
    rhs = st.one_of(
        OPERAND.filter(lambda o: not o.startswith("size")),
        st.builds(lambda a, op, b: f"{a} {op} {b}", st.one_of(PATH, VALUE), st.sampled_from("+-"),
                  st.one_of(PATH, VALUE)),
        st.builds(lambda p, v: f"if_not_exists({p}, {v})", PATH, st.one_of(VALUE, PATH)),
        st.builds(lambda a, b: f"list_append({a}, {b})", st.one_of(PATH, VALUE), st.one_of(PATH, VALUE)),
    )
    set_action = st.builds(lambda p, v: f"{p} = {v}", PATH, rhs)
    value_action = st.builds(lambda p, v: f"{p} {v}", PATH, VALUE)
    section = st.one_of(
        st.lists(set_action, min_size=1, max_size=3).map(lambda xs: "SET " + ", ".join(xs)),
        st.lists(PATH, min_size=1, max_size=3).map(lambda xs: "REMOVE " + ", ".join(xs)),
        st.lists(value_action, min_size=1, max_size=2).map(lambda xs: "ADD " + ", ".join(xs)),
        st.lists(value_action, min_size=1, max_size=2).map(lambda xs: "DELETE " + ", ".join(xs)),
    )
    return st.lists(section, min_size=1, max_size=4).map(" ".join)


# -- attribute values of every type -------------------------------------------------------------------------
NUMBER_TEXT = st.one_of(
    st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1).map(str),
    st.builds(lambda m, e: f"{m}E{e}", st.integers(min_value=-9, max_value=9), st.integers(min_value=-129, max_value=125)),
    st.sampled_from(["9.9999999999999999999999999999999999999E+125", "1E-130", "-1E-130", "0.0", "-0",
                     "99999999999999999999999999999999999999", "0.00000000000000000000000000000000000001"]),
)
SCALAR = st.one_of(
    st.text(max_size=8).map(lambda s: {"S": s}),
    NUMBER_TEXT.map(lambda n: {"N": n}),
    st.sampled_from(["", "AQ==", "AQID", "/w=="]).map(lambda b: {"B": b}),
    st.booleans().map(lambda b: {"BOOL": b}),
    st.just({"NULL": True}),
    st.lists(st.text(max_size=4), min_size=1, max_size=4, unique=True).map(lambda xs: {"SS": xs}),
    st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=4, unique=True).map(
        lambda xs: {"NS": [str(x) for x in xs]}),
    st.sampled_from([["AQ=="], ["AQ==", "Ag=="]]).map(lambda xs: {"BS": xs}),
)
ATTRIBUTE = st.recursive(
    SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: {"L": xs}),
        st.dictionaries(st.sampled_from(["a", "b", "k", "a.b", ""]), inner, max_size=3).map(lambda d: {"M": d}),
    ),
    max_leaves=10,
)
ITEM = st.one_of(st.none(), st.dictionaries(st.sampled_from(["a", "m", "l", "pk", "sk", "s1", "a.b"]), ATTRIBUTE,
                                            max_size=5))


def context() -> ExpressionContext:
    return ExpressionContext(NAMES, VALUES)


def _run_condition(expr: str, kind: str, item: dict | None) -> None:
    try:
        condition = context().condition(expr, kind)
    except ValidationException:
        return
    try:
        assert isinstance(condition.evaluate(item), bool)
    except ValidationException:
        pass


def _run_update(expr: str, item: dict | None) -> None:
    try:
        update = context().update(expr)
    except ValidationException:
        return
    try:
        new = update.apply(item)
        update.project_updated(item)
    except ValidationException:
        return
    validate_item(new)  # what the update left must be an item DynamoDB would store (depth, sets, numbers)


def _run_projection(expr: str, item: dict | None) -> None:
    try:
        projection = context().projection(expr)
    except ValidationException:
        return
    projection.apply(item or {})


def _run_key_condition(expr: str) -> None:
    try:
        context().key_condition(expr, "pk", "sk", {"pk": "S", "sk": "N"})
    except ValidationException:
        pass


def test_an_empty_expression_attribute_name_is_refused_before_it_can_name_an_attribute(error_of):
    # It used to resolve, so "SET #e = :v" wrote an attribute called "".
    assert error_of(ExpressionContext, {"#n": "a", "#e": ""}, None) == (
        "ExpressionAttributeNames contains invalid value: Empty attribute name for key #e"
    )


_INDEXED = {
    "ProjectionExpression": lambda path: context().projection(path),
    "ConditionExpression": lambda path: context().condition(f"attribute_exists({path})"),
    "FilterExpression": lambda path: context().condition(f"size({path}) > :n", "FilterExpression"),
    "UpdateExpression": lambda path: context().update(f"SET {path} = :s REMOVE a"),
}


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.one_of(st.integers(min_value=0, max_value=2**32 + 5), st.integers(min_value=0, max_value=10**30)),
       st.sampled_from(sorted(_INDEXED)))
@example(4294967295, "ProjectionExpression")  # parsed as a Python int and accepted, where DynamoDB refuses it
@example(4294967294, "UpdateExpression")
def test_list_indexes_past_the_allowable_range_are_refused_in_dynamodb_words(index, kind):
    build = _INDEXED[kind]
    if index <= 4294967294:
        build(f"l[{index}]")
        return
    try:
        build(f"l[{index}]")
    except ValidationException as err:
        assert err.message == f"Invalid {kind}: List index is not within the allowable range; index: [{index}]"
    else:
        raise AssertionError(f"l[{index}] accepted")


# -- token soup: every parser entry point --------------------------------------------------------------------
@SETTINGS
@given(token_soup(), ITEM)
def test_random_condition_strings_answer_or_raise_validation_exception(expr, item):
    _run_condition(expr, "ConditionExpression", item)
    _run_condition(expr, "FilterExpression", item)


@SETTINGS
@given(token_soup())
def test_random_key_condition_strings_answer_or_raise_validation_exception(expr):
    _run_key_condition(expr)


@SETTINGS
@given(token_soup(), ITEM)
def test_random_update_strings_answer_or_raise_validation_exception(expr, item):
    _run_update(expr, item)


@SETTINGS
@given(token_soup(), ITEM)
def test_random_projection_strings_answer_or_raise_validation_exception(expr, item):
    _run_projection(expr, item)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.sampled_from(["(", "NOT ", "size(", "((a", "a[0]", ".a", "a = ", "SET a = ", "list_append("]),
       st.integers(min_value=1, max_value=2000))
def test_deeply_nested_or_repeated_input_raises_validation_exception(unit, times):
    expr = unit * times
    _run_condition(expr, "ConditionExpression", None)
    _run_update(expr, None)
    _run_projection(expr, None)
    _run_key_condition(expr)


# -- structured expressions on random items ------------------------------------------------------------------
@SETTINGS
@given(conditions(), ITEM)
def test_generated_conditions_evaluate_on_any_item(expr, item):
    _run_condition(expr, "ConditionExpression", item)
    _run_key_condition(expr)


@SETTINGS
@given(updates(), ITEM)
@example("SET m.a = :deep", {"m": {"M": {}}})  # nested the item 33 levels deep
@example("SET l[0] = :deep", {"l": {"L": [{"S": "x"}]}})
@example("SET m.a = m", {"m": {"M": {}}})
def test_generated_updates_apply_to_any_item(expr, item):
    _run_update(expr, item)


@SETTINGS
@given(st.lists(PATH, min_size=1, max_size=4).map(", ".join), ITEM)
def test_generated_projections_apply_to_any_item(expr, item):
    _run_projection(expr, item)
