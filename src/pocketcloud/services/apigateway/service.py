"""API Gateway (REST APIs) as the server sees it: rest-json over botocore's model, and the operation registry.

The data plane (invoke URLs) does not come through here: server/app.py sends it to serve.py.
"""

from __future__ import annotations

import functools
from typing import Any

from pocketcloud.protocols import serialize
from pocketcloud.protocols.base import ParsedRequest, Request, Response
from pocketcloud.protocols.rest_json import RestJsonProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.protocols.validate import Options
from pocketcloud.services.base import Service

from . import errors
from .operations import OPERATIONS

class ApiGatewayProtocol(RestJsonProtocol):
    """rest-json plus the body members API Gateway names differently on the wire (`locationName`): list outputs
    send `items` as "item", PutIntegration receives `integrationHttpMethod` as "httpMethod".

    The shared rest-json parser/serializer ignore locationName for body members; this keeps the fix local until
    they honour it.
    """

    def parse(self, request: Request) -> ParsedRequest:
        parsed = super().parse(request)
        if parsed.operation == "PutIntegration" and "integrationHttpMethod" not in parsed.params and request.body:
            try:
                body = serialize.loads(request.body)
            except ValueError:
                body = None
            if isinstance(body, dict) and isinstance(body.get("httpMethod"), str):
                parsed.params["integrationHttpMethod"] = body["httpMethod"]
        return parsed

    def serialize(self, operation: str, result: dict[str, Any] | None, request_id: str) -> Response:
        response = super().serialize(operation, result, request_id)
        renames = _renames(self.model, operation)
        if renames and response.body:
            body = serialize.loads(response.body)
            for name, wire in renames.items():
                if name in body:
                    body[wire] = body.pop(name)
            response.body = serialize.dumps(body)
        return response


@functools.cache
def _renames(model: Any, operation: str) -> dict[str, str]:
    shape = model.operation_model(operation).output_shape
    if shape is None:
        return {}
    return {name: m.serialization["name"] for name, m in shape.members.items()
            if m.serialization.get("name") and not m.serialization.get("location") and m.serialization["name"] != name}


PROTOCOL = ApiGatewayProtocol(
    service_model("apigateway"),
    options=Options(validation_error=errors.BadRequestException, serialization_error=errors.BadRequestException),
)

SERVICE = Service(name="apigateway", protocol=PROTOCOL, operations=OPERATIONS)
