"""Where REST APIs live: one JSON document per API (resources, methods, integrations, models inside it), one per
deployment (with a frozen snapshot of the API) and one per stage, under Scope("apigateway", account, region).

A global index maps an API id to its account and region, because invoke URLs name only the API id.
Control-plane writes bump a generation counter so the data plane can cache compiled deployments safely.
"""

from __future__ import annotations

import random
import string
import time
from typing import Any

from pocketcloud.storage.base import Scope

from .errors import NotFoundException

SERVICE = "apigateway"
_INDEX = Scope(SERVICE, "", "")
_ALPHABET = string.ascii_lowercase + string.digits
API, DEPLOYMENT, STAGE, INDEX = "restapi", "deployment", "stage", "api-index"


def new_id(length: int) -> str:
    return "".join(random.choices(_ALPHABET, k=length))


def now() -> int:
    return int(time.time())


def scope(account: str, region: str) -> Scope:
    return Scope(SERVICE, account, region)


def bump(state: Any) -> None:
    """Invalidate data-plane caches after any write that can change what a stage serves."""
    rt = state.runtime.setdefault("apigateway", {})
    rt["generation"] = rt.get("generation", 0) + 1


def generation(state: Any) -> int:
    return state.runtime.get("apigateway", {}).get("generation", 0)


class ApiStore:
    """Reads and writes of one account/region's REST APIs, raising AWS's NotFound errors."""

    def __init__(self, state: Any, account: str, region: str) -> None:
        self.state = state
        self.resources = state.storage.resources
        self.account = account
        self.region = region
        self.scope = scope(account, region)

    # -- APIs -------------------------------------------------------------------------------------------
    def get_api(self, api_id: str) -> dict[str, Any]:
        doc = self.resources.get(self.scope, API, api_id)
        if doc is None:
            raise NotFoundException(f"Invalid API identifier specified {self.account}:{api_id}")
        return doc

    def put_api(self, doc: dict[str, Any]) -> None:
        self.resources.put(self.scope, API, doc["id"], doc)
        bump(self.state)

    def create_api(self, doc: dict[str, Any]) -> None:
        while not self.resources.insert(self.scope, API, doc["id"], doc):
            doc["id"] = new_id(10)
        self.resources.put(_INDEX, INDEX, doc["id"], {"account": self.account, "region": self.region})
        bump(self.state)

    def delete_api(self, api_id: str) -> None:
        self.get_api(api_id)
        for key, _ in self.resources.list(self.scope, STAGE, prefix=f"{api_id}/"):
            self.resources.delete(self.scope, STAGE, key)
        for key, _ in self.resources.list(self.scope, DEPLOYMENT, prefix=f"{api_id}/"):
            self.resources.delete(self.scope, DEPLOYMENT, key)
        self.resources.delete(self.scope, API, api_id)
        self.resources.delete(_INDEX, INDEX, api_id)
        bump(self.state)

    def list_apis(self) -> list[dict[str, Any]]:
        return [doc for _, doc in self.resources.list(self.scope, API)]

    # -- deployments and stages -------------------------------------------------------------------------
    def get_deployment(self, api_id: str, deployment_id: str) -> dict[str, Any]:
        doc = self.resources.get(self.scope, DEPLOYMENT, f"{api_id}/{deployment_id}")
        if doc is None:
            raise NotFoundException("Invalid Deployment identifier specified")
        return doc

    def put_deployment(self, api_id: str, doc: dict[str, Any]) -> None:
        self.resources.put(self.scope, DEPLOYMENT, f"{api_id}/{doc['id']}", doc)
        bump(self.state)

    def delete_deployment(self, api_id: str, deployment_id: str) -> None:
        self.resources.delete(self.scope, DEPLOYMENT, f"{api_id}/{deployment_id}")
        bump(self.state)

    def list_deployments(self, api_id: str) -> list[dict[str, Any]]:
        return [doc for _, doc in self.resources.list(self.scope, DEPLOYMENT, prefix=f"{api_id}/")]

    def find_stage(self, api_id: str, name: str) -> dict[str, Any] | None:
        return self.resources.get(self.scope, STAGE, f"{api_id}/{name}")

    def get_stage(self, api_id: str, name: str) -> dict[str, Any]:
        doc = self.find_stage(api_id, name)
        if doc is None:
            raise NotFoundException("Invalid Stage identifier specified")
        return doc

    def put_stage(self, api_id: str, doc: dict[str, Any]) -> None:
        self.resources.put(self.scope, STAGE, f"{api_id}/{doc['stageName']}", doc)
        bump(self.state)

    def delete_stage(self, api_id: str, name: str) -> None:
        self.resources.delete(self.scope, STAGE, f"{api_id}/{name}")
        bump(self.state)

    def list_stages(self, api_id: str) -> list[dict[str, Any]]:
        return [doc for _, doc in self.resources.list(self.scope, STAGE, prefix=f"{api_id}/")]


def locate_api(state: Any, api_id: str) -> tuple[str, str] | None:
    """(account, region) of an API id, for invoke URLs that name only the id."""
    doc = state.storage.resources.get(_INDEX, INDEX, api_id)
    return None if doc is None else (doc["account"], doc["region"])


# ---------------------------------------------------------------------------------------------- lookups


def get_resource(api: dict[str, Any], resource_id: str) -> dict[str, Any]:
    resource = api["resources"].get(resource_id)
    if resource is None:
        raise NotFoundException("Invalid Resource identifier specified")
    return resource


def get_method(api: dict[str, Any], resource_id: str, http_method: str) -> dict[str, Any]:
    method = get_resource(api, resource_id).get("resourceMethods", {}).get(http_method.upper())
    if method is None:
        raise NotFoundException("Invalid Method identifier specified")
    return method


def get_integration(api: dict[str, Any], resource_id: str, http_method: str) -> dict[str, Any]:
    integration = get_method(api, resource_id, http_method).get("methodIntegration")
    if integration is None:
        raise NotFoundException("Invalid Integration identifier specified")
    return integration
