"""DynamoDB Streams' operations, one module each."""

from __future__ import annotations

from .describe_stream import describe_stream
from .get_records import get_records
from .get_shard_iterator import get_shard_iterator
from .list_streams import list_streams

OPERATIONS = {
    "DescribeStream": describe_stream,
    "GetRecords": get_records,
    "GetShardIterator": get_shard_iterator,
    "ListStreams": list_streams,
}
