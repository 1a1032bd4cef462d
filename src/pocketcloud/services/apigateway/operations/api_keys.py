"""CreateApiKey, GetApiKey, GetApiKeys, UpdateApiKey, DeleteApiKey — per account and region, not per REST API.

https://docs.aws.amazon.com/apigateway/latest/api/API_CreateApiKey.html and
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html: a value is 20 to
128 characters and unique (a second key with the same value is a ConflictException); without one, API Gateway
generates 40 characters. A new key is disabled unless `enabled` is true.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from ..errors import BadRequestException, ConflictException
from ..keys import KeyStore
from ..patch import convert_value, operations_of, simple_operation, unsupported
from ..store import new_id, now
from ._common import paginate, public, store

_VALUE_CHARS = string.ascii_letters + string.digits
_PATCHABLE = {"name": "str", "description": "str", "enabled": "bool", "customerId": "str"}


def keys(ctx: Any) -> KeyStore:
    return KeyStore(ctx.state, ctx.account_id, ctx.region)


def new_value() -> str:
    return "".join(secrets.choice(_VALUE_CHARS) for _ in range(40))


def _check_value(value: Any) -> str:
    if not isinstance(value, str) or not 20 <= len(value) <= 128:
        raise BadRequestException("API Key value should be at least 20 characters and at most 128")
    return value


def _stage_key(ctx: Any, api_id: Any, stage_name: Any) -> str:
    """A stage key ("restApiId/stageName") naming a stage that exists."""
    if not isinstance(api_id, str) or not isinstance(stage_name, str) or not api_id or not stage_name:
        raise BadRequestException("Invalid stage key specified")
    s = store(ctx)
    s.get_api(api_id)
    s.get_stage(api_id, stage_name)
    return f"{api_id}/{stage_name}"


def _output(doc: dict[str, Any], include_value: bool) -> dict[str, Any]:
    out = public(doc)
    if not include_value:
        out.pop("value", None)
    return out


def create_api_key(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    k = keys(ctx)
    value = _check_value(params["value"]) if params.get("value") is not None else new_value()
    if any(doc["value"] == value for doc in k.list_keys()):
        raise ConflictException("API Key already exists")
    stage_keys = [_stage_key(ctx, sk.get("restApiId"), sk.get("stageName"))
                  for sk in params.get("stageKeys") or () if isinstance(sk, dict)]
    created = now()
    doc: dict[str, Any] = {"id": new_id(10), "value": value, "enabled": bool(params.get("enabled") or False),
                           "createdDate": created, "lastUpdatedDate": created, "stageKeys": stage_keys}
    for key in ("name", "description", "customerId", "tags"):
        if params.get(key) is not None:
            doc[key] = params[key]
    k.create_key(doc)
    return _output(doc, True)


def get_api_key(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    return _output(keys(ctx).get_key(params["apiKey"]), bool(params.get("includeValue")))


def get_api_keys(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    items = keys(ctx).list_keys()
    if params.get("nameQuery"):
        items = [doc for doc in items if (doc.get("name") or "").startswith(params["nameQuery"])]
    if params.get("customerId"):
        items = [doc for doc in items if doc.get("customerId") == params["customerId"]]
    include = bool(params.get("includeValues"))
    return paginate([_output(doc, include) for doc in items], params)


def _patch_key(ctx: Any, doc: dict[str, Any], op: Any) -> None:
    kind, path, parts, value = simple_operation(op)
    if parts[0] == "stages" and len(parts) == 1 and kind in ("add", "remove"):
        # value "restApiId/stageName"
        api_id, _, stage_name = (value if isinstance(value, str) else "").partition("/")
        if kind == "add":
            stage_key = _stage_key(ctx, api_id, stage_name)
            if stage_key not in doc["stageKeys"]:
                doc["stageKeys"].append(stage_key)
        elif value in doc["stageKeys"]:
            doc["stageKeys"].remove(value)
        return
    if len(parts) != 1 or parts[0] not in _PATCHABLE:
        raise BadRequestException(f"Invalid patch path {path}")
    field = parts[0]
    if kind == "remove":
        if field == "enabled":
            raise unsupported(path, kind)
        doc.pop(field, None)
        return
    converted = convert_value(value, doc.get(field), _PATCHABLE[field])
    if converted is None:
        raise BadRequestException(f"Invalid patch value for {path}")
    doc[field] = converted


def update_api_key(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    k = keys(ctx)
    doc = k.get_key(params["apiKey"])
    for op in operations_of(params.get("patchOperations")):
        _patch_key(ctx, doc, op)
    doc["lastUpdatedDate"] = now()
    k.put_key(doc)
    return _output(doc, False)


def delete_api_key(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    keys(ctx).delete_key(params["apiKey"])
    return {}
