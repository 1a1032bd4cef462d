"""AWS's `rest-json` protocol (Lambda, API Gateway, ...): the URI, query string, headers and a JSON body.

https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.model import ServiceModel

from . import serialize
from .base import ParsedRequest, Request, Response
from .errors import NotFound, SerializationException, ServiceError
from .rest import Router, bind_http_params, header_text
from .validate import Compiler, Options, validate

ErrorBody = Callable[[ServiceError], dict[str, Any]]


def default_error_body(error: ServiceError) -> dict[str, Any]:
    body: dict[str, Any] = {"message": error.message}
    body.update(error.fields)
    return body


class RestJsonProtocol:
    name = "rest-json"

    def __init__(self, model: ServiceModel, *, options: Options | None = None, error_body: ErrorBody | None = None) -> None:
        self.model = model
        self.options = options or Options()
        self.compiler = Compiler(self.options)
        self.router = Router(model)
        self.error_body = error_body or default_error_body

    def match(self, request: Request) -> tuple[str, dict[str, str]] | None:
        return self.router.match(request)

    def parse(self, request: Request) -> ParsedRequest:
        found = self.router.match(request)
        if found is None:
            raise NotFound(f"Unable to find operation for {request.method} {request.path}")
        op_name, uri_params = found
        op = self.model.operation_model(op_name)
        params, body_members = bind_http_params(op, request, uri_params)
        shape = op.input_shape
        if shape is not None:
            payload_name = shape.serialization.get("payload")
            if payload_name:
                member = shape.members[payload_name]
                if member.type_name in ("blob", "string"):
                    if request.body or member.type_name == "blob":
                        params[payload_name] = request.body if member.type_name == "blob" else request.body.decode()
                elif request.body.strip():
                    params[payload_name] = self._json(request.body)
            elif body_members and request.body.strip():
                data = self._json(request.body)
                if not isinstance(data, dict):
                    raise SerializationException("Unexpected value type in payload")
                members = shape.members
                for name in body_members:
                    # Body members may have another name on the wire (API Gateway: "item", "httpMethod").
                    wire = members[name].serialization.get("name", name)
                    if wire in data:
                        params[name] = data[wire]
        return ParsedRequest(op_name, validate(self.compiler, shape, params))

    @staticmethod
    def _json(body: bytes) -> Any:
        try:
            return serialize.loads(body)
        except ValueError:
            raise SerializationException("Could not parse request body into json: malformed JSON") from None

    def serialize(self, operation: str, result: dict[str, Any] | None, request_id: str) -> Response:
        op = self.model.operation_model(operation)
        result = result or {}
        status = int(op.http.get("responseCode", 200))
        headers = {"x-amzn-requestid": request_id}
        shape = op.output_shape
        body_fields: dict[str, Any] = {}
        body: bytes | None = None
        if shape is None:
            body = b"{}" if not result else serialize.dumps(result)
        else:
            payload_name = shape.serialization.get("payload")
            for name, member in shape.members.items():
                if name not in result or result[name] is None:
                    continue
                value = result[name]
                loc = member.serialization.get("location")
                if loc == "header":
                    headers[member.serialization.get("name", name).lower()] = header_text(member, value)
                elif loc == "headers":
                    prefix = member.serialization.get("name", name).lower()
                    for k, v in value.items():
                        headers[prefix + k.lower()] = str(v)
                elif loc == "statusCode":
                    status = int(value)
                elif name == payload_name:
                    if member.type_name == "blob":
                        body = value if isinstance(value, bytes) else str(value).encode()
                        headers.setdefault("content-type", "application/octet-stream")
                    elif member.type_name == "string":
                        body = value.encode() if isinstance(value, str) else value
                    else:
                        body = serialize.dumps(value)
                else:
                    body_fields[member.serialization.get("name", name)] = value
            if body is None:
                body = serialize.dumps(body_fields) if (body_fields or not payload_name) else b""
        headers.setdefault("content-type", "application/json")
        return Response(status, body, headers)

    def serialize_error(self, error: ServiceError, request_id: str) -> Response:
        body = serialize.dumps(self.error_body(error))
        headers = {
            "content-type": "application/json",
            "x-amzn-requestid": request_id,
            "x-amzn-errortype": error.code,
        }
        return Response(error.status_code, body, headers)
