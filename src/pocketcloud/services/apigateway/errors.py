"""API Gateway's control-plane errors, named as AWS names them (body {"message": ...}, x-amzn-ErrorType header).

https://docs.aws.amazon.com/apigateway/latest/api/CommonErrors.html
"""

from __future__ import annotations

from pocketcloud.protocols.errors import ServiceError


class BadRequestException(ServiceError):
    status_code = 400


class NotFoundException(ServiceError):
    status_code = 404


class ConflictException(ServiceError):
    status_code = 409


class LimitExceededException(ServiceError):
    status_code = 429


class TooManyRequestsException(ServiceError):
    status_code = 429


class UnauthorizedException(ServiceError):
    status_code = 401
