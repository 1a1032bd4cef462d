"""AWS's `json` protocol (DynamoDB, CloudWatch Logs, Cognito ...): POST /, X-Amz-Target names the operation.

https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
"""

from __future__ import annotations

import contextvars
import zlib
from collections.abc import Callable
from typing import Any

from botocore.model import ServiceModel

from . import serialize
from .base import ParsedRequest, Request, Response
from .errors import ServiceError
from .validate import Compiler, Options, raise_collected, validate

# What the response should echo of the request being served (content type, CORS origin). A context variable:
# every request runs in its own task, and serialize() is called without the request.
_EMPTY_CRC32 = str(zlib.crc32(b"{}") & 0xFFFFFFFF)

_ECHO: contextvars.ContextVar[tuple[str | None, bool]] = contextvars.ContextVar("json_protocol_echo", default=(None, False))


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
        prevalidate: Callable[[str, dict[str, Any], list[str]], None] | None = None,
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
        # Service checks that AWS makes before the model's constraints (e.g. DynamoDB's TableName rules).
        self.prevalidate = prevalidate
        self._operations = set(model.operation_names)
        # botocore builds an OperationModel per call (~2 µs): keep each operation's input shape.
        self._input_shapes: dict[str, Any] = {}

    def operation_name(self, request: Request) -> str:
        target = request.headers.get("x-amz-target", "")
        prefix, _, op = target.rpartition(".")
        if prefix != self.target_prefix or op not in self._operations:
            raise self.unknown_operation_error("")
        return op

    def parse(self, request: Request) -> ParsedRequest:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        _ECHO.set((content_type if content_type == "application/json" else None, "origin" in request.headers))
        body = request.body
        # AWS reads the body before the target: a body that is not JSON is a SerializationException even
        # when the operation is unknown, and an empty body is one too (SDKs always send at least "{}").
        try:
            data = serialize.loads(body) if body and not body.isspace() else None  # strip() would copy it
        except ValueError:
            raise self.serialization_error("") from None
        op = self.operation_name(request)
        if data is None:
            raise self.serialization_error("")
        if not isinstance(data, dict):
            raise self.serialization_error("Unexpected value type in payload")
        shape = self._input_shapes.get(op, False)
        if shape is False:
            shape = self._input_shapes[op] = self.model.operation_model(op).input_shape
        if self.prevalidate is None or shape is None:
            return ParsedRequest(op, validate(self.compiler, shape, data))
        # Wrong JSON types are found first, then the service's own checks, then the model's constraints.
        errors: list[str] = []
        params = self.compiler.checker(shape)(data, "", errors)
        self.prevalidate(op, data, errors)
        raise_collected(errors, self.options.validation_error)
        return ParsedRequest(op, params)

    def serialize(self, operation: str, result: dict[str, Any] | None, request_id: str) -> Response:
        if not result:  # a plain PutItem / DeleteItem / UpdateItem answers {}: no encoding, a known CRC32
            return Response(200, b"{}", self._headers(b"{}", request_id, _EMPTY_CRC32))
        body = serialize.dumps(result)
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

    def _headers(self, body: bytes, request_id: str, crc32: str | None = None) -> dict[str, str]:
        echo_type, cors = _ECHO.get()
        headers = {"content-type": echo_type or self.content_type, "x-amzn-requestid": request_id}
        if cors:
            headers["access-control-allow-origin"] = "*"
        if self.crc32:
            headers["x-amz-crc32"] = crc32 or str(zlib.crc32(body) & 0xFFFFFFFF)
        return headers

