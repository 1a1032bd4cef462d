"""STS's errors. https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html"""

from __future__ import annotations

from pocketcloud.protocols.errors import ServiceError


class ValidationError(ServiceError):
    pass


class AccessDenied(ServiceError):
    status_code = 403
