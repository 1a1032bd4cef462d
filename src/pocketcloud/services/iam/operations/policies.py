"""Managed policies: CreatePolicy, GetPolicy, DeletePolicy, ListPolicies. AWS managed policies
(arn:aws:iam::aws:policy/...) are accepted by name without a catalogue of their documents.
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html"""

from __future__ import annotations

from typing import Any

from ..errors import DeleteConflict, EntityAlreadyExists, NoSuchEntity
from ..model import check_policy, entity_arn, new_id, now_iso, page, path_of, scope

_AWS_MANAGED = "arn:aws:iam::aws:policy/"


def aws_managed(arn: str) -> dict[str, Any]:
    path_name = arn[len(_AWS_MANAGED) - 1:]
    path, _, name = path_name.rpartition("/")
    return {
        "PolicyName": name, "PolicyId": "ANPA" + name.upper()[:16].ljust(16, "X"), "Arn": arn, "Path": path + "/",
        "DefaultVersionId": "v1", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
        "CreateDate": "2015-02-06T18:40:00Z", "UpdateDate": "2015-02-06T18:40:00Z",
    }


def find_policy(ctx: Any, arn: str) -> dict[str, Any]:
    if arn.startswith(_AWS_MANAGED) and len(arn) > len(_AWS_MANAGED):
        return aws_managed(arn)
    doc = ctx.state.storage.resources.get(scope(ctx.account_id), "policy", arn)
    if doc is None:
        raise NoSuchEntity(f"Policy {arn} does not exist or is not attachable.")
    return doc


def public_policy(ctx: Any, doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k != "_document"}
    store = ctx.state.storage.resources
    out["AttachmentCount"] = sum(1 for _, d in store.list(scope(ctx.account_id), "role_attached") if d["PolicyArn"] == doc["Arn"])
    return out


def create_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params["PolicyName"]
    check_policy(params["PolicyDocument"])
    path = path_of(params)
    arn = entity_arn(ctx.account_id, "policy", path, name)
    now = now_iso()
    doc = {
        "PolicyName": name, "PolicyId": new_id("ANPA"), "Arn": arn, "Path": path, "DefaultVersionId": "v1",
        "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
        "CreateDate": now, "UpdateDate": now, "_document": params["PolicyDocument"],
    }
    if params.get("Description"):
        doc["Description"] = params["Description"]
    if not ctx.state.storage.resources.insert(scope(ctx.account_id), "policy", arn, doc):
        raise EntityAlreadyExists(f"A policy called {name} already exists. Duplicate names are not allowed.")
    return {"Policy": public_policy(ctx, doc)}


def get_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["PolicyArn"]
    doc = find_policy(ctx, arn)
    return {"Policy": doc if arn.startswith(_AWS_MANAGED) else public_policy(ctx, doc)}


def delete_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["PolicyArn"]
    doc = find_policy(ctx, arn)
    if public_policy(ctx, doc)["AttachmentCount"]:
        raise DeleteConflict("Cannot delete a policy attached to entities.")
    ctx.state.storage.resources.delete(scope(ctx.account_id), "policy", arn)
    return {}


def list_policies(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    policies = [public_policy(ctx, d) for _, d in ctx.state.storage.resources.list(scope(ctx.account_id), "policy")]
    if params.get("Scope") == "AWS":
        policies = []
    return page(policies, params, lambda p: p["Arn"], "Policies")
