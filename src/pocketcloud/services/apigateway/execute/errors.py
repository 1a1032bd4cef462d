"""Gateway responses: the errors API Gateway itself answers on the data plane, with AWS's status, body and type.

https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
"""

from __future__ import annotations

import json


class GatewayError(Exception):
    """Raised by any step of the chain; serve.py turns it into the response AWS sends.

    `response_type` is the gateway response type AWS files it under (`$context.error.responseType` in access logs;
    the key of PutGatewayResponse): DEFAULT_4XX / DEFAULT_5XX unless a more specific type applies.
    """

    def __init__(self, status: int, message: str, error_type: str, *, log_detail: str = "",
                 response_type: str | None = None, validation_error: str = "") -> None:
        super().__init__(message)
        self.validation_error = validation_error  # `$context.error.validationErrorString`: what a validator refused
        self.status = status
        self.message = message
        self.error_type = error_type
        self.log_detail = log_detail
        self.response_type = response_type or ("DEFAULT_5XX" if status >= 500 else "DEFAULT_4XX")

    @property
    def context_values(self) -> dict[str, str]:
        """`$context.error.*` (without the prefix), as gateway response templates and access logs read them."""
        values = {"message": self.message, "messageString": json.dumps(self.message),
                  "responseType": self.response_type}
        if self.validation_error:
            values["validationErrorString"] = self.validation_error
        return values

    @property
    def body(self) -> bytes:
        # AWS writes its gateway responses compactly, except the 500/502 body, which has a space after the colon.
        if self.message == "Internal server error":
            return b'{"message": "Internal server error"}'
        return json.dumps({"message": self.message}, separators=(",", ":")).encode()


def missing_authentication_token() -> GatewayError:
    return GatewayError(403, "Missing Authentication Token", "MissingAuthenticationTokenException",
                        response_type="MISSING_AUTHENTICATION_TOKEN")


def forbidden() -> GatewayError:
    return GatewayError(403, "Forbidden", "ForbiddenException")


def invalid_api_key() -> GatewayError:
    """A method that requires an API key, called without one."""
    return GatewayError(403, "Forbidden", "ForbiddenException", response_type="INVALID_API_KEY")


# AWS's REST API payload quota: 10 MB, not raisable (https://docs.aws.amazon.com/apigateway/latest/developerguide/
# api-gateway-execution-service-limits-table.html).
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024


def request_too_large() -> GatewayError:
    # (x-amzn-ErrorType is our guess: AWS documents the status and the response type, not the header)
    return GatewayError(413, "Request Too Long", "RequestTooLongException", response_type="REQUEST_TOO_LARGE")


def unauthorized() -> GatewayError:
    return GatewayError(401, "Unauthorized", "UnauthorizedException", response_type="UNAUTHORIZED")


def internal_error(detail: str = "") -> GatewayError:
    # "Execution failed due to configuration error: ..." is an API configuration error (its own response type);
    # everything else is the default 5XX.
    kind = "API_CONFIGURATION_ERROR" if detail.startswith(CONFIGURATION_ERROR) else None
    return GatewayError(500, "Internal server error", "InternalServerErrorException", log_detail=detail,
                        response_type=kind)


CONFIGURATION_ERROR = "Execution failed due to configuration error"


def bad_gateway(detail: str = "") -> GatewayError:
    # AWS_PROXY malformed responses and function errors: 502 with the same body as a 500.
    return GatewayError(502, "Internal server error", "InternalServerErrorException", log_detail=detail)


def integration_timeout() -> GatewayError:
    return GatewayError(504, "Endpoint request timed out", "InternalServerErrorException",
                        response_type="INTEGRATION_TIMEOUT")
