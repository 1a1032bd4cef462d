"""CreateTable — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html

Tables are ACTIVE at once, so `aws dynamodb wait table-exists` returns immediately.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from ..control import check_tags, enable_stream
from ..errors import ResourceInUseException, ValidationException
from ..tables import public_description

_INVALID = "One or more parameter values were invalid: "
_NAME = re.compile(r"[a-zA-Z0-9_.-]+")


def check_table_name(name: str | None, member: str = "TableName") -> None:
    if name is None:
        return
    if len(name) < 3 or len(name) > 255:
        raise ValidationException(f"{member} must be at least 3 characters long and at most 255 characters long")
    if not _NAME.fullmatch(name):
        raise ValidationException(
            f"1 validation error detected: Value '{name}' at '{member[0].lower() + member[1:]}' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        )


def _check_key_schema(key_schema: list[dict[str, str]]) -> None:
    if len(key_schema) > 1 and key_schema[0]["AttributeName"] == key_schema[1]["AttributeName"]:
        raise ValidationException("Both the Hash Key and the Range Key element in the KeySchema have the same name")
    if key_schema[0]["KeyType"] != "HASH":
        raise ValidationException("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
    if len(key_schema) > 1 and key_schema[1]["KeyType"] != "RANGE":
        raise ValidationException("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")


def _check_throughput(tp: dict[str, int] | None, billing: str, index: str | None = None, *, explicit: bool = True) -> None:
    if billing == "PAY_PER_REQUEST":
        if tp and index is None:
            raise ValidationException(
                _INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
            )
        if tp and index is not None:
            raise ValidationException(
                _INVALID + f"ProvisionedThroughput should not be specified for index: {index} when BillingMode is PAY_PER_REQUEST"
            )
        return
    if tp is None and index is None and not explicit:
        # No BillingMode at all: AWS reports the member its older model required.
        raise ValidationException(_INVALID + 'Missing required parameter in input: "ProvisionedThroughput"')
    if not tp or not tp.get("ReadCapacityUnits") or not tp.get("WriteCapacityUnits"):
        if index is not None:
            raise ValidationException(_INVALID + f"ProvisionedThroughput must be specified for index: {index}")
        raise ValidationException(
            _INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"
        )
    for unit in ("ReadCapacityUnits", "WriteCapacityUnits"):
        if tp[unit] > 1000000000000:
            raise ValidationException(f"Given value {tp[unit]} for {unit} is out of bounds")


def _check_indexes(params: dict[str, Any], defined: list[str], billing: str) -> None:
    table_keys = params["KeySchema"]
    seen: set[str] = set()
    for group, is_global in (("LocalSecondaryIndexes", False), ("GlobalSecondaryIndexes", True)):
        indexes = params.get(group)
        if indexes is None:
            continue
        if not indexes:
            raise ValidationException(_INVALID + f"List of {group} is empty")
        if not is_global and len(table_keys) != 2:
            raise ValidationException(
                _INVALID + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"
            )
        for index in indexes:
            name = index["IndexName"]
            keys = [k["AttributeName"] for k in index["KeySchema"]]
            if any(k not in defined for k in keys):
                raise ValidationException(
                    _INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
                    f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(defined)}]"
                )
            _check_key_schema(index["KeySchema"])
            if not is_global:
                if len(keys) != 2:
                    raise ValidationException(_INVALID + f"Index KeySchema does not have a range key for index: {name}")
                if keys[0] != table_keys[0]["AttributeName"]:
                    raise ValidationException(
                        _INVALID + "Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                        f"{name}. index hash key: {keys[0]}, table hash key: {table_keys[0]['AttributeName']}"
                    )
            projection = index.get("Projection") or {}
            kind = projection.get("ProjectionType")
            if kind is None:
                raise ValidationException(_INVALID + "Unknown ProjectionType: null")
            if projection.get("NonKeyAttributes") and kind != "INCLUDE":
                raise ValidationException(_INVALID + f"ProjectionType is {kind}, but NonKeyAttributes is specified")
            if kind == "INCLUDE" and not projection.get("NonKeyAttributes"):
                raise ValidationException(_INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
            if is_global:
                _check_throughput(index.get("ProvisionedThroughput"), billing, name)
            if name in seen:
                raise ValidationException(_INVALID + f"Duplicate index name: {name}")
            seen.add(name)
        if not is_global and len(indexes) > 5:
            raise ValidationException(_INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of 5")
        if is_global and len(indexes) > 20:
            raise ValidationException(_INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of 20")


def validate(params: dict[str, Any]) -> None:
    check_table_name(params["TableName"])
    for member in ("AttributeDefinitions", "KeySchema"):
        if member not in params:
            raise ValidationException(
                f"1 validation error detected: Value null at '{member[0].lower() + member[1:]}' failed to satisfy "
                "constraint: Member must not be null"
            )
    billing = params.get("BillingMode", "PROVISIONED")
    _check_throughput(params.get("ProvisionedThroughput"), billing, explicit="BillingMode" in params)
    defined = [a["AttributeName"] for a in params["AttributeDefinitions"]]
    for i, name in enumerate(defined):
        if name in defined[:i]:
            raise ValidationException(f"Attribute Name is duplicated: {name}")
    keys = [k["AttributeName"] for k in params["KeySchema"]]
    if len(keys) > len(defined):
        raise ValidationException("Invalid KeySchema: Some index key attribute have no definition")
    if any(k not in defined for k in keys):
        raise ValidationException(
            _INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
            f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(defined)}]"
        )
    _check_key_schema(params["KeySchema"])
    _check_indexes(params, defined, billing)
    used = list(keys)
    has_indexes = False
    for group in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
        for index in params.get(group) or []:
            has_indexes = True
            used += [k["AttributeName"] for k in index["KeySchema"] if k["AttributeName"] not in used]
    if set(defined) != set(used):
        if has_indexes:
            raise ValidationException(
                _INVALID + f"Some AttributeDefinitions are not used. AttributeDefinitions: [{', '.join(defined)}], "
                f"keys used: [{', '.join(used)}]"
            )
        raise ValidationException(
            _INVALID + "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"
        )
    _check_stream(params.get("StreamSpecification"))
    if params.get("Tags") is not None:
        check_tags(params["Tags"])


def _check_stream(stream: dict[str, Any] | None) -> None:
    if stream is None:
        return
    if stream.get("StreamEnabled") and not stream.get("StreamViewType"):
        raise ValidationException(_INVALID + "Table is being created with a stream enabled, UpdateViewType is required")
    if not stream.get("StreamEnabled") and stream.get("StreamViewType"):
        raise ValidationException(
            _INVALID + "Table is being created with a stream disabled, UpdateViewType should not be specified"
        )


def throughput_description(tp: dict[str, int] | None) -> dict[str, Any]:
    tp = tp or {}
    return {
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": tp.get("ReadCapacityUnits", 0),
        "WriteCapacityUnits": tp.get("WriteCapacityUnits", 0),
    }


def build_description(ctx: Any, params: dict[str, Any], now: float) -> dict[str, Any]:
    name = params["TableName"]
    arn = ctx.arn("dynamodb", f"table/{name}")
    billing = params.get("BillingMode", "PROVISIONED")
    desc: dict[str, Any] = {
        "AttributeDefinitions": params["AttributeDefinitions"],
        "TableName": name,
        "KeySchema": params["KeySchema"],
        "TableStatus": "ACTIVE",
        "CreationDateTime": now,
        "ProvisionedThroughput": throughput_description(params.get("ProvisionedThroughput")),
        "TableSizeBytes": 0,
        "ItemCount": 0,
        "TableArn": arn,
        "TableId": str(uuid.uuid4()),
        "DeletionProtectionEnabled": bool(params.get("DeletionProtectionEnabled", False)),
        "_indexes": {},
        "_tags": {t["Key"]: t["Value"] for t in params.get("Tags") or []},
    }
    if billing == "PAY_PER_REQUEST":
        desc["BillingModeSummary"] = {"BillingMode": "PAY_PER_REQUEST", "LastUpdateToPayPerRequestDateTime": now}
    if params.get("TableClass"):
        desc["TableClassSummary"] = {"TableClass": params["TableClass"]}
    if params.get("OnDemandThroughput"):
        desc["OnDemandThroughput"] = dict(params["OnDemandThroughput"])
    sse = params.get("SSESpecification") or {}
    if sse.get("Enabled"):
        # Without SSESpecification (or with Enabled false) AWS uses its owned key and reports no SSEDescription.
        desc["SSEDescription"] = {"Status": "ENABLED", "SSEType": "KMS",
                                  "KMSMasterKeyArn": ctx.arn("kms", "key/" + (sse.get("KMSMasterKeyId") or "aws/dynamodb"))}
    next_iid = 1
    for group in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
        if not params.get(group):
            continue
        out = []
        for index in params[group]:
            entry: dict[str, Any] = {
                "IndexName": index["IndexName"],
                "KeySchema": index["KeySchema"],
                "Projection": index["Projection"],
                "IndexSizeBytes": 0,
                "ItemCount": 0,
                "IndexArn": f"{arn}/index/{index['IndexName']}",
            }
            if group == "GlobalSecondaryIndexes":
                entry["IndexStatus"] = "ACTIVE"
                entry["ProvisionedThroughput"] = throughput_description(index.get("ProvisionedThroughput"))
            out.append(entry)
            desc["_indexes"][index["IndexName"]] = next_iid
            next_iid += 1
        desc[group] = out
    desc["_next_iid"] = next_iid
    stream = params.get("StreamSpecification")
    if stream and stream.get("StreamEnabled"):
        enable_stream(desc, stream["StreamViewType"], now)
    return desc


def create_table(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    validate(params)
    import time

    desc = build_description(ctx, params, round(time.time(), 3))
    store = ctx.state.storage.dynamodb
    table = store.create_table(ctx.account_id, ctx.region, params["TableName"], desc)
    if table is None:
        raise ResourceInUseException(f"Table already exists: {params['TableName']}")
    # AWS answers while the table is still being created (it is ACTIVE by the next DescribeTable here).
    out = public_description(ctx, table, with_stats=False)
    out["TableStatus"] = "CREATING"
    for index in out.get("GlobalSecondaryIndexes", []):
        index["IndexStatus"] = "CREATING"
    if "BillingModeSummary" in out:
        out["BillingModeSummary"] = {"BillingMode": out["BillingModeSummary"]["BillingMode"]}
    return {"TableDescription": out}
