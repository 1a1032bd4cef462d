"""IAM's errors, named as AWS names them. https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html"""

from __future__ import annotations

from pocketcloud.protocols.errors import ServiceError


class EntityAlreadyExists(ServiceError):
    status_code = 409


class NoSuchEntity(ServiceError):
    status_code = 404


class MalformedPolicyDocument(ServiceError):
    status_code = 400


class DeleteConflict(ServiceError):
    status_code = 409


class InvalidInput(ServiceError):
    status_code = 400


class LimitExceeded(ServiceError):
    status_code = 409
