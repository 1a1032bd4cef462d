"""GetAccount, UpdateAccount: API Gateway's settings for the account in a region.

https://docs.aws.amazon.com/apigateway/latest/api/API_GetAccount.html — the CloudWatch role ARN that stage logging
needs (the AWS guide's step `aws apigateway update-account --patch-operations
op=replace,path=/cloudwatchRoleArn,value=<role arn>`), the account's throttle limits and its features. The ARN is
kept, not checked against IAM (as elsewhere in pocketcloud, roles are not enforced); the throttle limits are
AWS's defaults, reported but not enforced.
"""

from __future__ import annotations

from typing import Any

from ..errors import BadRequestException
from ..patch import apply_patches, operations_of
from ._common import store

ACCOUNT, SETTINGS = "account", "settings"
DEFAULTS: dict[str, Any] = {"throttleSettings": {"burstLimit": 5000, "rateLimit": 10000.0},
                            "features": ["UsagePlans"], "apiKeyVersion": "4"}


def _settings(ctx: Any) -> dict[str, Any]:
    s = store(ctx)
    return s.resources.get(s.scope, ACCOUNT, SETTINGS) or {}


def _view(settings: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if settings.get("cloudwatchRoleArn"):
        out["cloudwatchRoleArn"] = settings["cloudwatchRoleArn"]
    out.update(DEFAULTS)
    return out


def get_account(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    return _view(_settings(ctx))


def update_account(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    settings = _settings(ctx)
    for op in operations_of(params.get("patchOperations")):
        if (op.get("path") or "") not in ("/cloudwatchRoleArn", "/features"):
            raise BadRequestException(f"Invalid patch path {op.get('path')}")
    apply_patches(settings, [op for op in operations_of(params.get("patchOperations"))
                             if op.get("path") == "/cloudwatchRoleArn"], allowed={"cloudwatchRoleArn": "str"})
    arn = settings.get("cloudwatchRoleArn")
    if arn and not (arn.startswith("arn:") and ":role/" in arn):
        raise BadRequestException(f"The role ARN is not well formed: {arn}")
    s = store(ctx)
    s.resources.put(s.scope, ACCOUNT, SETTINGS, settings)
    return _view(settings)
