"""Applying update expressions: SET, REMOVE, ADD, DELETE and their runtime errors."""

from __future__ import annotations

import pytest

from pocketcloud.services.dynamodb.expressions import ExpressionContext

VALUES = {
    ":s": {"S": "new"},
    ":one": {"N": "1"},
    ":half": {"N": "0.50"},
    ":big": {"N": "99999999999999999999999999999999999999"},
    ":tiny": {"N": "0.00000000000000000000000000000000000001"},
    ":huge": {"N": "9E+125"},
    ":list": {"L": [{"S": "z"}]},
    ":ss": {"SS": ["b", "c"]},
    ":ns": {"NS": ["1", "3.0"]},
    ":bs": {"BS": ["AQ=="]},
    ":map": {"M": {}},
}


def apply(expression: str, item: dict | None, names: dict | None = None) -> dict:
    return ExpressionContext(names, VALUES).update(expression).apply(item)


def test_set_creates_and_replaces_top_level_attributes():
    assert apply("SET a = :s, b = :one", {"a": {"S": "old"}}) == {"a": {"S": "new"}, "b": {"N": "1"}}


def test_set_on_a_missing_item_builds_a_new_one():
    assert apply("SET a = :s", None) == {"a": {"S": "new"}}


def test_set_does_not_modify_the_item_given():
    item = {"m": {"M": {"k": {"S": "v"}}}}
    apply("SET m.k = :s", item)
    assert item == {"m": {"M": {"k": {"S": "v"}}}}


def test_set_writes_into_nested_maps_and_lists():
    item = {"m": {"M": {"l": {"L": [{"S": "a"}, {"S": "b"}]}}}}
    assert apply("SET m.l[1] = :s, m.k = :one", item) == {
        "m": {"M": {"l": {"L": [{"S": "a"}, {"S": "new"}]}, "k": {"N": "1"}}}
    }


def test_set_past_the_end_of_a_list_appends():
    assert apply("SET l[10] = :s", {"l": {"L": [{"S": "a"}]}}) == {"l": {"L": [{"S": "a"}, {"S": "new"}]}}


def test_arithmetic_is_exact_and_normalized():
    assert apply("SET n = n + :half", {"n": {"N": "1.00"}}) == {"n": {"N": "1.5"}}
    assert apply("SET n = n - :one", {"n": {"N": "101"}}) == {"n": {"N": "100"}}
    assert apply("SET n = :one - n", {"n": {"N": "1"}}) == {"n": {"N": "0"}}
    assert apply("SET n = n + :tiny", {"n": {"N": "0"}}) == {"n": {"N": "0.00000000000000000000000000000000000001"}}


def test_arithmetic_refuses_more_than_38_significant_digits(error_of):
    assert error_of(apply, "SET n = n + :tiny", {"n": {"N": "1"}}) == (
        "Attempting to store more than 38 significant digits in a Number"
    )


def test_arithmetic_refuses_overflow(error_of):
    assert error_of(apply, "SET n = n + :huge", {"n": {"N": "9E+125"}}) == (
        "Number overflow. Attempting to store a number with magnitude larger than supported range"
    )


def test_arithmetic_on_a_non_number_is_an_incorrect_data_type(error_of):
    assert error_of(apply, "SET n = n + :one", {"n": {"S": "x"}}) == (
        "An operand in the update expression has an incorrect data type"
    )


def test_a_missing_operand_attribute_is_refused(error_of):
    assert error_of(apply, "SET n = gone + :one", {}) == (
        "The provided expression refers to an attribute that does not exist in the item"
    )


def test_right_hand_sides_read_the_item_before_the_update():
    assert apply("SET a = b, b = a", {"a": {"S": "1"}, "b": {"S": "2"}}) == {"a": {"S": "2"}, "b": {"S": "1"}}


def test_if_not_exists_keeps_an_existing_value():
    assert apply("SET a = if_not_exists(a, :s)", {"a": {"S": "old"}}) == {"a": {"S": "old"}}
    assert apply("SET a = if_not_exists(a, :s)", {}) == {"a": {"S": "new"}}
    assert apply("SET c = if_not_exists(c, :one) + :one", {}) == {"c": {"N": "2"}}


def test_list_append_concatenates_in_either_order():
    item = {"l": {"L": [{"S": "a"}]}}
    assert apply("SET l = list_append(l, :list)", item) == {"l": {"L": [{"S": "a"}, {"S": "z"}]}}
    assert apply("SET l = list_append(:list, l)", item) == {"l": {"L": [{"S": "z"}, {"S": "a"}]}}


def test_list_append_on_a_non_list_is_an_incorrect_data_type(error_of):
    assert error_of(apply, "SET l = list_append(l, :list)", {"l": {"S": "x"}}) == (
        "An operand in the update expression has an incorrect data type"
    )


@pytest.mark.parametrize(
    ("expression", "item"),
    [
        ("SET m.k = :s", {}),
        ("SET m.k = :s", {"m": {"S": "not a map"}}),
        ("SET l[0] = :s", {"l": {"M": {}}}),
        ("SET m.a.b = :s", {"m": {"M": {}}}),
        ("ADD m.n :one", {}),
    ],
)
def test_paths_through_missing_or_scalar_parents_are_invalid_for_update(error_of, expression, item):
    assert error_of(apply, expression, item) == (
        "The document path provided in the update expression is invalid for update"
    )


def test_remove_deletes_attributes_and_ignores_missing_ones():
    assert apply("REMOVE a, gone", {"a": {"S": "x"}, "b": {"S": "y"}}) == {"b": {"S": "y"}}


def test_remove_list_elements_uses_the_original_indexes_and_shifts_the_rest():
    item = {"l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]}}
    assert apply("REMOVE l[1], l[2]", item) == {"l": {"L": [{"N": "0"}, {"N": "3"}]}}
    assert apply("REMOVE l[9]", item) == item


def test_remove_nested_map_key():
    assert apply("REMOVE m.k", {"m": {"M": {"k": {"S": "v"}, "j": {"S": "w"}}}}) == {"m": {"M": {"j": {"S": "w"}}}}


def test_add_to_numbers_creates_or_increments():
    assert apply("ADD n :one", {}) == {"n": {"N": "1"}}
    assert apply("ADD n :half", {"n": {"N": "2"}}) == {"n": {"N": "2.5"}}


def test_add_to_sets_is_a_union_without_duplicates():
    assert apply("ADD s :ss", {"s": {"SS": ["a", "b"]}}) == {"s": {"SS": ["a", "b", "c"]}}
    assert apply("ADD s :ns", {"s": {"NS": ["1.0", "2"]}}) == {"s": {"NS": ["1.0", "2", "3.0"]}}
    assert apply("ADD s :ss", {}) == {"s": {"SS": ["b", "c"]}}


def test_add_of_a_different_type_is_an_incorrect_data_type(error_of):
    assert error_of(apply, "ADD s :ss", {"s": {"NS": ["1"]}}) == (
        "An operand in the update expression has an incorrect data type"
    )
    assert error_of(apply, "ADD s :one", {"s": {"S": "x"}}) == (
        "An operand in the update expression has an incorrect data type"
    )


def test_delete_removes_set_members_and_the_attribute_when_emptied():
    assert apply("DELETE s :ss", {"s": {"SS": ["a", "b"]}}) == {"s": {"SS": ["a"]}}
    assert apply("DELETE s :ss", {"s": {"SS": ["b", "c"]}}) == {}
    assert apply("DELETE s :ns", {"s": {"NS": ["1.00", "7"]}}) == {"s": {"NS": ["7"]}}
    assert apply("DELETE s :ss", {}) == {}


def test_delete_from_a_set_of_another_type_is_an_incorrect_data_type(error_of):
    assert error_of(apply, "DELETE s :ss", {"s": {"NS": ["1"]}}) == (
        "An operand in the update expression has an incorrect data type"
    )


def test_all_four_sections_in_one_expression():
    item = {"a": {"S": "x"}, "n": {"N": "1"}, "s": {"SS": ["b"]}, "r": {"S": "gone"}}
    result = apply("SET a = :s REMOVE r ADD n :one DELETE s :ss", item)
    assert result == {"a": {"S": "new"}, "n": {"N": "2"}}


def test_updated_attributes_and_updated_projection():
    update = ExpressionContext({"#a": "a"}, VALUES).update("SET #a.b = :s REMOVE c ADD n :one")
    assert update.updated_attributes == {"a", "c", "n"}
    old = {"a": {"M": {"b": {"S": "old"}, "keep": {"S": "k"}}}, "c": {"S": "x"}, "other": {"S": "o"}}
    assert update.project_updated(old) == {"a": {"M": {"b": {"S": "old"}}}, "c": {"S": "x"}}
    assert update.project_updated(update.apply(old)) == {"a": {"M": {"b": {"S": "new"}}}, "n": {"N": "1"}}
