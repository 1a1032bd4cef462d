"""Lambda's errors, named as AWS names them; the wire body is {"Type": "User"|"Service", "message": ...}.

https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html and each operation's "Errors" section.
"""

from __future__ import annotations

from typing import Any

from pocketcloud.protocols.errors import ServiceError


class LambdaError(ServiceError):
    error_type = "User"


class InvalidParameterValueException(LambdaError):
    pass


class ResourceNotFoundException(LambdaError):
    status_code = 404


class FunctionNotFound(ResourceNotFoundException):
    """No function (or version/alias) by that name; what the invoker raises for API Gateway."""

    code = "ResourceNotFoundException"


class ResourceConflictException(LambdaError):
    status_code = 409


class PreconditionFailedException(LambdaError):
    status_code = 412


class RequestTooLargeException(LambdaError):
    status_code = 413


class InvalidRequestContentException(LambdaError):
    pass


class TooManyRequestsException(LambdaError):
    status_code = 429

    def __init__(self, message: str = "Rate Exceeded.", *, reason: str = "", **fields: Any) -> None:
        if reason:
            fields["Reason"] = reason
        super().__init__(message, **fields)


class ServiceException(LambdaError):
    status_code = 500
    sender_fault = False
    error_type = "Service"


class PermissionDenied(LambdaError):
    """The function's resource policy does not let the caller invoke it (API Gateway answers 500/403 for this)."""

    code = "AccessDeniedException"
    status_code = 403


class CodeStorageExceededException(LambdaError):
    pass


class InvalidZipFileException(LambdaError):
    status_code = 502
    error_type = "User"


def error_body(error: ServiceError) -> dict[str, Any]:
    body: dict[str, Any] = {"Type": getattr(error, "error_type", "User" if error.sender_fault else "Service"),
                            "message": error.message}
    body.update(error.fields)
    return body


class RequestEntityTooLargeException(LambdaError):
    status_code = 413


class InvalidRuntimeException(LambdaError):
    status_code = 502
