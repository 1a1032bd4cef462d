"""API Gateway (REST APIs) as the server sees it: rest-json over botocore's model, and the operation registry.

The data plane (invoke URLs) does not come through here: server/app.py sends it to serve.py.
"""

from __future__ import annotations

from pocketcloud.protocols.rest_json import RestJsonProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.protocols.validate import Options
from pocketcloud.services.base import Service

from . import errors
from .operations import OPERATIONS

PROTOCOL = RestJsonProtocol(
    service_model("apigateway"),
    options=Options(validation_error=errors.BadRequestException, serialization_error=errors.BadRequestException),
)

SERVICE = Service(name="apigateway", protocol=PROTOCOL, operations=OPERATIONS)
