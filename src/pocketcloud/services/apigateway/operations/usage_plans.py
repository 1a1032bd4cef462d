"""CreateUsagePlan, GetUsagePlan(s), UpdateUsagePlan, DeleteUsagePlan and the usage plan keys (Create/Get/Get.../
DeleteUsagePlanKey) — per account and region.

https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlan.html, API_UpdateUsagePlan.html and
patch-operations.html (/apiStages add/remove "apiId:stage", /throttle/*, /quota/*). A plan's stages must exist
("API Stage not found: apiId:stage"); for each stage an API key can be in only one plan
(api-gateway-api-usage-plans.html). The data plane reads all this through keys.key_index.
"""

from __future__ import annotations

from typing import Any

from ..errors import BadRequestException, ConflictException, NotFoundException
from ..patch import convert_value, operations_of, simple_operation
from ..store import new_id
from ._common import paginate, public, store
from .api_keys import keys

_PERIODS = ("DAY", "WEEK", "MONTH")
_THROTTLE = {"burstLimit": "int", "rateLimit": "float"}
_QUOTA = {"limit": "int", "offset": "int", "period": "str"}


def _check_stage(ctx: Any, api_id: Any, stage: Any) -> None:
    s = store(ctx)
    if not isinstance(api_id, str) or not isinstance(stage, str) or not api_id or not stage:
        raise BadRequestException(f"API Stage not found: {api_id}:{stage}")
    if s.resources.get(s.scope, "restapi", api_id) is None or s.find_stage(api_id, stage) is None:
        raise BadRequestException(f"API Stage not found: {api_id}:{stage}")


def _check_throttle(throttle: Any) -> dict[str, Any]:
    if not isinstance(throttle, dict):
        raise BadRequestException("Invalid throttle settings specified")
    out: dict[str, Any] = {}
    for key, kind in _THROTTLE.items():
        if throttle.get(key) is not None:
            out[key] = convert_value(throttle[key], None, kind)
            if not isinstance(out[key], (int, float)) or out[key] < 0:
                raise BadRequestException(f"Invalid throttle {key} specified: {throttle[key]}")
    return out


def _check_quota(quota: Any) -> dict[str, Any]:
    if not isinstance(quota, dict):
        raise BadRequestException("Invalid quota settings specified")
    period = quota.get("period")
    if period not in _PERIODS:
        raise BadRequestException(f"Invalid quota period specified: {period}. Must be one of: [DAY, WEEK, MONTH]")
    limit = convert_value(quota.get("limit") or 0, None, "int")
    offset = convert_value(quota.get("offset") or 0, None, "int")
    # offset: the day the period starts (WEEK: 0 = Sunday; MONTH: 0 = the 1st).
    if limit < 0 or not 0 <= offset < {"DAY": 1, "WEEK": 7, "MONTH": 28}[period]:
        raise BadRequestException(f"Invalid quota specified: limit {limit}, offset {offset}, period {period}")
    return {"limit": limit, "offset": offset, "period": period}


def _api_stage(ctx: Any, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise BadRequestException("Invalid API Stage specified")
    _check_stage(ctx, item.get("apiId"), item.get("stage"))
    out: dict[str, Any] = {"apiId": item["apiId"], "stage": item["stage"]}
    if item.get("throttle"):
        if not isinstance(item["throttle"], dict):
            raise BadRequestException("Invalid throttle settings specified")
        out["throttle"] = {path: _check_throttle(t) for path, t in item["throttle"].items()}
    return out


def _output(plan: dict[str, Any]) -> dict[str, Any]:
    return public(plan)


def create_usage_plan(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    stages = [_api_stage(ctx, item) for item in params.get("apiStages") or ()]
    if len({(st["apiId"], st["stage"]) for st in stages}) != len(stages):
        raise BadRequestException("Duplicate API Stage specified")
    plan: dict[str, Any] = {"id": new_id(6), "name": params["name"], "apiStages": stages, "_keys": []}
    if params.get("description") is not None:
        plan["description"] = params["description"]
    if params.get("throttle") is not None:
        plan["throttle"] = _check_throttle(params["throttle"])
    if params.get("quota") is not None:
        plan["quota"] = _check_quota(params["quota"])
    if params.get("tags") is not None:
        plan["tags"] = params["tags"]
    keys(ctx).create_plan(plan)
    return _output(plan)


def get_usage_plan(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    return _output(keys(ctx).get_plan(params["usagePlanId"]))


def get_usage_plans(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    k = keys(ctx)
    plans = k.list_plans()
    if params.get("keyId"):
        k.get_key(params["keyId"])
        plans = [plan for plan in plans if params["keyId"] in plan.get("_keys", ())]
    return paginate([_output(plan) for plan in plans], params)


def _patch_stages(ctx: Any, plan: dict[str, Any], kind: str, parts: list[str], value: Any, path: str) -> None:
    stages: list[dict[str, Any]] = plan.setdefault("apiStages", [])
    if len(parts) == 1:  # add/remove "apiId:stage"
        api_id, _, stage = (value if isinstance(value, str) else "").partition(":")
        found = [st for st in stages if st["apiId"] == api_id and st["stage"] == stage]
        if kind == "add":
            _check_stage(ctx, api_id, stage)
            if not found:
                stages.append({"apiId": api_id, "stage": stage})
        elif kind == "remove":
            if not found:
                raise NotFoundException(f"API Stage not found: {api_id}:{stage}")
            stages.remove(found[0])
        else:
            raise BadRequestException(f"Invalid patch path '{path}' specified for op '{kind}'. Please choose supported operations")
        return
    # /apiStages/{apiId}:{stage}/throttle[/{resourcePath}/{method}/{burstLimit|rateLimit}]
    api_id, _, stage = parts[1].partition(":")
    found = [st for st in stages if st["apiId"] == api_id and st["stage"] == stage]
    if not found or parts[2:3] != ["throttle"]:
        raise BadRequestException(f"Invalid patch path {path}")
    throttle = found[0].setdefault("throttle", {})
    if len(parts) == 3 and kind == "remove":
        found[0].pop("throttle", None)
        return
    if len(parts) < 6 or parts[-1] not in _THROTTLE:
        raise BadRequestException(f"Invalid patch path {path}")
    method_key = "/".join(parts[3:-1])
    if kind == "remove":
        throttle.pop(method_key, None)
    else:
        throttle.setdefault(method_key, {})[parts[-1]] = _check_throttle({parts[-1]: value})[parts[-1]]


def _patch_plan(ctx: Any, plan: dict[str, Any], op: Any) -> None:
    kind, path, parts, value = simple_operation(op)
    if parts[0] == "apiStages":
        _patch_stages(ctx, plan, kind, parts, value, path)
    elif len(parts) == 1 and parts[0] in ("name", "description", "productCode"):
        if kind == "remove" and parts[0] != "name":
            plan.pop(parts[0], None)
        elif kind == "remove" or not isinstance(value, str) or (parts[0] == "name" and not value):
            raise BadRequestException(f"Invalid patch value for {path}")
        else:
            plan[parts[0]] = value
    elif parts[0] in ("throttle", "quota") and len(parts) == 1 and kind == "remove":
        plan.pop(parts[0], None)
    elif parts[0] == "throttle" and len(parts) == 2 and parts[1] in _THROTTLE and kind != "remove":
        plan["throttle"] = {**plan.get("throttle", {}), **_check_throttle({parts[1]: value})}
    elif parts[0] == "quota" and len(parts) == 2 and parts[1] in _QUOTA and kind != "remove":
        quota = {"limit": 0, "offset": 0, "period": "MONTH", **plan.get("quota", {}), parts[1]: value}
        plan["quota"] = _check_quota(quota)
    else:
        raise BadRequestException(f"Invalid patch path {path}")


def update_usage_plan(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    k = keys(ctx)
    plan = k.get_plan(params["usagePlanId"])
    for op in operations_of(params.get("patchOperations")):
        _patch_plan(ctx, plan, op)
    k.put_plan(plan)
    return _output(plan)


def delete_usage_plan(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    keys(ctx).delete_plan(params["usagePlanId"])
    return {}


# ---------------------------------------------------------------------------------------------- plan keys


def _plan_key(doc: dict[str, Any]) -> dict[str, Any]:
    out = {"id": doc["id"], "type": "API_KEY", "value": doc["value"]}
    if doc.get("name") is not None:
        out["name"] = doc["name"]
    return out


def create_usage_plan_key(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    k = keys(ctx)
    plan = k.get_plan(params["usagePlanId"])
    if params["keyType"] != "API_KEY":
        raise BadRequestException(f"Invalid key type specified: {params['keyType']}. Must be one of: [API_KEY]")
    key = k.get_key(params["keyId"])
    if key["id"] in plan["_keys"]:
        raise ConflictException("Usage Plan Key already exists")
    stages = {(st["apiId"], st["stage"]) for st in plan.get("apiStages") or ()}
    for other in k.list_plans():
        shared = stages & {(st["apiId"], st["stage"]) for st in other.get("apiStages") or ()}
        if other["id"] != plan["id"] and key["id"] in other.get("_keys", ()) and shared:
            api_id, stage = sorted(shared)[0]
            raise ConflictException(f"API Key {key['id']} is already in usage plan {other['id']} for stage "
                                    f"{api_id}:{stage}; a key can be in only one usage plan per stage")
    plan["_keys"].append(key["id"])
    k.put_plan(plan)
    return _plan_key(key)


def _attached(ctx: Any, params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    k = keys(ctx)
    plan = k.get_plan(params["usagePlanId"])
    key = k.get_key(params["keyId"])
    if key["id"] not in plan["_keys"]:
        raise NotFoundException("Invalid Usage Plan Key identifier specified")
    return plan, key


def get_usage_plan_key(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    return _plan_key(_attached(ctx, params)[1])


def get_usage_plan_keys(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    k = keys(ctx)
    plan = k.get_plan(params["usagePlanId"])
    items = []
    for key_id in plan["_keys"]:
        doc = k.resources.get(k.scope, "apikey", key_id)
        if doc is not None and (not params.get("nameQuery") or (doc.get("name") or "").startswith(params["nameQuery"])):
            items.append(_plan_key(doc))
    return paginate(items, params)


def delete_usage_plan_key(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    plan, key = _attached(ctx, params)
    plan["_keys"].remove(key["id"])
    keys(ctx).put_plan(plan)
    return {}
