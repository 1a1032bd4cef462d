"""IAM state (global: region ""), ids and policy documents. Nothing here is enforced: pocketcloud records roles,
users, policies and keys so that tools and tutorials work, but every call is allowed.

Documents: Scope("iam", account, "") kinds "role", "user", "policy" (customer managed, key = ARN),
"role_policy" / "role_attached" (key "<role>:<policy>"); access keys in Scope("iam", "", "") kind "access_key"
so that any account's key can be found by id. https://docs.aws.amazon.com/IAM/latest/APIReference/
"""

from __future__ import annotations

import json
import secrets
import string
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from pocketcloud.storage.base import Scope

from .errors import MalformedPolicyDocument

KEYS = Scope("iam", "", "")
_ID_ALPHABET = string.ascii_uppercase + string.digits


def scope(account: str) -> Scope:
    return Scope("iam", account, "")


def new_id(prefix: str) -> str:
    """IAM unique ids: AROA (role), AIDA (user), ANPA (policy), AKIA (access key), ASIA (temporary key)."""
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(16))


def new_secret() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits + "+/") for _ in range(40))


def now_iso() -> str:
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_policy(document: str) -> None:
    try:
        doc = json.loads(document)
    except ValueError:
        raise MalformedPolicyDocument("This policy contains invalid Json") from None
    if not isinstance(doc, dict):
        raise MalformedPolicyDocument("This policy contains invalid Json")
    if "Statement" not in doc:
        raise MalformedPolicyDocument("Syntax errors in policy.")


def encoded(document: str) -> str:
    """Policy documents come back URL-encoded, as IAM sends them (boto3 and the CLI decode them)."""
    return quote(document, safe="")


def path_of(params: dict[str, Any]) -> str:
    return params.get("Path") or "/"


def entity_arn(account: str, kind: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account}:{kind}{path}{name}"


def page(items: list[Any], params: dict[str, Any], key: Any, out_name: str) -> dict[str, Any]:
    """Marker/MaxItems (default 100) pagination with IsTruncated, as every IAM List* call does it."""
    marker = params.get("Marker")
    if marker:
        items = [i for i in items if key(i) > marker]
    limit = params.get("MaxItems") or 100
    chunk = items[:limit]
    result: dict[str, Any] = {out_name: chunk, "IsTruncated": len(items) > limit}
    if len(items) > limit:
        result["Marker"] = key(chunk[-1])
    return result
