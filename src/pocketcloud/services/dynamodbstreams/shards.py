"""A table's stream as DynamoDB Streams shows it: one shard per stream, records numbered by the store.

The store numbers every change record (`DynamoWrite.append_change`) in one sequence; a record's
SequenceNumber is that number, zero-padded to 21 digits like AWS's. A shard iterator is an opaque token
holding the stream, the shard and the number of the last record already read; it expires after 15 minutes.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from pocketcloud.services.dynamodb.errors import ResourceNotFoundException, ValidationException
from pocketcloud.storage.base import TableRecord

from .errors import ExpiredIteratorException

ITERATOR_LIFETIME = 15 * 60  # seconds
PAGE = 1000


@dataclass(frozen=True, slots=True)
class Stream:
    table: TableRecord
    arn: str
    label: str

    @property
    def enabled(self) -> bool:
        desc = self.table.description
        return self.arn == desc.get("LatestStreamArn") and bool((desc.get("StreamSpecification") or {}).get("StreamEnabled"))

    @property
    def shard_id(self) -> str:
        created_ms = int(label_time(self.label) * 1000)
        return f"shardId-{created_ms:020d}-{hashlib.sha1(self.arn.encode()).hexdigest()[:8]}"


def label_time(label: str) -> float:
    try:
        parsed = _dt.datetime.strptime(label, "%Y-%m-%dT%H:%M:%S.%f")
    except ValueError:
        return 0.0
    return parsed.replace(tzinfo=_dt.timezone.utc).timestamp()


def sequence_number(seq: int) -> str:
    return f"{seq:021d}"


def not_found(arn: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(f"Requested resource not found: Stream: {arn} not found")


def table_streams(table: TableRecord) -> list[Stream]:
    """The streams of a table that can still be read: its latest one (enabled or not)."""
    arn = table.description.get("LatestStreamArn")
    if not arn:
        return []
    return [Stream(table, arn, table.description.get("LatestStreamLabel") or arn.rpartition("/")[2])]


def find_stream(ctx: Any, arn: str) -> Stream:
    """arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>"""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "dynamodb":
        raise ValidationException(f"Invalid StreamArn: {arn}")
    pieces = parts[5].split("/")
    if len(pieces) != 4 or pieces[0] != "table" or pieces[2] != "stream":
        raise ValidationException(f"Invalid StreamArn: {arn}")
    if parts[4] != ctx.account_id or parts[3] != ctx.region:
        raise not_found(arn)
    table = ctx.state.storage.dynamodb.get_table(ctx.account_id, ctx.region, pieces[1])
    if table is not None:
        for stream in table_streams(table):
            if stream.arn == arn:
                return stream
    raise not_found(arn)


def first_and_last(ctx: Any, stream: Stream) -> tuple[int | None, int]:
    """Numbers of the first and last records of the stream (None, 0 when it has none)."""
    store = ctx.state.storage.dynamodb
    first: int | None = None
    last = 0
    while True:
        rows = store.changes(stream.table, last, PAGE)
        if not rows:
            return first, last
        if first is None:
            first = rows[0][0]
        last = rows[-1][0]
        if len(rows) < PAGE:
            return first, last


def encode_iterator(stream: Stream, shard_id: str, after: int) -> str:
    token = json.dumps([stream.arn, shard_id, after, int(time.time())], separators=(",", ":")).encode()
    return f"{stream.arn}|1|" + base64.urlsafe_b64encode(token).decode()


def decode_iterator(ctx: Any, iterator: str) -> tuple[Stream, str, int]:
    try:
        _arn, _version, token = iterator.rsplit("|", 2)
        arn, shard_id, after, issued = json.loads(base64.urlsafe_b64decode(token.encode()))
        after, issued = int(after), int(issued)
    except (ValueError, TypeError):
        raise ValidationException("Invalid ShardIterator") from None
    if time.time() - issued > ITERATOR_LIFETIME:
        raise ExpiredIteratorException("Iterator expired. The iterator was created at time "
                                       f"{_dt.datetime.fromtimestamp(issued, _dt.timezone.utc):%a %b %d %H:%M:%S UTC %Y} "
                                       f"while right now it is {_dt.datetime.now(_dt.timezone.utc):%a %b %d %H:%M:%S UTC %Y} "
                                       "which is further in the future than the tolerated delay of 900000 milliseconds.")
    stream = find_stream(ctx, arn)
    if shard_id != stream.shard_id:
        raise ResourceNotFoundException("Requested resource not found: Shard does not exist")
    return stream, shard_id, after
