"""A table as the operations see it: key schema, indexes, and how items map to stored keys and index entries.

The stored description is AWS's TableDescription plus private members that start with "_" (index ids, TTL,
tags); `public_description` strips them.
"""

from __future__ import annotations

import copy
import time
import uuid
from dataclasses import dataclass
from typing import Any

from pocketcloud.storage.base import DynamoWrite, IndexEntry, ItemKey, TableRecord

from . import keycodec
from .errors import ResourceNotFoundException, ValidationException
from .values import key_names

NOT_FOUND = "Requested resource not found"


@dataclass(frozen=True, slots=True)
class IndexSchema:
    name: str
    iid: int
    hash_name: str
    range_name: str | None
    hash_type: str
    range_type: str | None
    projection: dict[str, Any]
    is_global: bool


@dataclass(frozen=True, slots=True)
class Schema:
    """The parts of a table description every item operation needs, computed once per description."""

    hash_name: str
    range_name: str | None
    hash_type: str
    range_type: str | None
    attr_types: dict[str, str]
    key_schema: list[dict[str, str]]
    indexes: dict[str, IndexSchema]
    ttl_attribute: str | None
    stream_view: str | None


_schemas: dict[int, tuple[int, Schema]] = {}


def schema(table: TableRecord) -> Schema:
    desc = table.description
    cached = _schemas.get(table.tid)
    if cached is not None and cached[0] == id(desc):
        return cached[1]
    attr_types = {a["AttributeName"]: a["AttributeType"] for a in desc.get("AttributeDefinitions", [])}
    hash_name, range_name = key_names(desc["KeySchema"])
    ids = desc.get("_indexes", {})
    indexes: dict[str, IndexSchema] = {}
    for is_global, group in ((True, desc.get("GlobalSecondaryIndexes", [])), (False, desc.get("LocalSecondaryIndexes", []))):
        for index in group:
            ih, ir = key_names(index["KeySchema"])
            indexes[index["IndexName"]] = IndexSchema(
                index["IndexName"], ids[index["IndexName"]], ih, ir, attr_types[ih], attr_types.get(ir) if ir else None,
                index.get("Projection", {"ProjectionType": "ALL"}), is_global,
            )
    ttl = desc.get("_ttl") or {}
    stream = desc.get("StreamSpecification") or {}
    result = Schema(
        hash_name, range_name, attr_types[hash_name], attr_types.get(range_name) if range_name else None,
        attr_types, desc["KeySchema"], indexes,
        ttl.get("AttributeName") if ttl.get("Enabled") else None,
        stream.get("StreamViewType") if stream.get("StreamEnabled") else None,
    )
    _schemas[table.tid] = (id(desc), result)
    return result


def table_name_from(value: str) -> str:
    """TableName parameters may be a name or a table ARN."""
    if value.startswith("arn:"):
        return value.rpartition("/")[2] if "/" in value else value
    return value


def get_table(ctx: Any, name: str) -> TableRecord:
    table = ctx.state.storage.dynamodb.get_table(ctx.account_id, ctx.region, table_name_from(name))
    if table is None:
        raise ResourceNotFoundException(NOT_FOUND)
    return table


def item_key(sch: Schema, item: dict[str, Any]) -> ItemKey:
    """Stored key of an item (or of a Key parameter) whose key attributes were already checked."""
    hk = keycodec.encode(sch.hash_type, item[sch.hash_name][sch.hash_type])
    rk = keycodec.encode(sch.range_type, item[sch.range_name][sch.range_type]) if sch.range_name else b""
    return keycodec.hash_bucket(hk), hk, rk


def index_entries(sch: Schema, item: dict[str, Any]) -> list[IndexEntry]:
    """The index entries an item has: one per index whose key attributes the item holds (sparse indexes)."""
    entries: list[IndexEntry] = []
    for index in sch.indexes.values():
        hv = item.get(index.hash_name)
        if hv is None or index.hash_type not in hv:
            continue
        irk = b""
        if index.range_name is not None:
            rv = item.get(index.range_name)
            if rv is None or index.range_type not in rv:
                continue
            irk = keycodec.encode(index.range_type, rv[index.range_type])  # type: ignore[arg-type]
        ihk = keycodec.encode(index.hash_type, hv[index.hash_type])
        entries.append((index.iid, keycodec.hash_bucket(ihk), ihk, irk))
    return entries


def ttl_value(sch: Schema, item: dict[str, Any]) -> float | None:
    """Epoch seconds after which the item expires, when TTL is on and the item holds a number there."""
    if sch.ttl_attribute is None:
        return None
    value = item.get(sch.ttl_attribute)
    if not value or "N" not in value:
        return None
    try:
        return float(value["N"])
    except ValueError:
        return None


def key_of(sch: Schema, item: dict[str, Any]) -> dict[str, Any]:
    key = {sch.hash_name: item[sch.hash_name]}
    if sch.range_name:
        key[sch.range_name] = item[sch.range_name]
    return key


def capture_change(
    txn: DynamoWrite, table: TableRecord, sch: Schema, old: dict[str, Any] | None, new: dict[str, Any] | None,
    *, user_identity: dict[str, Any] | None = None,
) -> None:
    """Append the stream record of one write, inside the write's own transaction (nothing when no stream).

    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html
    """
    view = sch.stream_view
    if view is None or (old is None and new is None):
        return
    if old is not None and new is not None and old == new:
        return  # AWS writes no record for an update that changed nothing
    event = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
    image = new if new is not None else old
    assert image is not None
    body: dict[str, Any] = {
        "ApproximateCreationDateTime": int(time.time()),
        "Keys": key_of(sch, image),
        "StreamViewType": view,
    }
    if view in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES") and new is not None:
        body["NewImage"] = new
    if view in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES") and old is not None:
        body["OldImage"] = old
    from .values import item_size

    body["SizeBytes"] = item_size(body["Keys"]) + sum(item_size(body[k]) for k in ("NewImage", "OldImage") if k in body)
    record: dict[str, Any] = {
        "eventID": uuid.uuid4().hex,
        "eventName": event,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": table.region,
        "dynamodb": body,
    }
    if user_identity is not None:
        record["userIdentity"] = user_identity
    # Which stream the record belongs to (a re-enabled stream starts empty); DynamoDB Streams strips it.
    record["_stream"] = table.description.get("LatestStreamLabel")
    txn.append_change(table, record)


def public_description(ctx: Any, table: TableRecord, *, with_stats: bool = True) -> dict[str, Any]:
    # A deep copy: the stored description is shared (cached) and must never change through a response.
    desc = copy.deepcopy({k: v for k, v in table.description.items() if not k.startswith("_")})
    if with_stats:
        store = ctx.state.storage.dynamodb
        count, size = store.table_stats(table)
        desc["ItemCount"], desc["TableSizeBytes"] = count, size
        for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            for index in desc.get(group, []):
                icount, isize = store.index_stats(table, table.description["_indexes"][index["IndexName"]])
                index["ItemCount"], index["IndexSizeBytes"] = icount, isize
        desc["WarmThroughput"] = warm_throughput(table.description)
    return desc


# What AWS reports as a new on-demand table's warm throughput (units per second).
ON_DEMAND_WARM = (12000, 4000)


def warm_throughput(desc: dict[str, Any]) -> dict[str, Any]:
    """AWS reports a table's warm throughput on every DescribeTable: 12000/4000 for on-demand tables, and for
    provisioned ones the highest capacity ever provisioned (it never decreases). Not in CreateTable's answer."""
    tp = desc.get("ProvisionedThroughput") or {}
    read, write = tp.get("ReadCapacityUnits", 0), tp.get("WriteCapacityUnits", 0)
    seen = desc.get("_warm") or (0, 0)
    read, write = max(read, seen[0]), max(write, seen[1])
    if (desc.get("BillingModeSummary") or {}).get("BillingMode") == "PAY_PER_REQUEST" or "BillingModeSummary" in desc:
        read, write = max(read, ON_DEMAND_WARM[0]), max(write, ON_DEMAND_WARM[1])
    return {"ReadUnitsPerSecond": read, "WriteUnitsPerSecond": write, "Status": "ACTIVE"}


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationException(message)
