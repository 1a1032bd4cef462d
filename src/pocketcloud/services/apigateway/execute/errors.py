"""Gateway responses: the errors API Gateway itself answers on the data plane, with AWS's status, body and type.

https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
"""

from __future__ import annotations

import json


class GatewayError(Exception):
    """Raised by any step of the chain; serve.py turns it into the response AWS sends."""

    def __init__(self, status: int, message: str, error_type: str, *, log_detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.log_detail = log_detail

    @property
    def body(self) -> bytes:
        # AWS writes its gateway responses compactly, except the 500/502 body, which has a space after the colon.
        if self.message == "Internal server error":
            return b'{"message": "Internal server error"}'
        return json.dumps({"message": self.message}, separators=(",", ":")).encode()


def missing_authentication_token() -> GatewayError:
    return GatewayError(403, "Missing Authentication Token", "MissingAuthenticationTokenException")


def forbidden() -> GatewayError:
    return GatewayError(403, "Forbidden", "ForbiddenException")


def unauthorized() -> GatewayError:
    return GatewayError(401, "Unauthorized", "UnauthorizedException")


def internal_error(detail: str = "") -> GatewayError:
    return GatewayError(500, "Internal server error", "InternalServerErrorException", log_detail=detail)


def bad_gateway(detail: str = "") -> GatewayError:
    # AWS_PROXY malformed responses and function errors: 502 with the same body as a 500.
    return GatewayError(502, "Internal server error", "InternalServerErrorException", log_detail=detail)


def integration_timeout() -> GatewayError:
    return GatewayError(504, "Endpoint request timed out", "InternalServerErrorException")
