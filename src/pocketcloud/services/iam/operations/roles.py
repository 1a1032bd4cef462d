"""Roles: CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy.
https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html"""

from __future__ import annotations

from typing import Any

from ..errors import DeleteConflict, EntityAlreadyExists, NoSuchEntity
from ..model import check_policy, encoded, entity_arn, new_id, now_iso, page, path_of, scope


def load_role(ctx: Any, name: str) -> dict[str, Any]:
    doc = ctx.state.storage.resources.get(scope(ctx.account_id), "role", name)
    if doc is None:
        raise NoSuchEntity(f"The role with name {name} cannot be found.")
    return doc


def public_role(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k != "AssumeRolePolicyDocument"}
    out["AssumeRolePolicyDocument"] = encoded(doc["AssumeRolePolicyDocument"])
    if not out.get("Tags"):
        out.pop("Tags", None)
    return out


def create_role(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params["RoleName"]
    check_policy(params["AssumeRolePolicyDocument"])
    path = path_of(params)
    doc = {
        "Path": path,
        "RoleName": name,
        "RoleId": new_id("AROA"),
        "Arn": entity_arn(ctx.account_id, "role", path, name),
        "CreateDate": now_iso(),
        "AssumeRolePolicyDocument": params["AssumeRolePolicyDocument"],
        "MaxSessionDuration": params.get("MaxSessionDuration") or 3600,
        "Tags": params.get("Tags") or [],
    }
    if params.get("Description"):
        doc["Description"] = params["Description"]
    if not ctx.state.storage.resources.insert(scope(ctx.account_id), "role", name, doc):
        raise EntityAlreadyExists(f"Role with name {name} already exists.")
    return {"Role": public_role(doc)}


def get_role(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"Role": public_role(load_role(ctx, params["RoleName"]))}


def list_roles(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    prefix = params.get("PathPrefix") or "/"
    roles = [public_role(d) for _, d in ctx.state.storage.resources.list(scope(ctx.account_id), "role")
             if d["Path"].startswith(prefix)]
    return page(roles, params, lambda r: r["RoleName"], "Roles")


def delete_role(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params["RoleName"]
    load_role(ctx, name)
    store = ctx.state.storage.resources
    sc = scope(ctx.account_id)
    if store.list(sc, "role_attached", prefix=f"{name}:", limit=1):
        raise DeleteConflict("Cannot delete entity, must detach all policies first.")
    if store.list(sc, "role_policy", prefix=f"{name}:", limit=1):
        raise DeleteConflict("Cannot delete entity, must delete policies first.")
    store.delete(sc, "role", name)
    return {}


def update_assume_role_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    doc = load_role(ctx, params["RoleName"])
    check_policy(params["PolicyDocument"])
    doc["AssumeRolePolicyDocument"] = params["PolicyDocument"]
    ctx.state.storage.resources.put(scope(ctx.account_id), "role", params["RoleName"], doc)
    return {}
