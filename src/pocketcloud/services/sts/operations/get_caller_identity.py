"""GetCallerIdentity: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html

An IAM user's key answers that user; a key from AssumeRole the assumed role; any other key the account's root.
"""

from __future__ import annotations

from typing import Any

from pocketcloud.services.iam.model import KEYS
from pocketcloud.services.iam.model import scope as iam_scope

from ..sessions import lookup


def get_caller_identity(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    store = ctx.state.storage.resources
    session = lookup(ctx.state, ctx.access_key)
    if session is not None:
        return {"UserId": session["user_id"], "Account": session["account"], "Arn": session["arn"]}
    key = store.get(KEYS, "access_key", ctx.access_key) if ctx.access_key else None
    if key is not None:
        user = store.get(iam_scope(key["_account"]), "user", key["UserName"])
        if user is not None:
            return {"UserId": user["UserId"], "Account": key["_account"], "Arn": user["Arn"]}
    return {"UserId": ctx.account_id, "Account": ctx.account_id, "Arn": f"arn:aws:iam::{ctx.account_id}:root"}
