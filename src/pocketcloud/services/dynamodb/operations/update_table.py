"""UpdateTable — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html

Changes apply at once (the answer says UPDATING, DescribeTable says ACTIVE). A new global secondary index is
backfilled from the table's items in the same storage transaction that saves the new description.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import orjson

from pocketcloud.storage.base import TableRecord

from ..control import INVALID, control_table, enable_stream
from ..errors import LimitExceededException, ResourceNotFoundException, ValidationException
from ..keycodec import BUCKETS
from ..tables import index_entries, public_description, schema
from .create_table import throughput_description

_AT_LEAST_ONE = (
    "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, "
    "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
    "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"
)
_CHANGES = (
    "ProvisionedThroughput", "BillingMode", "StreamSpecification", "SSESpecification", "ReplicaUpdates",
    "DeletionProtectionEnabled", "OnDemandThroughput", "WarmThroughput", "TableClass", "MultiRegionConsistency",
)
_ALONE = {
    "DeletionProtectionEnabled": "DeletionProtection modification must be the only operation in the request",
    "SSESpecification": "Server-Side Encryption modification must be the only operation in the request",
    "TableClass": "TableClass modification must be the only operation in the request",
}
_ONE_INDEX = "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"


def _validate_request(params: dict[str, Any]) -> None:
    gsi_updates = params.get("GlobalSecondaryIndexUpdates")
    present = [k for k in _CHANGES if params.get(k) is not None]
    if not present and not gsi_updates:
        raise ValidationException(_AT_LEAST_ONE)
    if gsi_updates is not None and not gsi_updates:
        raise ValidationException(INVALID + "List of GlobalSecondaryIndexUpdates is empty")
    names: set[str] = set()
    for update in gsi_updates or []:
        actions = [a for a in ("Update", "Create", "Delete") if update.get(a) is not None]
        if not actions:
            raise ValidationException(
                INVALID + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                "GlobalSecondaryIndexUpdate.Delete must not be null"
            )
        if len(actions) > 1:
            raise ValidationException(
                INVALID + "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object"
            )
        name = update[actions[0]]["IndexName"]
        if name in names:
            raise ValidationException(
                INVALID + f"Only one global secondary index update per index is allowed simultaneously. Index: {name}"
            )
        names.add(name)
    everything = present + (["GlobalSecondaryIndexUpdates"] if gsi_updates else [])
    for member, message in _ALONE.items():
        if params.get(member) is not None and len(everything) > 1:
            raise ValidationException(INVALID + message)
    creates_or_deletes = sum(1 for u in gsi_updates or [] if u.get("Create") or u.get("Delete"))
    if params.get("StreamSpecification") is not None:
        if params.get("ProvisionedThroughput") is not None:
            raise ValidationException(INVALID + "You cannot modify stream status while updating table IOPS")
        if creates_or_deletes:
            raise ValidationException(INVALID + "You cannot create or delete index while changing stream status")
    if params.get("ProvisionedThroughput") is not None and creates_or_deletes:
        raise ValidationException(INVALID + "You cannot create or delete index while updating table IOPS")
    tp = params.get("ProvisionedThroughput")
    if tp:
        for unit in ("ReadCapacityUnits", "WriteCapacityUnits"):
            if tp.get(unit, 0) > 1000000000000:
                raise ValidationException(f"Given value {tp[unit]} for {unit} is out of bounds")


def _unchanged_message(what: str, current: dict[str, Any], wanted: dict[str, Any]) -> str:
    return (
        f"The provisioned throughput for the {what} will not change. The requested value equals the current value. "
        f"Current ReadCapacityUnits provisioned for the {what}: {current['ReadCapacityUnits']}. "
        f"Requested ReadCapacityUnits: {wanted['ReadCapacityUnits']}. "
        f"Current WriteCapacityUnits provisioned for the {what}: {current['WriteCapacityUnits']}. "
        f"Requested WriteCapacityUnits: {wanted['WriteCapacityUnits']}. "
        "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits."
    )


def _set_throughput(current: dict[str, Any], wanted: dict[str, Any], now: float) -> None:
    read, write = wanted["ReadCapacityUnits"], wanted["WriteCapacityUnits"]
    if read > current["ReadCapacityUnits"] or write > current["WriteCapacityUnits"]:
        current["LastIncreaseDateTime"] = now
    if read < current["ReadCapacityUnits"] or write < current["WriteCapacityUnits"]:
        current["LastDecreaseDateTime"] = now
        current["NumberOfDecreasesToday"] = current.get("NumberOfDecreasesToday", 0) + 1
    current["ReadCapacityUnits"], current["WriteCapacityUnits"] = read, write


def _apply_billing(desc: dict[str, Any], params: dict[str, Any], now: float) -> str:
    """Billing mode and table throughput; returns the billing mode the table ends with."""
    current = (desc.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    wanted = params.get("BillingMode") or current
    tp = params.get("ProvisionedThroughput")
    if wanted == "PAY_PER_REQUEST":
        if tp is not None:
            raise ValidationException(
                INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
            )
        if current != "PAY_PER_REQUEST":
            desc["BillingModeSummary"] = {"BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": now}
            desc["ProvisionedThroughput"] = {**desc["ProvisionedThroughput"], "ReadCapacityUnits": 0, "WriteCapacityUnits": 0}
            for index in desc.get("GlobalSecondaryIndexes", []):
                index["ProvisionedThroughput"] = throughput_description(None)
        return wanted
    if tp is None:
        if params.get("BillingMode") == "PROVISIONED" and current != "PROVISIONED":
            raise ValidationException(INVALID + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
        return wanted
    table_tp = desc["ProvisionedThroughput"]
    if current == "PROVISIONED" and (tp["ReadCapacityUnits"], tp["WriteCapacityUnits"]) == (
        table_tp["ReadCapacityUnits"], table_tp["WriteCapacityUnits"]
    ):
        raise ValidationException(_unchanged_message("table", table_tp, tp))
    if current != "PROVISIONED":
        desc["BillingModeSummary"] = {"BillingMode": "PROVISIONED", "LastUpdateToPayPerRequestDateTime": now}
        desc["ProvisionedThroughput"] = {**table_tp, "ReadCapacityUnits": tp["ReadCapacityUnits"],
                                         "WriteCapacityUnits": tp["WriteCapacityUnits"]}
        updated = {u["Update"]["IndexName"] for u in params.get("GlobalSecondaryIndexUpdates") or [] if u.get("Update")}
        for index in desc.get("GlobalSecondaryIndexes", []):
            if index["IndexName"] not in updated:
                raise ValidationException(INVALID + f"ProvisionedThroughput must be specified for index: {index['IndexName']}")
    else:
        _set_throughput(table_tp, tp, now)
    return wanted


def _apply_stream(desc: dict[str, Any], spec: dict[str, Any] | None, name: str, now: float) -> None:
    if spec is None:
        return
    enabled = bool((desc.get("StreamSpecification") or {}).get("StreamEnabled"))
    if spec.get("StreamEnabled"):
        if not spec.get("StreamViewType"):
            raise ValidationException(INVALID + "If stream is being enabled then UpdateViewType is required")
        if enabled:
            raise ValidationException(f"Table already has an enabled stream: TableName: {name}")
        enable_stream(desc, spec["StreamViewType"], now)
        return
    if spec.get("StreamViewType"):
        raise ValidationException(INVALID + "If stream is being disabled, then UpdateViewType must not be specified")
    if not enabled:
        raise ValidationException(f"Table has no stream to disable: TableName: {name}")
    # AWS drops StreamSpecification but keeps LatestStreamArn/LatestStreamLabel of the disabled stream.
    desc.pop("StreamSpecification", None)


def _gsi_update(desc: dict[str, Any], action: dict[str, Any], billing: str, now: float) -> None:
    name = action["IndexName"]
    index = next((i for i in desc.get("GlobalSecondaryIndexes", []) if i["IndexName"] == name), None)
    if index is None:
        raise ValidationException(
            "This operation cannot be performed with given input values. Please contact DynamoDB service team for "
            "more info: Action Blocked: IndexUpdate"
        )
    tp = action.get("ProvisionedThroughput")
    if billing == "PAY_PER_REQUEST":
        if tp is not None:
            raise ValidationException(
                INVALID + f"The only Updates for index: {name} when TableThroughputMode is PAY_PER_REQUEST can be to "
                "OnDemandThroughput, WarmThroughput"
            )
        return
    if not tp:
        raise ValidationException(INVALID + f"ProvisionedThroughput must be specified for index: {name}")
    current = index["ProvisionedThroughput"]
    if (tp["ReadCapacityUnits"], tp["WriteCapacityUnits"]) == (current["ReadCapacityUnits"], current["WriteCapacityUnits"]):
        raise ValidationException(_unchanged_message(f"index {name}", current, tp))
    _set_throughput(current, tp, now)


def _gsi_create(desc: dict[str, Any], action: dict[str, Any], params: dict[str, Any], billing: str) -> dict[str, Any]:
    name = action["IndexName"]
    existing = [i["IndexName"] for g in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes") for i in desc.get(g, [])]
    if name in existing:
        raise ValidationException(INVALID + f"Index already exists: {name}")
    if len(desc.get("GlobalSecondaryIndexes", [])) >= 20:
        raise LimitExceededException(
            f"Subscriber limit exceeded: The number of global secondary indexes for the table {desc['TableName']} exceeds 20"
        )
    given = params.get("AttributeDefinitions")
    if not given:
        raise ValidationException(INVALID + f"AttributeDefinitions is not specified for index: {name}")
    defined = [a["AttributeName"] for a in given]
    keys = [k["AttributeName"] for k in action["KeySchema"]]
    if any(k not in defined for k in keys):
        raise ValidationException(
            INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
            f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(defined)}]"
        )
    key_schema = action["KeySchema"]
    if len(key_schema) > 1 and keys[0] == keys[1]:
        raise ValidationException("Both the Hash Key and the Range Key element in the KeySchema have the same name")
    if key_schema[0]["KeyType"] != "HASH":
        raise ValidationException("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
    if len(key_schema) > 1 and key_schema[1]["KeyType"] != "RANGE":
        raise ValidationException("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
    projection = action.get("Projection") or {}
    kind = projection.get("ProjectionType")
    if kind is None:
        raise ValidationException(INVALID + "Unknown ProjectionType: null")
    if projection.get("NonKeyAttributes") and kind != "INCLUDE":
        raise ValidationException(INVALID + f"ProjectionType is {kind}, but NonKeyAttributes is specified")
    if kind == "INCLUDE" and not projection.get("NonKeyAttributes"):
        raise ValidationException(INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
    tp = action.get("ProvisionedThroughput")
    if billing == "PAY_PER_REQUEST" and tp is not None:
        raise ValidationException(
            INVALID + f"Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: {name} when "
            "BillingMode is PAY_PER_REQUEST"
        )
    if billing == "PROVISIONED" and not tp:
        raise ValidationException(INVALID + f"ProvisionedThroughput must be specified for index: {name}")
    known = {a["AttributeName"] for a in desc["AttributeDefinitions"]}
    # A redeclared attribute keeps its type (AWS ignores the redeclaration); new ones are appended.
    desc["AttributeDefinitions"] = desc["AttributeDefinitions"] + [a for a in given if a["AttributeName"] not in known]
    iid = desc.get("_next_iid", 1)
    desc["_next_iid"] = iid + 1
    desc.setdefault("_indexes", {})[name] = iid
    entry = {
        "IndexName": name, "KeySchema": key_schema, "Projection": projection, "IndexStatus": "ACTIVE",
        "ProvisionedThroughput": throughput_description(tp), "IndexSizeBytes": 0, "ItemCount": 0,
        "IndexArn": f"{desc['TableArn']}/index/{name}",
    }
    desc.setdefault("GlobalSecondaryIndexes", []).append(entry)
    return entry


def _gsi_delete(desc: dict[str, Any], action: dict[str, Any]) -> int:
    name = action["IndexName"]
    if any(i["IndexName"] == name for i in desc.get("LocalSecondaryIndexes", [])):
        raise ValidationException(f"Cannot delete an index that is not a GlobalSecondaryIndex: {name}")
    indexes = desc.get("GlobalSecondaryIndexes", [])
    if not any(i["IndexName"] == name for i in indexes):
        raise ResourceNotFoundException(f"Requested resource not found: Table: {name} not found")
    desc["GlobalSecondaryIndexes"] = [i for i in indexes if i["IndexName"] != name]
    if not desc["GlobalSecondaryIndexes"]:
        del desc["GlobalSecondaryIndexes"]
    return int(desc["_indexes"].pop(name))


def _save_with_backfill(ctx: Any, table: TableRecord, desc: dict[str, Any], created: list[str], dropped: list[int]) -> TableRecord:
    store = ctx.state.storage.dynamodb
    if not created and not dropped:
        return store.save_table(table, desc)
    with store.write() as txn:
        for iid in dropped:
            store.drop_index(table, iid)
        if created:
            new_iids = {desc["_indexes"][n] for n in created}
            draft = TableRecord(table.tid, table.account, table.region, table.name, desc)
            sch = schema(draft)
            # Read everything first: SQLite cursors must not walk a table the same connection is writing.
            rows = [(key, orjson.loads(raw)) for key, _, raw, _size in store.scan(table, None, 0, BUCKETS - 1, None)]
            for key, item in rows:
                txn.add_index_entries(table, key, [e for e in index_entries(sch, item) if e[0] in new_iids])
        return store.save_table(table, desc)


def update_table(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    _validate_request(params)
    table = control_table(ctx, params["TableName"])
    if (params.get("GlobalSecondaryIndexUpdates") and
            sum(1 for u in params["GlobalSecondaryIndexUpdates"] if u.get("Create") or u.get("Delete")) > 1):
        raise LimitExceededException(_ONE_INDEX)
    now = round(time.time(), 3)
    desc = copy.deepcopy(table.description)
    billing = _apply_billing(desc, params, now)
    _apply_stream(desc, params.get("StreamSpecification"), table.name, now)
    if params.get("DeletionProtectionEnabled") is not None:
        desc["DeletionProtectionEnabled"] = bool(params["DeletionProtectionEnabled"])
    if params.get("OnDemandThroughput") is not None:
        # Only the limits given change; DescribeTable reports the table's OnDemandThroughput afterwards.
        desc["OnDemandThroughput"] = {**(desc.get("OnDemandThroughput") or {}), **params["OnDemandThroughput"]}
    if params.get("TableClass"):
        desc["TableClassSummary"] = {"TableClass": params["TableClass"], "LastUpdateDateTime": now}
    if params.get("SSESpecification") is not None:
        sse = params["SSESpecification"]
        if sse.get("Enabled") is False and "SSEDescription" not in desc:
            raise ValidationException(INVALID + "Table is already encrypted by default")
        if sse.get("Enabled"):
            desc["SSEDescription"] = {"Status": "ENABLED", "SSEType": "KMS",
                                      "KMSMasterKeyArn": ctx.arn("kms", "key/" + (sse.get("KMSMasterKeyId") or "aws/dynamodb"))}
        else:
            desc.pop("SSEDescription", None)
    created: list[str] = []
    dropped: list[int] = []
    for update in params.get("GlobalSecondaryIndexUpdates") or []:
        if update.get("Update"):
            _gsi_update(desc, update["Update"], billing, now)
        elif update.get("Create"):
            _gsi_create(desc, update["Create"], params, billing)
            created.append(update["Create"]["IndexName"])
        else:
            dropped.append(_gsi_delete(desc, update["Delete"]))
    saved = _save_with_backfill(ctx, table, desc, created, dropped)
    # public_description shares nested dicts with the stored description: copy before marking statuses.
    out = copy.deepcopy(public_description(ctx, saved))
    out["TableStatus"] = "UPDATING"
    for index in out.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] in created:
            index["IndexStatus"] = "CREATING"
            index["Backfilling"] = False
    return {"TableDescription": out}
