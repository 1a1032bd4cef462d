"""CreateStage, GetStage, GetStages, UpdateStage, DeleteStage (stage variables, method settings, access logs).

https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateStage.html and patch-operations.html
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import BadRequestException, ConflictException
from ..execute.access_log import format_problem
from ..patch import convert_value, operations_of, simple_operation, unsupported
from ..store import now
from ._common import public, store

_STAGE_NAME = re.compile(r"^[a-zA-Z0-9_-]+$")

# /{resource path}/{method}/{group}/{setting} → MethodSetting member and its type.
METHOD_SETTINGS: dict[str, tuple[str, str]] = {
    "metrics/enabled": ("metricsEnabled", "bool"),
    "logging/loglevel": ("loggingLevel", "str"),
    "logging/dataTrace": ("dataTraceEnabled", "bool"),
    "throttling/burstLimit": ("throttlingBurstLimit", "int"),
    "throttling/rateLimit": ("throttlingRateLimit", "float"),
    "caching/enabled": ("cachingEnabled", "bool"),
    "caching/ttlInSeconds": ("cacheTtlInSeconds", "int"),
    "caching/dataEncrypted": ("cacheDataEncrypted", "bool"),
    "caching/requireAuthorizationForCacheControl": ("requireAuthorizationForCacheControl", "bool"),
    "caching/unauthorizedCacheControlHeaderStrategy": ("unauthorizedCacheControlHeaderStrategy", "str"),
}
DEFAULT_METHOD_SETTING: dict[str, Any] = {
    "metricsEnabled": False, "loggingLevel": "OFF", "dataTraceEnabled": False, "throttlingBurstLimit": 5000,
    "throttlingRateLimit": 10000.0, "cachingEnabled": False, "cacheTtlInSeconds": 300, "cacheDataEncrypted": False,
    "requireAuthorizationForCacheControl": True,
    "unauthorizedCacheControlHeaderStrategy": "SEND_WARNING_HEADER_WITH_RESPONSE",
}
_TOP_LEVEL = {"deploymentId": "str", "description": "str", "cacheClusterEnabled": "bool", "cacheClusterSize": "str",
              "tracingEnabled": "bool", "clientCertificateId": "str", "documentationVersion": "str",
              "webAclArn": "str"}


def new_stage(name: str, deployment_id: str, params: dict[str, Any]) -> dict[str, Any]:
    if not _STAGE_NAME.match(name):
        raise BadRequestException("Stage name only allows a-zA-Z0-9_-")
    created = now()
    stage: dict[str, Any] = {
        "deploymentId": deployment_id,
        "stageName": name,
        "cacheClusterEnabled": bool(params.get("cacheClusterEnabled") or False),
        "cacheClusterStatus": "NOT_AVAILABLE",
        "methodSettings": {},
        "tracingEnabled": bool(params.get("tracingEnabled") or False),
        "createdDate": created,
        "lastUpdatedDate": created,
    }
    for key in ("description", "variables", "cacheClusterSize", "documentationVersion", "tags", "canarySettings"):
        if params.get(key) is not None:
            stage[key] = params[key]
    return stage


def create_stage(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api_id = params["restApiId"]
    s.get_api(api_id)
    s.get_deployment(api_id, params["deploymentId"])
    if s.find_stage(api_id, params["stageName"]) is not None:
        raise ConflictException("Stage already exists")
    stage = new_stage(params["stageName"], params["deploymentId"], params)
    s.put_stage(api_id, stage)
    return public(stage)


def get_stage(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    s.get_api(params["restApiId"])
    return public(s.get_stage(params["restApiId"], params["stageName"]))


def get_stages(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    s.get_api(params["restApiId"])
    stages = s.list_stages(params["restApiId"])
    if params.get("deploymentId"):
        stages = [st for st in stages if st.get("deploymentId") == params["deploymentId"]]
    return {"item": [public(st) for st in stages]}


def _patch_stage(stage: dict[str, Any], op: dict[str, Any]) -> None:
    kind, path, parts, value = simple_operation(op)
    if parts[0] in ("variables", "stageVariables") and len(parts) >= 2:
        variables = stage.setdefault("variables", {})
        if kind == "remove":
            variables.pop(parts[1], None)
        else:
            variables[parts[1]] = value
        return
    if parts[0] == "accessLogSettings" and len(parts) == 2 and parts[1] in ("destinationArn", "format"):
        settings = stage.setdefault("accessLogSettings", {})
        if kind == "remove":
            settings.pop(parts[1], None)
        else:
            settings[parts[1]] = value
        return
    if parts == ["accessLogSettings"] and kind == "remove":
        stage.pop("accessLogSettings", None)
        return
    if len(parts) == 1 and parts[0] in _TOP_LEVEL:
        if kind == "remove" and parts[0] in ("deploymentId", "cacheClusterEnabled", "tracingEnabled"):
            raise unsupported(path, kind)
        if kind == "remove":
            stage.pop(parts[0], None)
        else:
            stage[parts[0]] = convert_value(value, stage.get(parts[0]), _TOP_LEVEL[parts[0]])
        return
    if len(parts) == 4 and f"{parts[2]}/{parts[3]}" in METHOD_SETTINGS:
        member, kind_name = METHOD_SETTINGS[f"{parts[2]}/{parts[3]}"]
        resource_path = parts[0]
        key = "*/*" if resource_path == "*" else f"{resource_path.replace('/', '~1')}/{parts[1]}"
        setting = stage.setdefault("methodSettings", {}).setdefault(key, dict(DEFAULT_METHOD_SETTING))
        setting[member] = convert_value(value, setting.get(member), kind_name)
        return
    if len(parts) == 2 and kind == "remove" and f"{parts[0]}/{parts[1]}" in (stage.get("methodSettings") or {}):
        del stage["methodSettings"][f"{parts[0]}/{parts[1]}"]
        return
    raise BadRequestException(f"Invalid patch path {path}")


def update_stage(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api_id = params["restApiId"]
    s.get_api(api_id)
    stage = s.get_stage(api_id, params["stageName"])
    for op in operations_of(params.get("patchOperations")):
        _patch_stage(stage, op)
    access_format = (stage.get("accessLogSettings") or {}).get("format")
    problem = format_problem(access_format) if access_format is not None else None
    if problem is not None:
        raise BadRequestException(problem)
    s.get_deployment(api_id, stage["deploymentId"])  # a patched deploymentId must exist
    stage["lastUpdatedDate"] = now()
    s.put_stage(api_id, stage)
    return public(stage)


def delete_stage(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    s.get_api(params["restApiId"])
    s.get_stage(params["restApiId"], params["stageName"])
    s.delete_stage(params["restApiId"], params["stageName"])
    return {}
