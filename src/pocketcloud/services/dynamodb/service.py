"""DynamoDB as the server sees it: the json protocol over botocore's model, and the operation registry.

The published model has drifted from what DynamoDB enforces: TableName members accept a table ARN (shape
TableArn, 1..1024) yet a plain name must still be 3..255 characters of [a-zA-Z0-9_.-], and DynamoDB prints some
enum sets in its own order. Those rules live here, as AWS words them (checked against dynalite's suite, which
runs against real DynamoDB).
"""

from __future__ import annotations

from typing import Any

from pocketcloud.protocols.json_protocol import JsonProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.protocols.validate import Options

from pocketcloud.services.base import Service

from . import errors
from .operations import OPERATIONS
from .operations.batch_get_item import prevalidate as prevalidate_batch_get
from .ttl import start_sweeper

_NAME_PATTERN = "[a-zA-Z0-9_.-]+"
OVERRIDES: dict[str, dict[str, Any]] = {
    "TableArn": {"min": 3, "max": 255, "pattern": _NAME_PATTERN, "arn_exempt": True},
    "ScalarAttributeType": {"enum": ["B", "N", "S"]},
    "ProjectionType": {"enum": ["ALL", "INCLUDE", "KEYS_ONLY"]},
    "Select": {"enum": ["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"]},
    "ComparisonOperator": {"enum": [
        "IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL", "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS",
    ]},
}


def prevalidate(operation: str, data: dict[str, Any], errors: list[str]) -> None:
    """DynamoDB's own checks, after wrong JSON types and before the model's constraints are reported."""
    if operation == "CreateTable":
        # Optional in the published model, still required by DynamoDB (reported with the other constraints).
        for member, at in (("AttributeDefinitions", 0), ("KeySchema", len(errors))):
            if data.get(member) is None:
                errors.insert(at, f"Value null at '{member[0].lower() + member[1:]}' failed to satisfy constraint: "
                              "Member must not be null")
    elif operation == "BatchGetItem":
        prevalidate_batch_get(data, errors)
    check_table_name(operation, data)


def check_table_name(operation: str, data: dict[str, Any]) -> None:
    """DynamoDB checks a top-level TableName before the model's constraints, with messages of its own."""
    if "TableName" not in _TABLE_NAME_OPS.get(operation, ()):
        return
    name = data.get("TableName")
    if name is None:
        if operation in _TABLE_NAME_REQUIRED:
            raise errors.ValidationException("The parameter 'TableName' is required but was not present in the request")
        return
    if isinstance(name, str) and not name.startswith("arn:") and not 3 <= len(name) <= 255:
        raise errors.ValidationException("TableName must be at least 3 characters long and at most 255 characters long")


_MODEL = service_model("dynamodb")
_TABLE_NAME_OPS = {
    op: tuple(_MODEL.operation_model(op).input_shape.members)
    for op in _MODEL.operation_names
    if _MODEL.operation_model(op).input_shape is not None
}
_TABLE_NAME_REQUIRED = {
    op for op in _MODEL.operation_names
    if _MODEL.operation_model(op).input_shape is not None
    and "TableName" in _MODEL.operation_model(op).input_shape.required_members
}

PROTOCOL = JsonProtocol(
    _MODEL,
    # Items keep binary values as base64 text end to end (stored and returned without re-encoding).
    options=Options(decode_blobs=False, serialization_error=errors.SerializationException,
                    validation_error=errors.ValidationException, smithy=True,
                    namespace="com.amazonaws.dynamodb.v20120810", overrides=OVERRIDES),
    error_prefix="com.amazonaws.dynamodb.v20120810#",
    serialization_error=errors.SerializationException,
    unknown_operation_error=errors.UnknownOperationException,
    crc32=True,
    prevalidate=prevalidate,
)

SERVICE = Service(name="dynamodb", protocol=PROTOCOL, operations=OPERATIONS, on_startup=[start_sweeper])
