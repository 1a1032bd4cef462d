"""Step 2's input: what one stage serves — its deployment's snapshot, compiled once into a router — cached per
(api id, stage) until the control plane writes anything (store.bump)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pocketcloud.services.apigateway import store as apistore

from .access_log import AccessLog, compile_access_log
from .errors import forbidden, missing_authentication_token
from .routing import ResourceRouter


@dataclass(frozen=True)
class DeployedStage:
    api_id: str
    stage_name: str
    account_id: str
    region: str
    deployment_id: str
    stage: dict[str, Any]
    api: dict[str, Any]  # the deployment's snapshot: resources (with methods), binaryMediaTypes, ...
    router: ResourceRouter
    resources_by_path: dict[str, dict[str, Any]]
    binary_media_types: tuple[str, ...] = ()
    stage_variables: dict[str, str] = field(default_factory=dict)
    access_log: AccessLog | None = None  # the stage's accessLogSettings, when it has a CloudWatch Logs destination
    # (HTTP method, path) -> (resource, method, MatchedRoute): execute/chain.route_request's memory. The
    # MatchedRoute is shared by the requests that take the route: nothing may change it.
    routes: dict[tuple[str, str], tuple[Any, Any, Any]] = field(default_factory=dict, compare=False)
    # model name -> its compiled JSON schema validator (or None): execute/request_validation.py's memory.
    validators: dict[str, Any] = field(default_factory=dict, compare=False)


def compile_stage(api_id: str, account: str, region: str, stage: dict[str, Any], snapshot: dict[str, Any]) -> DeployedStage:
    resources = snapshot.get("resources", {})
    by_path = {r["path"]: r for r in resources.values()}
    return DeployedStage(
        api_id=api_id, stage_name=stage["stageName"], account_id=account, region=region,
        deployment_id=stage["deploymentId"], stage=stage, api=snapshot,
        router=ResourceRouter(by_path), resources_by_path=by_path,
        binary_media_types=tuple(snapshot.get("binaryMediaTypes") or ()),
        stage_variables=dict(stage.get("variables") or {}),
        access_log=compile_access_log(api_id, stage),
    )


def load_stage(state: Any, api_id: str, stage_name: str) -> DeployedStage:
    """The stage to serve; raises Missing Authentication Token for an unknown API, Forbidden for an unknown stage."""
    rt = state.runtime.setdefault("apigateway", {})
    cache: dict[tuple[str, str], tuple[int, DeployedStage]] = rt.setdefault("stages", {})
    generation = rt.get("generation", 0)
    hit = cache.get((api_id, stage_name))
    if hit is not None and hit[0] == generation:
        return hit[1]
    located = apistore.locate_api(state, api_id)
    if located is None:
        raise missing_authentication_token()
    account, region = located
    store = apistore.ApiStore(state, account, region)
    stage = store.find_stage(api_id, stage_name)
    if stage is None:
        raise forbidden()
    deployment = store.resources.get(store.scope, apistore.DEPLOYMENT, f"{api_id}/{stage['deploymentId']}")
    if deployment is None:
        raise forbidden()
    deployed = compile_stage(api_id, account, region, stage, deployment.get("_snapshot", {}))
    if len(cache) > 1000:
        cache.clear()
    cache[(api_id, stage_name)] = (generation, deployed)
    return deployed
