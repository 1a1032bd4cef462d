"""GetRecords — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html"""

from __future__ import annotations

import copy
from typing import Any

from ..shards import decode_iterator, encode_iterator, sequence_number


def get_records(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    stream, shard_id, after = decode_iterator(ctx, params["ShardIterator"])
    rows = ctx.state.storage.dynamodb.changes(stream.table, after, params.get("Limit", 1000))
    records = []
    for seq, record in rows:
        after = seq
        if record.get("_stream", stream.label) != stream.label:
            continue  # a record of an earlier stream of the table
        record = copy.deepcopy(record)
        record.pop("_stream", None)
        record["dynamodb"]["SequenceNumber"] = sequence_number(seq)
        records.append(record)
    out: dict[str, Any] = {"Records": records}
    if stream.enabled or rows:
        # A disabled stream's shard is closed: once it is read to the end there is no next iterator.
        out["NextShardIterator"] = encode_iterator(stream, shard_id, after)
    return out
