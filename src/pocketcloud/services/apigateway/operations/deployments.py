"""CreateDeployment, GetDeployments, GetDeployment, UpdateDeployment, DeleteDeployment.

https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDeployment.html — a deployment freezes the API as it
is at that moment; stages serve that snapshot until they are pointed at another deployment.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from ..errors import BadRequestException
from ..patch import apply_patches
from ..store import new_id, now
from ._common import paginate, public, store
from .stages import new_stage

log = logging.getLogger(__name__)

_SNAPSHOT_KEYS = ("id", "name", "binaryMediaTypes", "apiKeySource", "rootResourceId", "resources", "models",
                  "minimumCompressionSize", "disableExecuteApiEndpoint", "gatewayResponses",
                  "requestValidators")


def api_summary(api: dict[str, Any]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for resource in api["resources"].values():
        for name, method in (resource.get("resourceMethods") or {}).items():
            summary.setdefault(resource["path"], {})[name] = {
                "authorizationType": method.get("authorizationType", "NONE"),
                "apiKeyRequired": method.get("apiKeyRequired", False),
            }
    return summary


def check_deployable(api: dict[str, Any]) -> None:
    has_methods = False
    for resource in api["resources"].values():
        for method in (resource.get("resourceMethods") or {}).values():
            has_methods = True
            if "methodIntegration" not in method:
                raise BadRequestException("No integration defined for method")
    if not has_methods:
        raise BadRequestException("The REST API doesn't contain any methods")


def invoke_urls(ctx: Any, api_id: str, stage: str) -> tuple[str, str]:
    host = ctx.request.headers.get("host", "localhost:4566")
    port = host.rsplit(":", 1)[1] if ":" in host else "80"
    return (f"http://{api_id}.execute-api.localhost:{port}/{stage}/",
            f"http://{host}/restapis/{api_id}/{stage}/_user_request_/")


def create_deployment(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api_id = params["restApiId"]
    api = s.get_api(api_id)
    check_deployable(api)
    stage_name = params.get("stageName")
    deployment: dict[str, Any] = {"id": new_id(6), "createdDate": now(), "apiSummary": api_summary(api)}
    if params.get("description") is not None:
        deployment["description"] = params["description"]
    deployment["_snapshot"] = copy.deepcopy({k: api[k] for k in _SNAPSHOT_KEYS if k in api})
    s.put_deployment(api_id, deployment)
    if stage_name:
        stage = s.find_stage(api_id, stage_name)
        if stage is None:
            stage = new_stage(stage_name, deployment["id"], {
                "description": params.get("stageDescription"), "variables": params.get("variables"),
                "cacheClusterEnabled": params.get("cacheClusterEnabled"), "cacheClusterSize": params.get("cacheClusterSize"),
                "tracingEnabled": params.get("tracingEnabled"),
            })
        else:
            stage["deploymentId"] = deployment["id"]
            stage["lastUpdatedDate"] = now()
            if params.get("variables"):
                stage.setdefault("variables", {}).update(params["variables"])
        s.put_stage(api_id, stage)
        url, path_url = invoke_urls(ctx, api_id, stage_name)
        log.info("apigateway: deployed %s (%s) to stage %s: invoke URL %s (or %s)",
                 api_id, api.get("name"), stage_name, url, path_url)
    return public(deployment)


def get_deployments(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    s.get_api(params["restApiId"])
    items = sorted(s.list_deployments(params["restApiId"]), key=lambda d: d["createdDate"])
    page = paginate(items, params)
    page["items"] = [public(d) for d in page["items"]]
    return page


def get_deployment(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    s.get_api(params["restApiId"])
    return public(s.get_deployment(params["restApiId"], params["deploymentId"]))


def update_deployment(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    s.get_api(params["restApiId"])
    deployment = s.get_deployment(params["restApiId"], params["deploymentId"])
    apply_patches(deployment, params.get("patchOperations"), allowed={"description": "str"})
    s.put_deployment(params["restApiId"], deployment)
    return public(deployment)


def delete_deployment(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api_id = params["restApiId"]
    s.get_api(api_id)
    s.get_deployment(api_id, params["deploymentId"])
    if any(stage.get("deploymentId") == params["deploymentId"] for stage in s.list_stages(api_id)):
        raise BadRequestException("Active stages pointing to this deployment must be moved or deleted")
    s.delete_deployment(api_id, params["deploymentId"])
    return {}
