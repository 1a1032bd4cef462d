"""GetSessionToken: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html"""

from __future__ import annotations

from typing import Any

from ..sessions import issue
from .get_caller_identity import get_caller_identity


def get_session_token(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    who = get_caller_identity(ctx, {})
    duration = params.get("DurationSeconds") or 43200
    return {"Credentials": issue(ctx.state, ctx.account_id, arn=who["Arn"], user_id=who["UserId"], duration=duration)}
