"""The PartiQL parser: statements, literals as AttributeValues, parameters, conditions as expression-engine nodes."""

from __future__ import annotations

import pytest

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.partiql import parse
from pocketcloud.services.dynamodb.partiql import statements as st
from pocketcloud.services.dynamodb.partiql.plan import MANDATORY_KEY, item_key_and_rest, key_terms
from pocketcloud.services.dynamodb.partiql.tokenizer import tokenize


def _path(*parts):
    return ast.Path(tuple(parts))


def test_tokenizer_unquotes_strings_and_identifiers_with_doubled_quotes():
    tokens = tokenize("""SELECT "a""b" FROM t WHERE x = 'it''s';""")
    assert [(t.kind, t.text) for t in tokens][1] == ("QID", 'a"b')
    assert tokens[-2].text == "it's" and tokens[-1].kind == "END"


def test_select_star_from_a_quoted_table_and_index():
    stmt = parse('SELECT * FROM "tbl"."idx"')
    assert stmt == st.Select(st.Target("tbl", "idx"), None, None)


def test_select_paths_with_map_steps_and_list_indexes():
    stmt = parse("SELECT a.b[2], \"c\"['d'] FROM t")
    assert stmt.paths == (_path("a", "b", 2), _path("c", "d"))


def test_where_builds_expression_nodes_with_literal_values():
    stmt = parse("SELECT * FROM t WHERE pk = 'x' AND (n > 1.50 OR NOT b = TRUE)")
    assert stmt.where == ast.And(
        ast.Compare("=", _path("pk"), ast.Literal({"S": "x"})),
        ast.Or(ast.Compare(">", _path("n"), ast.Literal({"N": "1.5"})),
               ast.Not(ast.Compare("=", _path("b"), ast.Literal({"BOOL": True})))),
    )


@pytest.mark.parametrize("text, expected", [
    ("a IS MISSING", ast.Call("attribute_not_exists", (_path("a"),))),
    ("a IS NOT MISSING", ast.Not(ast.Call("attribute_not_exists", (_path("a"),)))),
    ("begins_with(a, 'p')", ast.Call("begins_with", (_path("a"), ast.Literal({"S": "p"})))),
    ("CONTAINS(a, 1)", ast.Call("contains", (_path("a"), ast.Literal({"N": "1"})))),
    ("attribute_type(a, 'S')", ast.Call("attribute_type", (_path("a"), ast.Literal({"S": "S"})))),
    ("size(a) >= 2", ast.Compare(">=", ast.Call("size", (_path("a"),)), ast.Literal({"N": "2"}))),
    ("a BETWEEN 1 AND 3", ast.Between(_path("a"), ast.Literal({"N": "1"}), ast.Literal({"N": "3"}))),
    ("a IN ['x', 'y']", ast.In(_path("a"), (ast.Literal({"S": "x"}), ast.Literal({"S": "y"})))),
    ("a != 'x'", ast.Compare("<>", _path("a"), ast.Literal({"S": "x"}))),
])
def test_predicates(text, expected):
    assert parse(f"SELECT * FROM t WHERE {text}").where == expected


def test_insert_value_literals_become_attribute_values():
    stmt = parse("INSERT INTO t VALUE {'pk': 'a', 'n': -2, 's': <<'x', 'y'>>, 'ns': <<1, 2>>, "
                 "'l': [NULL, FALSE], 'm': {'k': [1]}, 'e': {}}")
    assert stmt.item == {
        "pk": {"S": "a"}, "n": {"N": "-2"}, "s": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2"]},
        "l": {"L": [{"NULL": True}, {"BOOL": False}]}, "m": {"M": {"k": {"L": [{"N": "1"}]}}}, "e": {"M": {}},
    }


def test_parameters_fill_question_marks_in_order():
    stmt = parse("INSERT INTO t VALUE {'pk': ?, 'n': ?}", [{"S": "a"}, {"N": "01.0"}])
    assert stmt.item == {"pk": {"S": "a"}, "n": {"N": "1"}}


@pytest.mark.parametrize("parameters", [[], [{"S": "a"}, {"S": "b"}]])
def test_a_parameter_count_mismatch_is_refused(parameters):
    with pytest.raises(ValidationException, match="Number of parameters in request and statement don't match."):
        parse("SELECT * FROM t WHERE pk = ?", parameters)


def test_update_collects_set_remove_and_set_functions():
    stmt = parse("UPDATE t SET n = n + 1, l = list_append(l, [2]) SET s = set_add(s, <<'z'>>) REMOVE old "
                 "WHERE pk = 'a' RETURNING MODIFIED NEW *")
    assert stmt.actions == (
        ast.SetAction(_path("n"), ast.Arithmetic("+", _path("n"), ast.Literal({"N": "1"}))),
        ast.SetAction(_path("l"), ast.Call("list_append", (_path("l"), ast.Literal({"L": [{"N": "2"}]})))),
        ast.AddAction(_path("s"), ast.Literal({"SS": ["z"]})),
        ast.RemoveAction(_path("old")),
    )
    assert stmt.returning == st.Returning("MODIFIED", "NEW")


def test_delete_and_exists():
    assert isinstance(parse("DELETE FROM t WHERE pk = 'a'"), st.Delete)
    exists = parse("EXISTS(SELECT * FROM t WHERE pk = 'a')")
    assert isinstance(exists, st.Exists) and exists.select.target.table == "t"


@pytest.mark.parametrize("text, message", [
    ("SLECT * FROM t", "Expected data manipulation"),
    ("SELECT * FROM", "Unexpected term"),
    ("SELECT * FROM t WHERE", "Unexpected term"),
    ("SELECT * FROM t WHERE (", "Unexpected term"),
    ("SELECT * FROM t WHERE a = 1 extra", "Unexpected token after expression"),
    ("SELECT * FROM t WHERE a = 1)", "Unexpected token after expression"),
    ("SELECT * FROM t ORDER BY pk WHERE pk = 1", "Unexpected token after expression"),
    ("INSERT INTO t x VALUE {'pk': 'x'}", "Unexpected token after expression"),
    ("UPDATE t WHERE pk = 'a'", "Unexpected keyword"),
    ("SELECT * FROM t WHERE ORDER BY pk", "Unexpected keyword"),
    ("SELECT * FROM t WHERE IS NULL", "Unexpected operator"),
    ("SELECT * FROM t WHERE pk = LIKE", "Unexpected operator"),
    ("SELECT * FROM t WHERE pk = 'a' AND", "Missing right-hand side expression of infix operator"),
    ("SELECT * FROM t WHERE x IS FOO", "Expected type name"),
    ("DELETE FROM WHERE pk = 'a'", "Expected identifier for simple path"),
    ("SELECT * FROM t WHERE pk = 1 # note", ""),
    ("SELECT * FROM t WHERE pk = 1e2147483648", ""),
])
def test_malformed_statements_use_the_aws_prefix(text, message):
    with pytest.raises(ValidationException) as err:
        parse(text)
    assert err.value.message == "Statement wasn't well formed, can't be processed: " + message


def test_ordering_a_literal_of_an_unordered_type_is_refused():
    with pytest.raises(ValidationException, match="operator or function: >, operand type: BOOL"):
        parse("SELECT * FROM t WHERE a > TRUE")


def test_key_terms_find_the_partition_values_and_one_sort_key_term():
    where = parse("SELECT * FROM t WHERE x = 1 AND pk IN ['a', 'b'] AND begins_with(sk, 'p')").where
    terms = key_terms(where, "pk", "sk")
    assert terms.hash_values == ({"S": "a"}, {"S": "b"})
    assert terms.range_term == ast.Call("begins_with", (_path("sk"), ast.Literal({"S": "p"})))
    assert key_terms(parse("SELECT * FROM t WHERE pk = 'a' OR x = 1").where, "pk", "sk").hash_values == ()


def test_item_key_and_rest_split_the_key_from_the_condition():
    where = parse("SELECT * FROM t WHERE 'a' = pk AND n > 1 AND sk = 2").where
    key, rest = item_key_and_rest(where, "pk", "sk")
    assert key == {"pk": {"S": "a"}, "sk": {"N": "2"}}
    assert rest == ast.Compare(">", _path("n"), ast.Literal({"N": "1"}))
    with pytest.raises(ValidationException, match=MANDATORY_KEY):
        item_key_and_rest(parse("SELECT * FROM t WHERE pk = 'a'").where, "pk", "sk")


def test_is_null_also_matches_a_missing_attribute():
    assert parse("SELECT * FROM t WHERE a IS NULL").where == ast.Or(
        ast.Call("attribute_not_exists", (_path("a"),)),
        ast.Call("attribute_type", (_path("a"), ast.Literal({"S": "NULL"}))),
    )


def test_an_unterminated_quote_gets_the_bare_envelope():
    with pytest.raises(ValidationException) as err:
        parse('SELECT * FROM "t')
    assert err.value.message == "Statement wasn't well formed, can't be processed: "


@pytest.mark.parametrize("text", ["SELECT * FROM t x", "SELECT * FROM t AS x WHERE pk = 1", "UPDATE t x SET a = 1 WHERE pk = 1",
                                  "DELETE FROM t x WHERE pk = 1"])
def test_a_table_alias_is_refused_in_words_of_its_own(text):
    with pytest.raises(ValidationException) as err:
        parse(text)
    assert err.value.message == "Aliasing is not supported"


@pytest.mark.parametrize("text, where", [
    ("SELECT * FROM t WHERE pk = 1e126", "root"),
    ("INSERT INTO t VALUE {'pk': 1, 'm': {'x': 1e126}}", "root.x"),
    ("INSERT INTO t VALUE {'pk': 1, 'l': [1, 1e126]}", "root[1]"),
])
def test_a_number_out_of_range_says_where_it_sits(text, where):
    with pytest.raises(ValidationException) as err:
        parse(text)
    assert err.value.message == (
        f"Number overflow. Attempting to store a number with magnitude larger than supported range under {where}")


@pytest.mark.parametrize("text, message", [
    ('SELECT * FROM "t"."i"."x"', "A path may contain at most 2 components in the FROM clause"),
    ('SELECT * FROM ""', "Path component cannot be an empty string"),
    ('INSERT INTO "t"."i" VALUE {}', "FROM clause may only contain a single table name in data manipulation statements"),
    ("INSERT INTO t VALUE 'x'", "Unsupported format in item expression. Please use struct format {...} to express item "
                                "values for insert statement."),
    ("INSERT INTO t VALUE {'pk': 'a'} RETURNING ALL OLD *", "RETURNING is not supported in INSERT"),
    ("SELECT *, a FROM t", "Other attributes should not be present in the projection when '*' is used."),
    ("SELECT a.b, b FROM t", "Duplicate identifiers in select clause: b"),
    ("SELECT * FROM t WHERE a = MISSING", "MISSING must be compared using IS operator"),
    ("SELECT * FROM t WHERE foo(a) = 1", "Unrecognized function: foo"),
    ("INSERT INTO t VALUE {'s': <<>>}", "Empty bags are not supported"),
    ("INSERT INTO t VALUE {'s': <<TRUE>>}", "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"),
    ("UPDATE t SET s = set_add(x, <<'a'>>) WHERE pk = 1", "The first argument to SET_ADD must equal the assignment value"),
    ("UPDATE t SET s = set_delete(s, 'a') WHERE pk = 1", "The second argument to SET_DELETE must be a value with type SET"),
    ("UPDATE t SET s = set_add(s) WHERE pk = 1", "SET_ADD must have exactly two arguments"),
])
def test_statement_refusals_in_aws_words(text, message):
    with pytest.raises(ValidationException) as err:
        parse(text)
    assert err.value.message == message


def test_a_partition_value_named_twice_in_in_is_an_overlap():
    with pytest.raises(ValidationException, match="Overlapping conditions with range keys are not supported in where clause"):
        key_terms(parse("SELECT * FROM t WHERE pk IN ['a', 'a']").where, "pk", None)


@pytest.mark.parametrize("where, message", [
    ("pk = 'a' AND pk = 'b'", "Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported"),
    ("pk = 'a' AND pk > 'b'", "Only single equality condition should be present on hash key pk"),
    ("pk IN ['a']", "Only single equality condition should be present on hash key pk"),
])
def test_a_write_where_must_pin_the_key_once_by_equality(where, message):
    with pytest.raises(ValidationException) as err:
        item_key_and_rest(parse(f"SELECT * FROM t WHERE {where}").where, "pk", None)
    assert err.value.message == message


@pytest.mark.parametrize("text, message", [
    ("SELECT * FROM t WHERE list_append(a, [1]) = a", "Unsupported operator in Condition Expression. Operator: list_append"),
    ("UPDATE t SET a = size(b) WHERE pk = 1", "Unsupported operator in Update Expression. Operator: size"),
    ("UPDATE t SET a = list_append(set_add(a, <<1>>), [1]) WHERE pk = 1", "Unsupported operator in Update Expression. Operator: set_add"),
])
def test_functions_in_the_wrong_place_are_refused(text, message):
    with pytest.raises(ValidationException) as err:
        parse(text)
    assert err.value.message == message


def test_the_from_first_update_form_puts_the_where_before_the_actions():
    stmt = parse("FROM tbl WHERE pk = 1 SET c = 1 REMOVE d")
    assert isinstance(stmt, st.Update) and stmt.where == ast.Compare("=", _path("pk"), ast.Literal({"N": "1"}))
    assert stmt.actions == (ast.SetAction(_path("c"), ast.Literal({"N": "1"})), ast.RemoveAction(_path("d")))
    with pytest.raises(ValidationException, match="Unexpected token after expression"):
        parse("FROM tbl SET c = 1 WHERE pk = 1")


@pytest.mark.parametrize("where, overlaps", [
    ("pk = 'a' AND x = '1' OR pk = 'a' AND sk = '2'", True),
    ("(pk = 'a' AND f = 1) OR (pk = 'a' AND f = 2)", True),
    ("pk = 'a' AND (sk > '0' OR sk < '5')", True),
    ("pk = 'a' AND (sk = '1' OR sk = '2')", False),
    ("pk = 'a' OR pk = 'b'", False),
    ("pk = 'a' AND (sk < '1' OR sk >= '1')", False),
    ("pk = 'a' AND (sk <> '1' OR sk = '1')", False),
    ("a = 1 OR b = 2", False),
    ("pk = 'a' AND (f = 1 OR f = 2)", False),
])
def test_or_branches_reading_overlapping_sort_ranges_of_one_partition_are_refused(where, overlaps):
    from pocketcloud.services.dynamodb import keycodec
    from pocketcloud.services.dynamodb.partiql.plan import OVERLAP, check_overlap

    tree = parse(f"SELECT * FROM t WHERE {where}").where
    if overlaps:
        with pytest.raises(ValidationException, match=OVERLAP):
            check_overlap(tree, "pk", "sk", keycodec.encode, "S", "S")
    else:
        check_overlap(tree, "pk", "sk", keycodec.encode, "S", "S")
