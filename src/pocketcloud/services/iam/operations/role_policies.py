"""A role's inline and attached policies: Put/Get/Delete/ListRolePolicies, Attach/Detach/ListAttachedRolePolicies.
https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html"""

from __future__ import annotations

from typing import Any

from ..errors import NoSuchEntity
from ..model import check_policy, encoded, page, scope
from .policies import find_policy
from .roles import load_role


def put_role_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    role, name = params["RoleName"], params["PolicyName"]
    load_role(ctx, role)
    check_policy(params["PolicyDocument"])
    ctx.state.storage.resources.put(scope(ctx.account_id), "role_policy", f"{role}:{name}",
                                    {"PolicyName": name, "PolicyDocument": params["PolicyDocument"]})
    return {}


def get_role_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    role, name = params["RoleName"], params["PolicyName"]
    load_role(ctx, role)
    doc = ctx.state.storage.resources.get(scope(ctx.account_id), "role_policy", f"{role}:{name}")
    if doc is None:
        raise NoSuchEntity(f"The role policy with name {name} cannot be found.")
    return {"RoleName": role, "PolicyName": name, "PolicyDocument": encoded(doc["PolicyDocument"])}


def delete_role_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    role, name = params["RoleName"], params["PolicyName"]
    load_role(ctx, role)
    if not ctx.state.storage.resources.delete(scope(ctx.account_id), "role_policy", f"{role}:{name}"):
        raise NoSuchEntity(f"The role policy with name {name} cannot be found.")
    return {}


def list_role_policies(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    role = params["RoleName"]
    load_role(ctx, role)
    names = [d["PolicyName"] for _, d in ctx.state.storage.resources.list(scope(ctx.account_id), "role_policy", prefix=f"{role}:")]
    return page(names, params, lambda n: n, "PolicyNames")


def attach_role_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    role, arn = params["RoleName"], params["PolicyArn"]
    load_role(ctx, role)
    policy = find_policy(ctx, arn)
    ctx.state.storage.resources.put(scope(ctx.account_id), "role_attached", f"{role}:{arn}",
                                    {"PolicyName": policy["PolicyName"], "PolicyArn": arn})
    return {}


def detach_role_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    role, arn = params["RoleName"], params["PolicyArn"]
    load_role(ctx, role)
    if not ctx.state.storage.resources.delete(scope(ctx.account_id), "role_attached", f"{role}:{arn}"):
        raise NoSuchEntity(f"Policy {arn} was not found.")
    return {}


def list_attached_role_policies(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    role = params["RoleName"]
    load_role(ctx, role)
    attached = [d for _, d in ctx.state.storage.resources.list(scope(ctx.account_id), "role_attached", prefix=f"{role}:")]
    return page(attached, params, lambda d: d["PolicyArn"], "AttachedPolicies")
