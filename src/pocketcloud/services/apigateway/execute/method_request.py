"""Steps 3 and 4: the API-key check and the method request's authorization.

API keys: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html — a method
with apiKeyRequired answers 403 Forbidden without an x-api-key header (usage plans are not modelled yet, so any key
is accepted). Authorization: NONE passes; the `authorize` hook is where Cognito / Lambda authorizers plug in and
return the authorizer context ($context.authorizer / requestContext.authorizer).
"""

from __future__ import annotations

import logging
from typing import Any

from .context import InvocationRequest
from .errors import invalid_api_key, unauthorized

log = logging.getLogger(__name__)


def check_api_key(method: dict[str, Any], request: InvocationRequest) -> None:
    if method.get("apiKeyRequired") and not request.header("x-api-key"):
        raise invalid_api_key()


def authorize(method: dict[str, Any], request: InvocationRequest) -> dict[str, Any] | None:
    """The authorizer context for this request, or None when the method has no authorizer."""
    kind = method.get("authorizationType") or "NONE"
    if kind == "NONE":
        return None
    if kind in ("COGNITO_USER_POOLS", "CUSTOM"):
        # Token validation is not implemented yet: require the token to be present, as AWS does, and pass it.
        if not request.header("authorization"):
            raise unauthorized()
        log.warning("%s authorizer %s is not verified by pocketcloud yet; request allowed",
                    request.request_id, method.get("authorizerId"))
        return {"claims": {}} if kind == "COGNITO_USER_POOLS" else {"principalId": "user"}
    if kind == "AWS_IAM" and not request.header("authorization"):
        raise missing_iam_signature()
    return None


def missing_iam_signature() -> Exception:
    from .errors import missing_authentication_token

    return missing_authentication_token()
