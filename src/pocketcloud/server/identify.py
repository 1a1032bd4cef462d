"""Which service a request is for: X-Amz-Target, the SigV4 scope, then the URL.

Order matters: API Gateway invoke URLs are data-plane traffic, not API calls; DynamoDB and DynamoDB Streams share
the signing name "dynamodb" and differ only in their X-Amz-Target prefix.
"""

from __future__ import annotations

import re

from pocketcloud.protocols.base import Request
from pocketcloud.services.registry import SIGNING_NAMES, TARGET_PREFIXES

from .auth import Identity

EXECUTE_API = "execute-api"

_EXECUTE_HOST = re.compile(r"^([a-z0-9]+)\.execute-api\.")
_AWS_HOST = re.compile(r"^([a-z0-9-]+)\.(?:[a-z0-9-]+\.)?amazonaws\.com")
_PATH_PREFIXES: tuple[tuple[str, str], ...] = (
    ("/2015-03-31/functions", "lambda"),
    ("/2017-03-31/tags", "lambda"),
    ("/2015-03-31/event-source-mappings", "lambda"),
    ("/2019-09-25/functions", "lambda"),
    ("/2017-10-31/functions", "lambda"),
    ("/2016-08-19/account-settings", "lambda"),
    ("/restapis", "apigateway"),
    ("/apikeys", "apigateway"),
    ("/usageplans", "apigateway"),
    ("/domainnames", "apigateway"),
    ("/account", "apigateway"),
    ("/tags/arn", "apigateway"),
)


def execute_api_target(request: Request) -> tuple[str, str] | None:
    """(api id, path after the api) when the request is for a deployed API, else None."""
    host = request.headers.get("host", "")
    m = _EXECUTE_HOST.match(host)
    if m:
        return m.group(1), request.raw_path
    path = request.raw_path
    if path.startswith("/restapis/"):
        parts = path.split("/", 5)
        # /restapis/{id}/{stage}/_user_request_/{path}
        if len(parts) >= 5 and parts[4] == "_user_request_":
            rest = parts[5] if len(parts) > 5 else ""
            return parts[2], f"/{parts[3]}/{rest}"
    return None


def identify(request: Request, identity: Identity) -> str | None:
    if execute_api_target(request) is not None:
        return EXECUTE_API
    return identify_service(request, identity)


def identify_service(request: Request, identity: Identity) -> str | None:
    """`identify` for a request already known not to be for a deployed API (App.handle checks that first)."""
    target = request.headers.get("x-amz-target")
    if target:
        prefix = target.partition(".")[0]
        service = TARGET_PREFIXES.get(prefix)
        if service:
            return service
    if identity.signing_service:
        return SIGNING_NAMES.get(identity.signing_service, identity.signing_service)
    path = request.path
    for prefix, service in _PATH_PREFIXES:
        if path.startswith(prefix):
            return service
    if request.method == "POST" and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        body = request.body
        if b"Version=2011-06-15" in body:
            return "sts"
        if b"Version=2010-05-08" in body:
            return "iam"
    m = _AWS_HOST.match(request.headers.get("host", ""))
    if m:
        return m.group(1)
    return None
