"""AWS's `json` protocol (DynamoDB, CloudWatch Logs, Cognito ...): POST /, X-Amz-Target names the operation.

https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
"""

from __future__ import annotations

import zlib
from typing import Any

from botocore.model import ServiceModel

from . import serialize
from .base import ParsedRequest, Request, Response
from .errors import ServiceError
from .validate import Compiler, Options, validate


class JsonProtocol:
    name = "json"

    def __init__(
        self,
        model: ServiceModel,
        *,
        options: Options | None = None,
        error_prefix: str = "",
        serialization_error: type[ServiceError] | None = None,
        unknown_operation_error: type[ServiceError] | None = None,
        crc32: bool = False,
    ) -> None:
        from .errors import SerializationException, UnknownOperationException

        self.model = model
        self.options = options or Options()
        self.compiler = Compiler(self.options)
        self.target_prefix = model.metadata.get("targetPrefix", "")
        self.content_type = "application/x-amz-json-" + model.metadata.get("jsonVersion", "1.0")
        self.error_prefix = error_prefix
        self.serialization_error = serialization_error or SerializationException
        self.unknown_operation_error = unknown_operation_error or UnknownOperationException
        self.crc32 = crc32
        self._operations = set(model.operation_names)

    def operation_name(self, request: Request) -> str:
        target = request.headers.get("x-amz-target", "")
        prefix, _, op = target.rpartition(".")
        if prefix != self.target_prefix or op not in self._operations:
            raise self.unknown_operation_error("")
        return op

    def parse(self, request: Request) -> ParsedRequest:
        op = self.operation_name(request)
        body = request.body
        if body.strip():
            try:
                data = serialize.loads(body)
            except ValueError:
                raise self.serialization_error("") from None
        else:
            data = {}
        if not isinstance(data, dict):
            raise self.serialization_error("Unexpected value type in payload")
        shape = self.model.operation_model(op).input_shape
        return ParsedRequest(op, validate(self.compiler, shape, data))

    def serialize(self, operation: str, result: dict[str, Any] | None, request_id: str) -> Response:
        body = serialize.dumps(result or {})
        return Response(200, body, self._headers(body, request_id))

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        prefix = error.type_prefix if error.type_prefix is not None else self.error_prefix
        payload: dict[str, Any] = {"__type": prefix + error.code}
        if error.message:
            # Coral names the member "Message" for SerializationException and "message" elsewhere.
            payload["Message" if error.code == "SerializationException" else "message"] = error.message
        payload.update(error.fields)
        body = serialize.dumps(payload)
        return Response(error.status_code, body, self._headers(body, request_id))

    def _headers(self, body: bytes, request_id: str) -> dict[str, str]:
        headers = {"content-type": self.content_type, "x-amzn-requestid": request_id}
        if self.crc32:
            headers["x-amz-crc32"] = str(zlib.crc32(body) & 0xFFFFFFFF)
        return headers
