"""Temporary credentials STS hands out, kept so that GetCallerIdentity can say whose they are."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from pocketcloud.services.iam.model import new_id, new_secret
from pocketcloud.storage.base import Scope

SESSIONS = Scope("sts", "", "")


def issue(state: Any, account: str, *, arn: str, user_id: str, duration: int) -> dict[str, Any]:
    key = new_id("ASIA")
    expiration = datetime.now(timezone.utc) + timedelta(seconds=duration)
    credentials = {
        "AccessKeyId": key,
        "SecretAccessKey": new_secret(),
        "SessionToken": "FwoGZXIvYXdzE" + secrets.token_urlsafe(96),
        "Expiration": expiration,
    }
    state.storage.resources.put(SESSIONS, "session", key, {"account": account, "arn": arn, "user_id": user_id,
                                                           "expires": expiration.timestamp()})
    state.auth.register_key(key, account)
    return credentials


def lookup(state: Any, access_key: str) -> dict[str, Any] | None:
    return state.storage.resources.get(SESSIONS, "session", access_key) if access_key else None


def register_sessions(state: Any) -> None:
    """on_startup: temporary keys issued before a restart still belong to their accounts."""
    for key, doc in state.storage.resources.list(SESSIONS, "session"):
        state.auth.register_key(key, doc["account"])
