"""DynamoDB Streams' own errors (the shared ones come from the DynamoDB service).

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html#API_streams_GetRecords_Errors
"""

from __future__ import annotations

from pocketcloud.services.dynamodb.errors import DynamoDBError


class ExpiredIteratorException(DynamoDBError):
    pass


class TrimmedDataAccessException(DynamoDBError):
    pass
