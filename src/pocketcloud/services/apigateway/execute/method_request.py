"""Steps 3 and 4: the API-key check and the method request's authorization.

API keys: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html — a method
with apiKeyRequired (and the API's apiKeySource HEADER, the default) answers 403 Forbidden (INVALID_API_KEY) unless
its x-api-key header is the value of an enabled API key that a usage plan key puts in a usage plan listing this
API and stage. The keys are looked up in keys.key_index, rebuilt only after control-plane writes. A plan's quota
is counted here, in memory (429 "Limit Exceeded", QUOTA_EXCEEDED); throttle limits are stored, not enforced.
Authorization: NONE passes; the `authorize` hook is where Cognito / Lambda authorizers plug in and return the
authorizer context ($context.authorizer / requestContext.authorizer).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from ..keys import Grant, key_index
from .context import InvocationRequest
from .errors import GatewayError, invalid_api_key, unauthorized

log = logging.getLogger(__name__)


def check_api_key(method: dict[str, Any], request: InvocationRequest, state: Any, deployed: Any) -> None:
    """Let the request in with its API key, or raise INVALID_API_KEY / QUOTA_EXCEEDED. The key that let it in is
    noted on the request ($context.identity.apiKey / apiKeyId). `deployed`: the DeployedStage served."""
    if not method.get("apiKeyRequired"):
        return
    if (deployed.api.get("apiKeySource") or "HEADER") != "HEADER":
        # AUTHORIZER: the key is a Lambda authorizer's usageIdentifierKey; those authorizers are not emulated yet.
        return
    value = request.header("x-api-key")
    if not value:
        raise invalid_api_key()
    grant = key_index(state, deployed.account_id, deployed.region).grant(value, deployed.api_id, deployed.stage_name)
    if grant is None:
        log.debug("%s x-api-key is not an enabled key of a usage plan for %s/%s", request.request_id,
                  deployed.api_id, deployed.stage_name)
        raise invalid_api_key()
    if grant.quota:
        _count_against_quota(state, grant)
    request.api_key = (grant.key_value, grant.key_id)


def quota_exceeded() -> GatewayError:
    return GatewayError(429, "Limit Exceeded", "LimitExceededException", response_type="QUOTA_EXCEEDED")


def period_start(quota: dict[str, Any], today: datetime.date) -> datetime.date:
    """The first day (UTC) of the quota period `today` falls in: DAY, WEEK (offset 0 = Sunday) or MONTH (offset
    0 = the 1st)."""
    period, offset = quota.get("period"), int(quota.get("offset") or 0)
    if period == "WEEK":
        return today - datetime.timedelta(days=(today.weekday() + 1 - offset) % 7)
    if period == "MONTH":
        if today.day - 1 >= offset:
            return today.replace(day=offset + 1)
        last_month = today.replace(day=1) - datetime.timedelta(days=1)
        return last_month.replace(day=offset + 1)
    return today


def _count_against_quota(state: Any, grant: Grant) -> None:
    """Requests of a key in a plan, per period, kept in memory (a restart starts every period again)."""
    assert grant.quota is not None
    used: dict[tuple[str, str], list[Any]] = state.runtime.setdefault("apigateway", {}).setdefault("quota-used", {})
    start = period_start(grant.quota, datetime.datetime.now(datetime.timezone.utc).date())
    entry = used.get((grant.plan_id, grant.key_id))
    if entry is None or entry[0] != start:
        entry = used[(grant.plan_id, grant.key_id)] = [start, 0]
    if entry[1] >= int(grant.quota.get("limit") or 0):
        raise quota_exceeded()
    entry[1] += 1


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
