"""values.checked_item: validation, normal form and size of an item in one walk, exactly as the three separate
steps (validate_item, normalize_item, item_size) give them — same results, same errors in the same order."""

from __future__ import annotations

import base64
import random
from typing import Any

import pytest

from pocketcloud.protocols.errors import ServiceError
from pocketcloud.services.dynamodb.values import (
    ITEM_TOO_LARGE,
    MAX_ITEM_SIZE,
    check_size,
    checked_item,
    item_size,
    normalize_item,
    validate_item,
)
from pocketcloud.services.dynamodb.errors import ValidationException


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


VALID = [
    {"S": ""}, {"S": "abc"}, {"S": "é€𝄞"}, {"B": ""}, {"B": b64(b"\x00\x01\x02")}, {"BOOL": False}, {"BOOL": True},
    {"NULL": True}, {"NULL": False}, {"N": "0"}, {"N": "-0"}, {"N": "1.50"}, {"N": "1e2"}, {"N": "+7"},
    {"N": "-1.23e-5"}, {"N": "9.9999999999999999999999999999999999999E+125"}, {"N": "1E-130"}, {"N": "12"},
    {"SS": ["a", "b"]}, {"SS": ["é"]}, {"NS": ["1", "2"]}, {"NS": ["1e2", "2.0", "-0"]},
    {"BS": ["YQ==", "Yg=="]}, {"M": {}}, {"L": []},
    {"M": {"a": {"L": [{"NS": ["1", "2"]}, {"SS": ["a", "b"]}, {"BS": ["YQ==", "Yg=="]}]}}},
    {"M": {"x": {"N": "-0"}, "l": {"L": [{"N": "0.10"}, {"B": "YQ=="}, {"NULL": True}]}}},
    {"S": "a", "N": None},  # a member sent as JSON null is no datatype
]

INVALID = [
    {}, {"X": "a"}, {"S": None}, "text", {"S": "a", "BOOL": True}, {"S": "a", "N": "b"},
    {"N": ""}, {"N": "abc"}, {"N": "1e126"}, {"N": "1e-131"}, {"N": "1" * 39},
    {"SS": []}, {"NS": []}, {"BS": []}, {"SS": ["a", "a"]}, {"NS": ["1", "1.0"]}, {"BS": ["Yg==", "Yg=="]},
    {"B": "abc"}, {"BS": ["YQ==", "QR=="]}, {"NULL": "yes"},
    {"M": {"a": {}}}, {"L": [{}]}, {"M": {"ok": {"S": "a"}, "bad": {"N": "x"}}}, {"L": [{"N": "1"}, {"NS": []}]},
]


def nested(depth: int, leaf: dict[str, Any] | None = None) -> dict[str, Any]:
    value: dict[str, Any] = leaf or {"S": "leaf"}
    for i in range(depth):
        value = {"M": {"n": value}} if i % 2 else {"L": [value]}
    return value


def separately(item: dict[str, Any]) -> tuple[dict[str, Any], int]:
    validate_item(item)
    normal = normalize_item(item)
    return normal, item_size(normal)


def error_of(fn: Any, item: Any) -> tuple[type, str] | None:
    try:
        fn(item)
    except ServiceError as err:
        return type(err), err.message
    return None


@pytest.mark.parametrize("value", VALID)
def test_a_valid_value_gives_the_normal_form_and_size_of_the_separate_steps(value):
    item = {"id": {"S": "k"}, "né": value}
    assert checked_item(item) == separately(item)


def test_random_nested_items_give_the_normal_form_and_size_of_the_separate_steps():
    rng = random.Random(7)

    def value(depth: int) -> dict[str, Any]:
        if depth < 4 and rng.random() < 0.3:
            if rng.random() < 0.5:
                return {"M": {f"k{i}é"[: rng.randint(1, 3)]: value(depth + 1) for i in range(rng.randint(0, 4))}}
            return {"L": [value(depth + 1) for _ in range(rng.randint(0, 4))]}
        return rng.choice(VALID[:-1])

    for _ in range(300):
        item = {f"a{i}": value(0) for i in range(rng.randint(1, 6))}
        assert checked_item(item) == separately(item)


@pytest.mark.parametrize("value", INVALID)
def test_an_invalid_value_raises_what_validate_item_raises(value):
    item = {"id": {"S": "k"}, "v": value}
    expected = error_of(validate_item, item)
    assert expected is not None
    assert error_of(checked_item, item) == expected


def test_with_two_invalid_attributes_the_first_one_walked_is_reported_as_validate_item_does():
    for first in INVALID:
        for second in INVALID:
            item = {"a": first, "b": {"M": {"ok": {"S": "x"}, "in": second}}}
            assert error_of(checked_item, item) == error_of(validate_item, item), (first, second)


def test_nesting_is_accepted_up_to_31_levels_and_rejected_at_32_as_validate_item_does():
    deep_ok = {"id": {"S": "a"}, "data": nested(31)}
    assert checked_item(deep_ok) == separately(deep_ok)
    too_deep = {"id": {"S": "a"}, "data": nested(32)}
    assert error_of(checked_item, too_deep) == error_of(validate_item, too_deep)
    assert error_of(checked_item, too_deep)[1].startswith("Nesting Levels have exceeded")  # type: ignore[index]
    # An invalid leaf below the limit is reported before anything else.
    bad_leaf = {"data": nested(31, {"N": "x"}), "more": nested(40)}
    assert error_of(checked_item, bad_leaf) == error_of(validate_item, bad_leaf)


def test_an_item_already_in_normal_form_is_returned_as_it_came_without_copies():
    item = {"id": {"S": "k"}, "n": {"N": "1.5"}, "m": {"M": {"l": {"L": [{"BOOL": True}, {"NULL": True}]}}},
            "ns": {"NS": ["1", "2"]}, "b": {"B": "YQ=="}}
    normal, _ = checked_item(item)
    assert normal is item
    assert normal["m"] is item["m"]


def test_only_the_values_that_change_are_copied_and_the_request_is_left_untouched():
    item = {"id": {"S": "k"}, "n": {"N": "1.50"}, "m": {"M": {"keep": {"S": "x"}, "null": {"NULL": False}}},
            "ns": {"NS": ["1e2"]}}
    before = repr(item)
    normal, _ = checked_item(item)
    assert repr(item) == before
    assert normal == {"id": {"S": "k"}, "n": {"N": "1.5"}, "m": {"M": {"keep": {"S": "x"}, "null": {"NULL": True}}},
                      "ns": {"NS": ["100"]}}
    assert normal is not item
    assert normal["id"] is item["id"]
    assert normal["m"]["M"]["keep"] is item["m"]["M"]["keep"]


def test_the_size_limit_is_left_to_check_size_so_other_parameters_can_be_checked_first():
    item = {"id": {"S": "a"}, "d": {"S": "x" * (MAX_ITEM_SIZE - 4)}}
    _, size = checked_item(item)
    assert check_size(size) == MAX_ITEM_SIZE
    item["d"] = {"S": "x" * (MAX_ITEM_SIZE - 3)}
    _, size = checked_item(item)  # no error here
    with pytest.raises(ValidationException) as caught:
        check_size(size)
    assert caught.value.message == ITEM_TOO_LARGE
