"""On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup and RestoreTableFromBackup.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/BackupRestore.html

A backup is a document in the resource store (Scope("dynamodb", account, region), kind "backup", key the
backup ARN) holding what DescribeBackup shows and a copy of every item. It is AVAILABLE at once. A restore
creates the table from the backed-up schema (indexes, billing and SSE, with the request's overrides) and
writes the items back; like AWS it does not restore tags, streams or TTL settings.
"""

from __future__ import annotations

import copy
import time
import uuid
from typing import Any

import orjson

from pocketcloud.storage.base import Scope

from .. import keycodec
from ..errors import BackupNotFoundException, TableAlreadyExistsException, TableNotFoundException
from ..tables import index_entries, item_key, public_description, schema, table_name_from
from ..values import item_size
from .create_table import build_description

KIND = "backup"


def _scope(ctx: Any) -> Scope:
    return Scope("dynamodb", ctx.account_id, ctx.region)


def _load(ctx: Any, arn: str) -> dict[str, Any]:
    doc = ctx.state.storage.resources.get(_scope(ctx), KIND, arn)
    if doc is None:
        raise BackupNotFoundException(f"Backup not found: {arn}")
    return doc


def _description(doc: dict[str, Any], status: str | None = None) -> dict[str, Any]:
    details = dict(doc["Details"])
    if status:
        details["BackupStatus"] = status
    return {"BackupDetails": details, "SourceTableDetails": copy.deepcopy(doc["Source"]),
            "SourceTableFeatureDetails": copy.deepcopy(doc["Features"])}


def _index_params(desc: dict[str, Any], billing: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        indexes = []
        for index in desc.get(group, []):
            entry = {k: copy.deepcopy(index[k]) for k in ("IndexName", "KeySchema", "Projection")}
            if group == "GlobalSecondaryIndexes" and billing == "PROVISIONED":
                tp = index.get("ProvisionedThroughput") or {}
                entry["ProvisionedThroughput"] = {"ReadCapacityUnits": tp.get("ReadCapacityUnits", 1),
                                                  "WriteCapacityUnits": tp.get("WriteCapacityUnits", 1)}
            indexes.append(entry)
        if indexes:
            out[group] = indexes
    return out


def create_backup(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = table_name_from(params["TableName"])
    store = ctx.state.storage.dynamodb
    table = store.get_table(ctx.account_id, ctx.region, name)
    if table is None:
        raise TableNotFoundException(f"Table not found: {name}")
    desc = table.description
    now = round(time.time(), 3)
    items, size = [], 0
    for _key, _pos, raw, item_bytes in store.scan(table, None, 0, keycodec.BUCKETS - 1, None):
        items.append(orjson.loads(raw))
        size += item_bytes
    billing = (desc.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    arn = f"{desc['TableArn']}/backup/{int(now * 1000):017d}-{uuid.uuid4().hex[:8]}"
    tp = desc.get("ProvisionedThroughput") or {}
    features: dict[str, Any] = {}
    for group in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
        if desc.get(group):
            features[group] = [
                {k: copy.deepcopy(i[k]) for k in ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput")
                 if k in i} for i in desc[group]]
    if desc.get("StreamSpecification"):
        features["StreamDescription"] = copy.deepcopy(desc["StreamSpecification"])
    ttl = desc.get("_ttl") or {}
    if ttl.get("Enabled"):
        features["TimeToLiveDescription"] = {"TimeToLiveStatus": "ENABLED", "AttributeName": ttl["AttributeName"]}
    if desc.get("SSEDescription"):
        features["SSEDescription"] = copy.deepcopy(desc["SSEDescription"])
    doc = {
        "Details": {"BackupArn": arn, "BackupName": params["BackupName"], "BackupSizeBytes": size,
                    "BackupStatus": "AVAILABLE", "BackupType": "USER", "BackupCreationDateTime": now},
        "Source": {"TableName": table.name, "TableId": desc["TableId"], "TableArn": desc["TableArn"],
                   "TableSizeBytes": size, "KeySchema": copy.deepcopy(desc["KeySchema"]),
                   "TableCreationDateTime": desc["CreationDateTime"],
                   "ProvisionedThroughput": {"ReadCapacityUnits": tp.get("ReadCapacityUnits", 0),
                                             "WriteCapacityUnits": tp.get("WriteCapacityUnits", 0)},
                   "ItemCount": len(items), "BillingMode": billing},
        "Features": features,
        "Restore": {"AttributeDefinitions": copy.deepcopy(desc["AttributeDefinitions"]),
                    "KeySchema": copy.deepcopy(desc["KeySchema"]), "BillingMode": billing,
                    "ProvisionedThroughput": {"ReadCapacityUnits": tp.get("ReadCapacityUnits", 0),
                                              "WriteCapacityUnits": tp.get("WriteCapacityUnits", 0)},
                    **_index_params(desc, billing)},
        "Items": items,
    }
    if desc.get("TableClassSummary"):
        doc["Restore"]["TableClass"] = desc["TableClassSummary"]["TableClass"]
    if desc.get("SSEDescription"):
        doc["Restore"]["SSESpecification"] = {"Enabled": True, "SSEType": "KMS"}
    ctx.state.storage.resources.put(_scope(ctx), KIND, arn, doc)
    # AWS answers CREATING; the backup is AVAILABLE by the next DescribeBackup.
    return {"BackupDetails": {**doc["Details"], "BackupStatus": "CREATING"}}


def describe_backup(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"BackupDescription": _description(_load(ctx, params["BackupArn"]))}


def delete_backup(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    doc = _load(ctx, params["BackupArn"])
    ctx.state.storage.resources.delete(_scope(ctx), KIND, params["BackupArn"])
    return {"BackupDescription": _description(doc, "DELETED")}


def list_backups(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    docs = [doc for _key, doc in ctx.state.storage.resources.list(_scope(ctx), KIND)]
    table = table_name_from(params["TableName"]) if params.get("TableName") else None
    lower, upper = params.get("TimeRangeLowerBound"), params.get("TimeRangeUpperBound")
    kind = params.get("BackupType", "ALL")
    summaries = []
    for doc in sorted(docs, key=lambda d: (d["Details"]["BackupCreationDateTime"], d["Details"]["BackupArn"])):
        details, source = doc["Details"], doc["Source"]
        created = details["BackupCreationDateTime"]
        if table is not None and source["TableName"] != table:
            continue
        if (lower is not None and created < float(lower)) or (upper is not None and created > float(upper)):
            continue
        if kind not in ("ALL", details["BackupType"]):
            continue
        summaries.append({
            "TableName": source["TableName"], "TableId": source["TableId"], "TableArn": source["TableArn"],
            "BackupArn": details["BackupArn"], "BackupName": details["BackupName"],
            "BackupCreationDateTime": created, "BackupStatus": details["BackupStatus"],
            "BackupType": details["BackupType"], "BackupSizeBytes": details["BackupSizeBytes"],
        })
    start = params.get("ExclusiveStartBackupArn")
    if start:
        arns = [s["BackupArn"] for s in summaries]
        summaries = summaries[arns.index(start) + 1:] if start in arns else summaries
    limit = params.get("Limit") or 100
    out: dict[str, Any] = {"BackupSummaries": summaries[:limit]}
    if len(summaries) > limit:
        out["LastEvaluatedBackupArn"] = summaries[limit - 1]["BackupArn"]
    return out


def restore_table_from_backup(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    arn, target = params["BackupArn"], params["TargetTableName"]
    doc = _load(ctx, arn)
    store = ctx.state.storage.dynamodb
    if store.get_table(ctx.account_id, ctx.region, target) is not None:
        raise TableAlreadyExistsException(f"Table already exists: {target}")
    spec = copy.deepcopy(doc["Restore"])
    spec["TableName"] = target
    billing = params.get("BillingModeOverride") or spec["BillingMode"]
    spec["BillingMode"] = billing
    if billing == "PAY_PER_REQUEST":
        spec.pop("ProvisionedThroughput", None)
        for index in spec.get("GlobalSecondaryIndexes", []):
            index.pop("ProvisionedThroughput", None)
    if params.get("ProvisionedThroughputOverride"):
        spec["ProvisionedThroughput"] = params["ProvisionedThroughputOverride"]
    for member in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        override = params.get(member[:-len("Indexes")] + "IndexOverride")
        if override is not None:
            spec[member] = override
            if not override:
                spec.pop(member)
    if params.get("SSESpecificationOverride") is not None:
        spec["SSESpecification"] = params["SSESpecificationOverride"]
    now = round(time.time(), 3)
    desc = build_description(ctx, spec, now)
    desc["RestoreSummary"] = {"SourceBackupArn": arn, "SourceTableArn": doc["Source"]["TableArn"],
                              "RestoreDateTime": now, "RestoreInProgress": False}
    table = store.create_table(ctx.account_id, ctx.region, target, desc)
    if table is None:
        raise TableAlreadyExistsException(f"Table already exists: {target}")
    sch = schema(table)
    with store.write() as txn:
        for item in doc["Items"]:
            txn.put(table, item_key(sch, item), item, item_size(item), index_entries(sch, item), None)
    out = public_description(ctx, table, with_stats=False)
    out["TableStatus"] = "CREATING"
    out["RestoreSummary"]["RestoreInProgress"] = True
    for index in out.get("GlobalSecondaryIndexes", []):
        index["IndexStatus"] = "CREATING"
    return {"TableDescription": out}
