"""DynamoDB as the server sees it: the json protocol over botocore's model, and the operation registry."""

from __future__ import annotations

from pocketcloud.protocols.json_protocol import JsonProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.protocols.validate import Options
from pocketcloud.services.base import Service

from . import errors
from .operations import OPERATIONS
from .ttl import start_sweeper

PROTOCOL = JsonProtocol(
    service_model("dynamodb"),
    # Items keep binary values as base64 text end to end (stored and returned without re-encoding).
    options=Options(decode_blobs=False, serialization_error=errors.SerializationException,
                    validation_error=errors.ValidationException),
    error_prefix="com.amazonaws.dynamodb.v20120810#",
    serialization_error=errors.SerializationException,
    unknown_operation_error=errors.UnknownOperationException,
    crc32=True,
)

SERVICE = Service(name="dynamodb", protocol=PROTOCOL, operations=OPERATIONS, on_startup=[start_sweeper])
