"""Users and their access keys: CreateUser, GetUser, ListUsers, DeleteUser, CreateAccessKey, ListAccessKeys,
DeleteAccessKey. Keys are registered with the server's Authenticator so that calls signed with them belong to
the account that made them. https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html"""

from __future__ import annotations

from typing import Any

from ..errors import DeleteConflict, EntityAlreadyExists, NoSuchEntity
from ..model import KEYS, entity_arn, new_id, new_secret, now_iso, page, path_of, scope


def load_user(ctx: Any, name: str) -> dict[str, Any]:
    doc = ctx.state.storage.resources.get(scope(ctx.account_id), "user", name)
    if doc is None:
        raise NoSuchEntity(f"The user with name {name} cannot be found.")
    return doc


def caller_user(ctx: Any) -> str | None:
    key = ctx.state.storage.resources.get(KEYS, "access_key", ctx.access_key) if ctx.access_key else None
    return key.get("UserName") if key else None


def create_user(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params["UserName"]
    path = path_of(params)
    doc = {"Path": path, "UserName": name, "UserId": new_id("AIDA"),
           "Arn": entity_arn(ctx.account_id, "user", path, name), "CreateDate": now_iso()}
    if params.get("Tags"):
        doc["Tags"] = params["Tags"]
    if not ctx.state.storage.resources.insert(scope(ctx.account_id), "user", name, doc):
        raise EntityAlreadyExists(f"User with name {name} already exists.")
    return {"User": doc}


def get_user(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params.get("UserName") or caller_user(ctx)
    if name is None:
        # Credentials that belong to no IAM user act as the account's root user.
        return {"User": {"Path": "/", "UserName": "root", "UserId": ctx.account_id,
                         "Arn": f"arn:aws:iam::{ctx.account_id}:root", "CreateDate": "2026-01-01T00:00:00Z"}}
    return {"User": load_user(ctx, name)}


def list_users(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    prefix = params.get("PathPrefix") or "/"
    users = [d for _, d in ctx.state.storage.resources.list(scope(ctx.account_id), "user") if d["Path"].startswith(prefix)]
    return page(users, params, lambda u: u["UserName"], "Users")


def _keys_of(ctx: Any, user: str) -> list[dict[str, Any]]:
    return [d for _, d in ctx.state.storage.resources.list(KEYS, "access_key")
            if d["_account"] == ctx.account_id and d["UserName"] == user]


def delete_user(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params["UserName"]
    load_user(ctx, name)
    if _keys_of(ctx, name):
        raise DeleteConflict("Cannot delete entity, must delete access keys first.")
    ctx.state.storage.resources.delete(scope(ctx.account_id), "user", name)
    return {}


def create_access_key(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params.get("UserName") or caller_user(ctx)
    if name is None:
        raise NoSuchEntity("Must specify userName when calling with non-User credentials")
    load_user(ctx, name)
    if len(_keys_of(ctx, name)) >= 2:
        raise _limit()
    key = {"UserName": name, "AccessKeyId": new_id("AKIA"), "Status": "Active", "SecretAccessKey": new_secret(),
           "CreateDate": now_iso(), "_account": ctx.account_id}
    ctx.state.storage.resources.put(KEYS, "access_key", key["AccessKeyId"], key)
    ctx.state.auth.register_key(key["AccessKeyId"], ctx.account_id)
    return {"AccessKey": {k: v for k, v in key.items() if not k.startswith("_")}}


def _limit() -> Exception:
    from ..errors import LimitExceeded

    return LimitExceeded("Cannot exceed quota for AccessKeysPerUser: 2")


def list_access_keys(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params.get("UserName") or caller_user(ctx)
    if name is None:
        return {"AccessKeyMetadata": [], "IsTruncated": False}
    load_user(ctx, name)
    keys = [{k: v for k, v in d.items() if k in ("UserName", "AccessKeyId", "Status", "CreateDate")} for d in _keys_of(ctx, name)]
    return page(keys, params, lambda k: k["AccessKeyId"], "AccessKeyMetadata")


def delete_access_key(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    key_id = params["AccessKeyId"]
    doc = ctx.state.storage.resources.get(KEYS, "access_key", key_id)
    if doc is None or doc["_account"] != ctx.account_id:
        raise NoSuchEntity(f"The Access Key with id {key_id} cannot be found.")
    ctx.state.storage.resources.delete(KEYS, "access_key", key_id)
    return {}


def register_keys(state: Any) -> None:
    """on_startup: keys made before a restart still belong to their accounts."""
    for key_id, doc in state.storage.resources.list(KEYS, "access_key"):
        state.auth.register_key(key_id, doc["_account"])
