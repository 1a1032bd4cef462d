"""DescribeStream — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_DescribeStream.html"""

from __future__ import annotations

import copy
from typing import Any

from ..shards import find_stream, first_and_last, label_time, sequence_number


def describe_stream(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    stream = find_stream(ctx, params["StreamArn"])
    desc = stream.table.description
    first, last = first_and_last(ctx, stream)
    seq_range = {"StartingSequenceNumber": sequence_number(first if first is not None else last + 1)}
    if not stream.enabled:
        seq_range["EndingSequenceNumber"] = sequence_number(last)
    shards = [{"ShardId": stream.shard_id, "SequenceNumberRange": seq_range}]
    if params.get("ExclusiveStartShardId") == stream.shard_id:
        shards = []
    out: dict[str, Any] = {
        "StreamArn": stream.arn,
        "StreamLabel": stream.label,
        "StreamStatus": "ENABLED" if stream.enabled else "DISABLED",
        "CreationRequestDateTime": label_time(stream.label),
        "TableName": stream.table.name,
        "KeySchema": copy.deepcopy(desc["KeySchema"]),
        "Shards": shards,
    }
    view = (desc.get("StreamSpecification") or {}).get("StreamViewType") or desc.get("_stream_view")
    if view:
        out["StreamViewType"] = view
    return {"StreamDescription": out}
