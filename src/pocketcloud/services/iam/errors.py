"""IAM's errors, named as AWS names them. https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html"""

from __future__ import annotations

from pocketcloud.protocols.errors import ServiceError


class EntityAlreadyExists(ServiceError):
    code = "EntityAlreadyExists"
    status_code = 409


class NoSuchEntity(ServiceError):
    code = "NoSuchEntity"
    status_code = 404


class MalformedPolicyDocument(ServiceError):
    code = "MalformedPolicyDocument"
    status_code = 400


class DeleteConflict(ServiceError):
    code = "DeleteConflict"
    status_code = 409


class InvalidInput(ServiceError):
    code = "InvalidInput"
    status_code = 400


class LimitExceeded(ServiceError):
    code = "LimitExceeded"
    status_code = 409
