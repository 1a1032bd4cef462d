"""AWS errors as exception classes: the class name is the AWS error code.

Services subclass `ServiceError` (in their own `errors.py`); only the protocol serializers decide how an
error looks on the wire (`__type` for json, `x-amzn-ErrorType` for rest-json, `<Error>` XML for query/rest-xml).
"""

from __future__ import annotations

from typing import Any, ClassVar


class ServiceError(Exception):
    """Base of every error a client may see. `code` defaults to the class name."""

    code: ClassVar[str] = ""
    status_code: ClassVar[int] = 400
    sender_fault: ClassVar[bool] = True
    # json protocol: the namespace prefix of `__type` (e.g. "com.amazonaws.dynamodb.v20120810#").
    # None means "use the service's default prefix".
    type_prefix: ClassVar[str | None] = None

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        # Extra members serialized next to the message (e.g. CancellationReasons, Item).
        self.fields = fields

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            cls.code = cls.__name__

    def __str__(self) -> str:  # pragma: no cover - convenience for logs
        return f"{self.code}: {self.message}"


class CommonServiceError(ServiceError):
    """Errors any AWS service may answer with; their `__type` carries no service namespace."""


class UnknownOperationException(CommonServiceError):
    pass


class SerializationException(CommonServiceError):
    pass


class ValidationException(CommonServiceError):
    pass


class MissingAuthenticationTokenException(CommonServiceError):
    status_code = 403


class UnrecognizedClientException(CommonServiceError):
    status_code = 400


class AccessDeniedException(CommonServiceError):
    status_code = 400


class InvalidSignatureException(CommonServiceError):
    status_code = 400


class NotFound(CommonServiceError):
    """No route matched (rest protocols)."""

    code = "UnknownOperationException"
    status_code = 404


class InternalServerError(CommonServiceError):
    status_code = 500
    sender_fault = False

    def __init__(self, message: str = "Internal server error", **fields: Any) -> None:
        super().__init__(message, **fields)
