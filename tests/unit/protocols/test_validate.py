"""Coral-style validation compiled from botocore shapes."""

from __future__ import annotations

import pytest

from pocketcloud.protocols.errors import SerializationException, ValidationException
from pocketcloud.protocols.specs import service_model
from pocketcloud.protocols.validate import Compiler, Options, check_base64, validate


@pytest.fixture(scope="module")
def ddb():
    return service_model("dynamodb")


@pytest.fixture(scope="module")
def compiler():
    return Compiler(Options(decode_blobs=False))


def shape(ddb, op):
    return ddb.operation_model(op).input_shape


def test_missing_required_member_is_reported_with_its_lower_camel_path(ddb, compiler):
    with pytest.raises(ValidationException) as err:
        validate(compiler, shape(ddb, "DescribeTable"), {})
    assert err.value.message == (
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"
    )


def test_several_violations_are_reported_together_and_counted(ddb, compiler):
    with pytest.raises(ValidationException) as err:
        validate(compiler, shape(ddb, "CreateTable"), {
            "TableName": "abc",
            "KeySchema": [{"AttributeName": "id", "KeyType": "BOTH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "X"}],
        })
    message = err.value.message
    assert message.startswith("2 validation errors detected: ")
    assert "Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [S, N, B]" in message
    assert "Value 'BOTH' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]" in message


def test_number_below_minimum_is_a_validation_error(ddb, compiler):
    with pytest.raises(ValidationException) as err:
        validate(compiler, shape(ddb, "Scan"), {"TableName": "abc", "Limit": 0})
    assert "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1" in err.value.message


def test_string_given_as_number_is_a_serialization_error_naming_the_java_class(ddb, compiler):
    with pytest.raises(SerializationException) as err:
        validate(compiler, shape(ddb, "DescribeTable"), {"TableName": 12})
    assert err.value.message == "class java.lang.Short can not be converted to an String"


def test_list_given_as_string_is_a_serialization_error(ddb, compiler):
    with pytest.raises(SerializationException) as err:
        validate(compiler, shape(ddb, "CreateTable"), {"TableName": "abc", "KeySchema": "x"})
    assert err.value.message == "Expected list or null"


def test_structure_given_as_list_is_a_serialization_error(ddb, compiler):
    with pytest.raises(SerializationException) as err:
        validate(compiler, shape(ddb, "GetItem"), {"TableName": "abc", "Key": []})
    assert err.value.message == "Start of list found where not expected"


def test_type_errors_win_over_constraint_errors_anywhere_in_the_request(ddb, compiler):
    with pytest.raises(SerializationException):
        validate(compiler, shape(ddb, "Scan"), {"Limit": 0, "Select": 5})


def test_unknown_members_are_dropped(ddb, compiler):
    assert validate(compiler, shape(ddb, "DescribeTable"), {"TableName": "abc", "Bogus": 1}) == {"TableName": "abc"}


def test_integral_members_given_as_floats_are_floored(ddb, compiler):
    assert validate(compiler, shape(ddb, "Scan"), {"TableName": "abc", "Limit": 2.7})["Limit"] == 2


def test_recursive_attribute_values_are_checked_at_depth(ddb, compiler):
    item = {"id": {"M": {"a": {"L": [{"S": 5}]}}}}
    with pytest.raises(SerializationException):
        validate(compiler, shape(ddb, "PutItem"), {"TableName": "abc", "Item": item})


def test_blobs_stay_base64_text_when_the_protocol_asks(ddb, compiler):
    out = validate(compiler, shape(ddb, "PutItem"), {"TableName": "abc", "Item": {"b": {"B": "AAE="}}})
    assert out["Item"]["b"]["B"] == "AAE="


def test_blobs_are_decoded_by_default(ddb):
    out = validate(Compiler(Options()), shape(ddb, "PutItem"), {"TableName": "abc", "Item": {"b": {"B": "AAE="}}})
    assert out["Item"]["b"]["B"] == b"\x00\x01"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("abc", "Base64 encoded length is expected a multiple of 4 bytes but found: 3"),
        ("ab!=", "Invalid Base64 character: '!'"),
        ("AB==", "Invalid last non-pad Base64 character dectected"),
    ],
)
def test_bad_base64_is_rejected_with_aws_wording(text, reason):
    with pytest.raises(SerializationException) as err:
        check_base64(text)
    assert err.value.message == f"'{text}' can not be converted to a Blob: {reason}"
