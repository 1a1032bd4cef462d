"""DynamoDB's errors, named as AWS names them.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
"""

from __future__ import annotations

from pocketcloud.protocols.errors import ServiceError
from pocketcloud.protocols.errors import SerializationException as _CommonSerialization
from pocketcloud.protocols.errors import UnknownOperationException as _CommonUnknownOperation

_COYOTE = "com.amazon.coral.validate#"
_DYNAMODB = "com.amazonaws.dynamodb.v20120810#"


class DynamoDBError(ServiceError):
    type_prefix = _DYNAMODB


class ValidationException(DynamoDBError):
    # Real DynamoDB sends "com.amazon.coral.validate#ValidationException".
    type_prefix = _COYOTE


class SerializationException(_CommonSerialization):
    type_prefix = "com.amazon.coral.service#"


class UnknownOperationException(_CommonUnknownOperation):
    type_prefix = "com.amazon.coral.service#"


class ResourceNotFoundException(DynamoDBError):
    pass


class ResourceInUseException(DynamoDBError):
    pass


class ConditionalCheckFailedException(DynamoDBError):
    pass


class TransactionCanceledException(DynamoDBError):
    pass


class DuplicateItemException(DynamoDBError):
    """PartiQL INSERT of an item whose key exists."""


class TransactionConflictException(DynamoDBError):
    pass


class TransactionInProgressException(DynamoDBError):
    pass


class IdempotentParameterMismatchException(DynamoDBError):
    pass


class ItemCollectionSizeLimitExceededException(DynamoDBError):
    pass


class LimitExceededException(DynamoDBError):
    pass


class ProvisionedThroughputExceededException(DynamoDBError):
    pass


class RequestLimitExceeded(DynamoDBError):
    pass


class TableNotFoundException(DynamoDBError):
    pass


class TableAlreadyExistsException(DynamoDBError):
    pass


class TableInUseException(DynamoDBError):
    pass


class InternalServerError(DynamoDBError):
    status_code = 500
    sender_fault = False


class PolicyNotFoundException(DynamoDBError):
    pass


class BackupNotFoundException(DynamoDBError):
    pass


class BackupInUseException(DynamoDBError):
    pass
