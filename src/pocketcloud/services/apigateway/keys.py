"""Where API keys and usage plans live, and the data plane's index of them.

API keys and usage plans belong to an account and region, not to a REST API: one JSON document per key (kind
"apikey") and per plan (kind "usageplan", with the ids of its keys in `_keys`) under the same
Scope("apigateway", account, region) as the APIs. Every write bumps store.generation, so the data plane's index
(`KeyIndex`, built once per generation: no SQLite read per request) follows the control plane.
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import store as apistore
from .errors import NotFoundException

APIKEY, USAGEPLAN = "apikey", "usageplan"


class KeyStore:
    """Reads and writes of one account/region's API keys and usage plans, raising AWS's NotFound errors."""

    def __init__(self, state: Any, account: str, region: str) -> None:
        self.state = state
        self.resources = state.storage.resources
        self.scope = apistore.scope(account, region)

    def get_key(self, key_id: str) -> dict[str, Any]:
        doc = self.resources.get(self.scope, APIKEY, key_id) if key_id else None
        if doc is None:
            raise NotFoundException("Invalid API Key identifier specified")
        return doc

    def list_keys(self) -> list[dict[str, Any]]:
        return sorted((doc for _, doc in self.resources.list(self.scope, APIKEY)),
                      key=lambda d: (d.get("name") or "", d["createdDate"], d["id"]))

    def create_key(self, doc: dict[str, Any]) -> None:
        while not self.resources.insert(self.scope, APIKEY, doc["id"], doc):
            doc["id"] = apistore.new_id(10)
        apistore.bump(self.state)

    def put_key(self, doc: dict[str, Any]) -> None:
        self.resources.put(self.scope, APIKEY, doc["id"], doc)
        apistore.bump(self.state)

    def delete_key(self, key_id: str) -> None:
        self.get_key(key_id)
        with self.resources.transaction():  # the key and its places in plans go together, or neither does
            for plan in self.list_plans():  # a deleted key leaves the plans it was in
                if key_id in plan.get("_keys", ()):
                    plan["_keys"].remove(key_id)
                    self.resources.put(self.scope, USAGEPLAN, plan["id"], plan)
            self.resources.delete(self.scope, APIKEY, key_id)
        apistore.bump(self.state)

    def get_plan(self, plan_id: str) -> dict[str, Any]:
        doc = self.resources.get(self.scope, USAGEPLAN, plan_id) if plan_id else None
        if doc is None:
            raise NotFoundException("Invalid Usage Plan ID specified")
        return doc

    def list_plans(self) -> list[dict[str, Any]]:
        return sorted((doc for _, doc in self.resources.list(self.scope, USAGEPLAN)),
                      key=lambda d: (d.get("name") or "", d["id"]))

    def create_plan(self, doc: dict[str, Any]) -> None:
        while not self.resources.insert(self.scope, USAGEPLAN, doc["id"], doc):
            doc["id"] = apistore.new_id(6)
        apistore.bump(self.state)

    def put_plan(self, doc: dict[str, Any]) -> None:
        self.resources.put(self.scope, USAGEPLAN, doc["id"], doc)
        apistore.bump(self.state)

    def delete_plan(self, plan_id: str) -> None:
        self.get_plan(plan_id)
        self.resources.delete(self.scope, USAGEPLAN, plan_id)
        apistore.bump(self.state)


# ---------------------------------------------------------------------------------------------- data plane


@dataclass(frozen=True)
class Grant:
    """An enabled API key allowed on one API stage, through `plan` (its id and quota)."""

    key_id: str
    key_value: str
    plan_id: str
    quota: dict[str, Any] | None


@dataclass(frozen=True)
class KeyIndex:
    """One account/region's keys as the data plane asks about them: (key value, api id, stage) -> Grant.
    Disabled keys, keys in no plan and plans without that stage are simply absent."""

    grants: dict[tuple[str, str, str], Grant]

    def grant(self, value: str, api_id: str, stage: str) -> Grant | None:
        return self.grants.get((value, api_id, stage))


def build_index(state: Any, account: str, region: str) -> KeyIndex:
    keys = KeyStore(state, account, region)
    enabled = {doc["id"]: doc["value"] for doc in keys.list_keys() if doc.get("enabled")}
    grants: dict[tuple[str, str, str], Grant] = {}
    for plan in keys.list_plans():
        for key_id in plan.get("_keys", ()):
            value = enabled.get(key_id)
            if value is None:
                continue
            for api_stage in plan.get("apiStages") or ():
                # A key in two plans for the same stage counts against the first plan's quota.
                grants.setdefault((value, api_stage["apiId"], api_stage["stage"]),
                                  Grant(key_id, value, plan["id"], plan.get("quota")))
    return KeyIndex(grants)


def key_index(state: Any, account: str, region: str) -> KeyIndex:
    """The index of (account, region), rebuilt only after a control-plane write (store.generation)."""
    rt = state.runtime.setdefault("apigateway", {})
    cache: dict[tuple[str, str], tuple[int, KeyIndex]] = rt.setdefault("key-index", {})
    generation = rt.get("generation", 0)
    hit = cache.get((account, region))
    if hit is not None and hit[0] == generation:
        return hit[1]
    index = build_index(state, account, region)
    cache[(account, region)] = (generation, index)
    return index
