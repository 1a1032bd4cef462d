"""ListStreams — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_ListStreams.html"""

from __future__ import annotations

from typing import Any

from pocketcloud.services.dynamodb.errors import ResourceNotFoundException

from ..shards import Stream, find_stream, table_streams


def list_streams(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    store = ctx.state.storage.dynamodb
    limit = params.get("Limit", 100)
    start = params.get("ExclusiveStartStreamArn")
    after = find_stream(ctx, start).table.name if start else None
    streams: list[Stream] = []
    if params.get("TableName"):
        table = store.get_table(ctx.account_id, ctx.region, params["TableName"])
        if table is None:
            raise ResourceNotFoundException(f"Requested resource not found: Table: {params['TableName']} not found")
        if after is None or table.name > after:
            streams = table_streams(table)
    else:
        while len(streams) <= limit:
            names = store.list_tables(ctx.account_id, ctx.region, after=after, limit=100)
            for name in names:
                table = store.get_table(ctx.account_id, ctx.region, name)
                if table is not None:
                    streams.extend(table_streams(table))
            if len(names) < 100:
                break
            after = names[-1]
    out: dict[str, Any] = {"Streams": [
        {"StreamArn": s.arn, "TableName": s.table.name, "StreamLabel": s.label} for s in streams[:limit]
    ]}
    if len(streams) > limit:
        out["LastEvaluatedStreamArn"] = streams[limit - 1].arn
    return out
