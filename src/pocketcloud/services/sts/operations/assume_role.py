"""AssumeRole: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (trust policies not checked)"""

from __future__ import annotations

import re
from typing import Any

from pocketcloud.services.iam.model import scope as iam_scope

from ..errors import ValidationError
from ..sessions import issue

_ROLE_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:iam::(\d{12}):role/(?:.*/)?([\w+=,.@-]+)$")


def assume_role(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    arn, session = params["RoleArn"], params["RoleSessionName"]
    m = _ROLE_ARN.match(arn)
    if m is None:
        raise ValidationError(f"{arn} is invalid")
    account, role = m.groups()
    duration = params.get("DurationSeconds") or 3600
    if not 900 <= duration <= 43200:
        raise ValidationError(
            f"1 validation error detected: Value '{duration}' at 'durationSeconds' failed to satisfy constraint: "
            "Member must have value less than or equal to 43200"
        )
    doc = ctx.state.storage.resources.get(iam_scope(account), "role", role)
    role_id = doc["RoleId"] if doc else "AROA" + role.upper()[:16].ljust(16, "X")
    assumed_arn = f"arn:aws:sts::{account}:assumed-role/{role}/{session}"
    credentials = issue(ctx.state, account, arn=assumed_arn, user_id=f"{role_id}:{session}", duration=duration)
    return {
        "Credentials": credentials,
        "AssumedRoleUser": {"AssumedRoleId": f"{role_id}:{session}", "Arn": assumed_arn},
        "PackedPolicySize": 0,
    }
