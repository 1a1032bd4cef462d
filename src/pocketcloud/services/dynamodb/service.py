"""DynamoDB as the server sees it: the json protocol over botocore's model, and the operation registry.

The published model has drifted from what DynamoDB enforces: TableName members accept a table ARN (shape
TableArn, 1..1024) yet a plain name must still be 3..255 characters of [a-zA-Z0-9_.-], and DynamoDB prints some
enum sets in its own order. Those rules live here, as AWS words them (2026 captures of real DynamoDB in
eu-west-2, published with nubo-db/dynamodb-conformance; older regions still answer dynalite-era wordings).
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
from .operations.batch_write_item import prevalidate as prevalidate_batch_write
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
        _check_key_schema_length(data.get("KeySchema"), errors)
    elif operation == "BatchGetItem":
        prevalidate_batch_get(data, errors)
    elif operation == "BatchWriteItem":
        prevalidate_batch_write(data, errors)
    elif operation == "Query":
        # Query words a too-small Limit with the newer validator: capitalised, and without the value.
        errors[:] = [_QUERY_LIMIT if e.startswith("Value '") and e.endswith(_CORAL_LIMIT) else e for e in errors]
    elif operation == "UpdateItem":
        # UpdateItem stops at an invalid ReturnValues instead of collecting the other enum errors with it.
        first = next((e for e in errors if " at 'returnValues' failed to satisfy constraint: " in e), None)
        if first is not None:
            errors[:] = [first]
    check_table_name(operation, data)


_CORAL_LIMIT = "at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
_QUERY_LIMIT = "Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1"


def _check_key_schema_length(key_schema: Any, errors: list[str]) -> None:
    """The published model lost KeySchema's maximum of 2; DynamoDB still prints the elements Java-style."""
    if not isinstance(key_schema, list) or len(key_schema) <= 2:
        return
    shown = ", ".join(
        f"KeySchemaElement(attributeName={e.get('AttributeName')}, keyType={e.get('KeyType')})"
        if isinstance(e, dict) else str(e) for e in key_schema)
    errors.append(f"Value '[{shown}]' at 'keySchema' failed to satisfy constraint: "
                  "Member must have length less than or equal to 2")


def check_table_name(operation: str, data: dict[str, Any]) -> None:
    """A missing or empty TableName: DynamoDB answers these before (and instead of) the other constraints.

    A name that is present is checked by the model (OVERRIDES: 3..255 of [a-zA-Z0-9_.-], ARNs exempt) and
    reported with the other collected constraints, e.g. "Value 'ab' at 'tableName' failed to satisfy ...".
    """
    if "TableName" not in _TABLE_NAME_OPS.get(operation, ()):
        return
    name = data.get("TableName")
    item_op = operation in _ITEM_OPS
    if name is None:
        # The item operations report a missing name as a collected "Value null" constraint (the model's).
        if operation in _TABLE_NAME_REQUIRED and not item_op:
            raise errors.ValidationException("The parameter 'TableName' is required but was not present in the request")
        return
    if name == "" and item_op:
        raise errors.ValidationException(
            "1 validation error detected: Value at 'TableName' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1")


_ITEM_OPS = frozenset({"PutItem", "GetItem", "DeleteItem", "UpdateItem", "Query", "Scan"})

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

# An operation pocketcloud does not implement (PartiQL, backups, ...) answers as DynamoDB answers an operation it
# does not know, so clients and test suites that probe for a feature see "unsupported" rather than a failure.
SERVICE = Service(name="dynamodb", protocol=PROTOCOL, operations=OPERATIONS, on_startup=[start_sweeper],
                  unimplemented=errors.UnknownOperationException)
