"""DynamoDB Streams as the server sees it: the json protocol over botocore's model.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html

The records themselves are written by the DynamoDB write path (`dynamodb.tables.capture_change`, inside each
write's own transaction); this service only reads them back. Each stream has a single open shard.
"""

from __future__ import annotations

from pocketcloud.protocols.json_protocol import JsonProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.protocols.validate import Options
from pocketcloud.services.base import Service
from pocketcloud.services.dynamodb import errors

from .operations import OPERATIONS

PROTOCOL = JsonProtocol(
    service_model("dynamodbstreams"),
    options=Options(decode_blobs=False, serialization_error=errors.SerializationException,
                    validation_error=errors.ValidationException, smithy=True,
                    namespace="com.amazonaws.dynamodb.v20120810"),
    error_prefix="com.amazonaws.dynamodb.v20120810#",
    serialization_error=errors.SerializationException,
    unknown_operation_error=errors.UnknownOperationException,
)

SERVICE = Service(name="dynamodbstreams", protocol=PROTOCOL, operations=OPERATIONS,
                  unimplemented=errors.UnknownOperationException)
