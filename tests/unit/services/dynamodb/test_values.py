"""Tests for services/dynamodb/values.py: AWS's validation messages, number normalization, sizes, key checks."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pocketcloud.protocols.errors import ServiceError

from pocketcloud.services.dynamodb.errors import SerializationException, ValidationException
from pocketcloud.services.dynamodb.values import (
    MAX_ITEM_SIZE,
    check_index_keys,
    check_item_size,
    compare_values,
    extract_key,
    item_size,
    normalize_item,
    normalize_number,
    validate_attribute_value,
    validate_item,
    value_size,
)

INVALID = "One or more parameter values were invalid: "
# AWS's texts, written out here rather than imported so the tests check the module's wording.
EMPTY = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
MULTIPLE = (
    "Supplied AttributeValue has more than one datatypes set, "
    "must contain exactly one of the supported datatypes"
)
DIGITS = "Attempting to store more than 38 significant digits in a Number"
OVERFLOW = "Number overflow. Attempting to store a number with magnitude larger than supported range"
UNDERFLOW = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
NESTING = (
    "Nesting Levels have exceeded supported limits: "
    "Attributes in the item have nested levels beyond supported limit"
)
RANGE_TOO_LARGE = INVALID + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
HASH_SCHEMA = [{"AttributeName": "id", "KeyType": "HASH"}]
RANGE_SCHEMA = [{"AttributeName": "sk", "KeyType": "RANGE"}, {"AttributeName": "id", "KeyType": "HASH"}]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@contextmanager
def raises(exc_type: type[ServiceError], message: str) -> Iterator[None]:
    """Expect exactly this error class and message text (str() of a ServiceError carries the code too)."""
    with pytest.raises(exc_type) as caught:
        yield
    assert type(caught.value) is exc_type
    assert caught.value.message == message


# ---------------------------------------------------------------------------------------------------- validation


@pytest.mark.parametrize("value", [{}, {"X": "a"}, {"S": None}, {"M": {"a": {}}}, {"L": [{}]}, "text"])
def test_value_without_a_datatype_is_rejected_as_empty(value):
    with raises(ValidationException, EMPTY):
        validate_attribute_value(value)


def test_value_with_two_datatypes_is_rejected():
    with raises(ValidationException, MULTIPLE):
        validate_attribute_value({"S": "a", "BOOL": True})


def test_an_invalid_number_is_reported_before_a_second_datatype():
    with raises(ValidationException, "The parameter cannot be converted to a numeric value: b"):
        validate_attribute_value({"S": "a", "N": "b"})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"SS": []}, "An string set  may not be empty"),
        ({"NS": []}, "An number set  may not be empty"),
        ({"BS": []}, "Binary sets should not be empty"),
        ({"SS": ["a", "a"]}, "Input collection [a, a] contains duplicates."),
        ({"BS": ["Yg==", "Yg=="]}, "Input collection [Yg==, Yg==]of type BS contains duplicates."),
    ],
)
def test_invalid_values_get_awss_parameter_values_invalid_messages(value, message):
    with raises(ValidationException, INVALID + message):
        validate_attribute_value(value)


@pytest.mark.parametrize("members", [["1", "1"], ["1", "1.0"], ["10", "1e1"], ["-0", "0.00"]])
def test_number_set_duplicates_compare_numerically(members):
    with raises(ValidationException, "Input collection contains duplicates"):
        validate_attribute_value({"NS": members})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"N": ""}, "The parameter cannot be converted to a numeric value"),
        ({"NS": ["1", ""]}, "The parameter cannot be converted to a numeric value"),
        ({"N": "abc"}, "The parameter cannot be converted to a numeric value: abc"),
        ({"NS": ["1", "b"]}, "The parameter cannot be converted to a numeric value: b"),
        ({"N": " 1"}, "The parameter cannot be converted to a numeric value:  1"),
        ({"N": "NaN"}, "The parameter cannot be converted to a numeric value: NaN"),
        ({"N": "Infinity"}, "The parameter cannot be converted to a numeric value: Infinity"),
        ({"N": "1_000"}, "The parameter cannot be converted to a numeric value: 1_000"),
        ({"N": "."}, "The parameter cannot be converted to a numeric value: ."),
        ({"N": "1e"}, "The parameter cannot be converted to a numeric value: 1e"),
        ({"N": "\u0661"}, "The parameter cannot be converted to a numeric value: \u0661"),
        ({"N": "123456789012345678901234567890123456789"}, DIGITS),
        ({"N": "-1.23456789012345678901234567890123456789"}, DIGITS),
        ({"N": "1e126"}, OVERFLOW),
        ({"N": "-1e126"}, OVERFLOW),
        ({"N": "1e99999999999999999999"}, OVERFLOW),
        ({"N": "1e-131"}, UNDERFLOW),
        ({"N": "-0.1e-130"}, UNDERFLOW),
    ],
)
def test_invalid_numbers_get_awss_messages(value, message):
    with raises(ValidationException, message):
        validate_attribute_value(value)


@pytest.mark.parametrize(
    "value",
    [
        {"S": ""},
        {"B": ""},
        {"SS": [""]},
        {"BS": [""]},
        {"N": "9.9999999999999999999999999999999999999E+125"},
        {"N": "1E-130"},
        {"N": "-1E-130"},
        {"N": "10000000000000000000000000000000000000000000"},
        {"N": "0e999999999999999"},
        {"N": "+1.5"},
        {"NULL": True},
        {"BOOL": False},
        {"M": {}},
        {"L": []},
        {"M": {"a": {"L": [{"NS": ["1", "2"]}, {"SS": ["a", "b"]}, {"BS": ["YQ==", "Yg=="]}]}}},
    ],
)
def test_valid_values_pass(value):
    validate_attribute_value(value)


def test_invalid_value_nested_in_a_map_or_list_is_rejected():
    with raises(ValidationException, INVALID + "An number set  may not be empty"):
        validate_item({"id": {"S": "a"}, "m": {"M": {"x": {"L": [{"NS": []}]}}}})


def nested(depth: int) -> dict:
    value: dict = {"S": "leaf"}
    for _ in range(depth):
        value = {"M": {"n": value}}
    return value


def test_an_attribute_nested_31_levels_deep_is_accepted():
    validate_item({"id": {"S": "a"}, "data": nested(31)})


def test_an_attribute_nested_32_levels_deep_is_rejected():
    with raises(ValidationException, NESTING):
        validate_item({"id": {"S": "a"}, "data": nested(32)})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # The wording of DynamoDB's current request parser, as the protocol layer gives it (test_parity_protocol).
        ("abc", "Base64 encoded length is expected a multiple of 4 bytes but found: 3"),
        ("ab$=", "Invalid last non-pad Base64 character dectected"),
        ("a=bc", "Invalid last non-pad Base64 character dectected"),
        ("QR==", "Invalid last non-pad Base64 character dectected"),
    ],
)
def test_bad_base64_is_a_serialization_exception_as_with_aws(text, message):
    with raises(SerializationException, message):
        validate_attribute_value({"B": text})
    with raises(SerializationException, message):
        validate_attribute_value({"BS": ["YQ==", text]})


# ---------------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.50", "1.5"),
        ("1e2", "100"),
        ("1E+2", "100"),
        ("-0", "0"),
        ("0.000", "0"),
        ("-0.0e5", "0"),
        ("+7", "7"),
        (".5", "0.5"),
        ("5.", "5"),
        ("007.0100", "7.01"),
        ("-1.23e-5", "-0.0000123"),
        ("12.5e-1", "1.25"),
        ("123e-2", "1.23"),
        ("1E-130", "0." + "0" * 129 + "1"),
        ("9.9999999999999999999999999999999999999E+125", "9" * 38 + "0" * 88),
    ],
)
def test_numbers_are_normalized_as_dynamodb_returns_them(text, expected):
    assert normalize_number(text) == expected


def test_normalize_item_normalizes_numbers_at_every_depth_and_leaves_the_rest():
    item = {
        "id": {"S": "1.0"},
        "n": {"N": "1.50"},
        "ns": {"NS": ["1e2", "2.0"]},
        "m": {"M": {"x": {"N": "-0"}, "l": {"L": [{"N": "0.10"}, {"B": "YQ=="}, {"NULL": True}]}}},
    }
    assert normalize_item(item) == {
        "id": {"S": "1.0"},
        "n": {"N": "1.5"},
        "ns": {"NS": ["100", "2"]},
        "m": {"M": {"x": {"N": "0"}, "l": {"L": [{"N": "0.1"}, {"B": "YQ=="}, {"NULL": True}]}}},
    }
    assert item["n"] == {"N": "1.50"}


# ---------------------------------------------------------------------------------------------------- sizes


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ({"S": "abc"}, 3),
        ({"S": "é€𝄞"}, 2 + 3 + 4),
        ({"S": ""}, 0),
        ({"B": b64(b"\x00\x01\x02\x03\x04")}, 5),
        ({"B": ""}, 0),
        ({"BOOL": True}, 1),
        ({"NULL": True}, 1),
        ({"N": "0"}, 1),
        ({"N": "1"}, 2),
        ({"N": "12"}, 2),
        ({"N": "123"}, 3),
        ({"N": "1.2"}, 3),
        ({"N": "-1"}, 3),
        ({"N": "1" * 38}, 20),
        ({"SS": ["ab", "c"]}, 3),
        ({"NS": ["1", "12"]}, 4),
        ({"BS": [b64(b"ab"), b64(b"c")]}, 3),
        ({"L": []}, 3),
        ({"M": {}}, 3),
        ({"L": [{"S": "ab"}, {"BOOL": True}]}, 3 + (1 + 2) + (1 + 1)),
        ({"M": {"ab": {"S": "xyz"}}}, 3 + 1 + 2 + 3),
    ],
)
def test_value_sizes_follow_the_item_sizes_guide(value, size):
    assert value_size(value) == size


def test_item_size_adds_utf8_attribute_name_lengths():
    assert item_size({"id": {"S": "abc"}, "né": {"N": "12345"}, "m": {"M": {"a": {"NULL": True}}}}) == (
        (2 + 3) + (3 + 4) + (1 + 3 + 1 + 1 + 1)
    )


def test_item_of_exactly_400_kb_is_accepted_and_one_byte_more_is_rejected():
    item = {"id": {"S": "a"}, "d": {"S": "x" * (MAX_ITEM_SIZE - 4)}}
    assert item_size(item) == MAX_ITEM_SIZE
    check_item_size(item)
    item["d"] = {"S": "x" * (MAX_ITEM_SIZE - 3)}
    with raises(ValidationException, "Item size has exceeded the maximum allowed size"):
        check_item_size(item)


# ---------------------------------------------------------------------------------------------------- keys


def test_extract_key_returns_only_the_key_attributes_hash_first():
    item = {"x": {"N": "1"}, "sk": {"N": "2"}, "id": {"S": "a"}}
    key = extract_key(item, RANGE_SCHEMA, {"id": "S", "sk": "N"}, for_item=True)
    assert list(key.items()) == [("id", {"S": "a"}), ("sk", {"N": "2"})]


def test_item_missing_a_key_attribute_is_rejected():
    with raises(ValidationException, INVALID + "Missing the key sk in the item"):
        extract_key({"id": {"S": "a"}}, RANGE_SCHEMA, {"id": "S", "sk": "N"}, for_item=True)


def test_item_key_of_the_wrong_type_is_rejected():
    with raises(ValidationException, INVALID + "Type mismatch for key id expected: S actual: N"):
        extract_key({"id": {"N": "1"}}, HASH_SCHEMA, {"id": "S"}, for_item=True)


@pytest.mark.parametrize(
    "key",
    [
        {},
        {"b": {"S": "a"}},
        {"id": {"S": "a"}, "b": {"S": "a"}},
        {"id": {"N": "1"}},
        {"id": {"B": "YQ=="}},
        {"id": {"NULL": True}},
        {"id": {"SS": ["a"]}},
        {"id": {"M": {}}},
    ],
)
def test_key_parameter_that_differs_from_the_schema_is_rejected(key):
    with raises(ValidationException, "The provided key element does not match the schema"):
        extract_key(key, HASH_SCHEMA, {"id": "S"}, for_item=False)


def test_key_parameter_missing_the_range_key_is_rejected():
    with raises(ValidationException, "The provided key element does not match the schema"):
        extract_key({"id": {"S": "a"}}, RANGE_SCHEMA, {"id": "S", "sk": "N"}, for_item=False)


@pytest.mark.parametrize("for_item", [True, False])
def test_empty_string_key_is_rejected_naming_the_key(for_item):
    message = (
        "One or more parameter values are not valid. "
        "The AttributeValue for a key attribute cannot contain an empty string value. Key: id"
    )
    with raises(ValidationException, message):
        extract_key({"id": {"S": ""}}, HASH_SCHEMA, {"id": "S"}, for_item=for_item)


def test_empty_binary_range_key_is_rejected_naming_the_key():
    message = (
        "One or more parameter values are not valid. "
        "The AttributeValue for a key attribute cannot contain an empty binary value. Key: sk"
    )
    with raises(ValidationException, message):
        extract_key({"id": {"S": "a"}, "sk": {"B": ""}}, RANGE_SCHEMA, {"id": "S", "sk": "B"}, for_item=True)


def test_hash_key_of_2048_bytes_is_accepted_and_2049_rejected_with_awss_typo():
    extract_key({"id": {"S": "é" * 1024}}, HASH_SCHEMA, {"id": "S"}, for_item=True)
    with raises(ValidationException, INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes"):
        extract_key({"id": {"S": "é" * 1024 + "a"}}, HASH_SCHEMA, {"id": "S"}, for_item=True)


def test_range_key_of_1024_bytes_is_accepted_and_1025_rejected():
    types = {"id": "S", "sk": "B"}
    extract_key({"id": {"S": "a"}, "sk": {"B": b64(b"x" * 1024)}}, RANGE_SCHEMA, types, for_item=False)
    with raises(ValidationException, RANGE_TOO_LARGE):
        extract_key({"id": {"S": "a"}, "sk": {"B": b64(b"x" * 1025)}}, RANGE_SCHEMA, types, for_item=False)


def test_number_keys_have_no_size_check():
    key = extract_key({"id": {"N": "-" + "9" * 38}}, HASH_SCHEMA, {"id": "N"}, for_item=True)
    assert key == {"id": {"N": "-" + "9" * 38}}


GSI = {"IndexName": "gsi1", "KeySchema": [{"AttributeName": "gsi_hk", "KeyType": "HASH"}]}
LSI = {
    "IndexName": "lsi1",
    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "gsi_hk", "KeyType": "RANGE"}],
}
INDEX_TYPES = {"id": "S", "gsi_hk": "S", "bk": "B"}


def test_item_with_an_index_key_of_the_wrong_type_is_rejected_naming_the_gsi_first():
    message = INVALID + "Type mismatch for Index Key gsi_hk Expected: S Actual: N IndexName: gsi1"
    with raises(ValidationException, message):
        check_index_keys({"id": {"S": "a"}, "gsi_hk": {"N": "1"}}, INDEX_TYPES, [GSI], [LSI])


def test_item_without_the_index_key_attributes_is_accepted():
    check_index_keys({"id": {"S": "a"}}, INDEX_TYPES, [GSI], [LSI])


def test_item_with_an_empty_string_index_key_is_rejected():
    message = (
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
        "The AttributeValue for a key attribute cannot contain an empty string value. "
        "IndexName: lsi1, IndexKey: gsi_hk"
    )
    with raises(ValidationException, message):
        check_index_keys({"id": {"S": "a"}, "gsi_hk": {"S": ""}}, INDEX_TYPES, [], [LSI])


def test_item_with_an_empty_binary_index_key_is_rejected():
    index = {"IndexName": "gsib", "KeySchema": [{"AttributeName": "bk", "KeyType": "HASH"}]}
    message = (
        "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "
        "The AttributeValue for a key attribute cannot contain an empty binary value. "
        "IndexName: gsib, IndexKey: bk"
    )
    with raises(ValidationException, message):
        check_index_keys({"id": {"S": "a"}, "bk": {"B": ""}}, INDEX_TYPES, [index])


# ---------------------------------------------------------------------------------------------------- ordering


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"N": "1"}, {"N": "1.0"}, 0),
        ({"N": "-0"}, {"N": "0"}, 0),
        ({"N": "2"}, {"N": "10"}, -1),
        ({"N": "-2"}, {"N": "-10"}, 1),
        ({"N": "1"}, {"N": "1.5"}, -1),
        ({"N": "-1"}, {"N": "-1.5"}, 1),
        ({"N": "-1e-130"}, {"N": "0"}, -1),
        ({"S": "a"}, {"S": "B"}, 1),
        ({"S": "\uffff"}, {"S": "𝄞"}, -1),
        ({"S": "ab"}, {"S": "a"}, 1),
        ({"B": b64(b"\x80")}, {"B": b64(b"\x7f\xff")}, 1),
        ({"B": ""}, {"B": b64(b"\x00")}, -1),
    ],
)
def test_compare_values_orders_scalars_as_dynamodb_does(a, b, expected):
    assert compare_values(a, b) == expected
    assert compare_values(b, a) == -expected


def test_compare_values_refuses_mixed_or_non_scalar_types():
    with pytest.raises(ValueError):
        compare_values({"S": "1"}, {"N": "1"})
    with pytest.raises(ValueError):
        compare_values({"SS": ["a"]}, {"SS": ["a"]})


def test_a_false_null_is_accepted_and_normalized_to_true():
    validate_attribute_value({"NULL": False})
    assert normalize_item({"a": {"NULL": False}, "m": {"M": {"b": {"NULL": False}}}}) == {
        "a": {"NULL": True}, "m": {"M": {"b": {"NULL": True}}}}
