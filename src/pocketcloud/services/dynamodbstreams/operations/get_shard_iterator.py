"""GetShardIterator — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html"""

from __future__ import annotations

from typing import Any

from pocketcloud.services.dynamodb.errors import ResourceNotFoundException, ValidationException

from ..shards import encode_iterator, find_stream, first_and_last


def get_shard_iterator(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    stream = find_stream(ctx, params["StreamArn"])
    if params["ShardId"] != stream.shard_id:
        raise ResourceNotFoundException(
            f"Requested resource not found: Shard does not exist: {params['ShardId']}")
    kind = params["ShardIteratorType"]
    number = params.get("SequenceNumber")
    if kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        if number is None:
            raise ValidationException(f"Must specify a sequence number for iterator type {kind}")
        try:
            seq = int(number)
        except ValueError:
            raise ValidationException(f"Invalid SequenceNumber: {number}") from None
        after = seq - 1 if kind == "AT_SEQUENCE_NUMBER" else seq
    elif number is not None:
        raise ValidationException(f"Must not specify a sequence number for iterator type {kind}")
    elif kind == "LATEST":
        after = first_and_last(ctx, stream)[1]
    else:  # TRIM_HORIZON
        after = 0
    return {"ShardIterator": encode_iterator(stream, stream.shard_id, after)}
