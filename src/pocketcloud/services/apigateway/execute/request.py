"""Step 1, parse: an invoke-URL request becomes (api id, stage, InvocationRequest).

Invoke URLs: `/restapis/{api_id}/{stage}/_user_request_/{path}` and hosts `{api_id}.execute-api.localhost:4566` /
`{api_id}.execute-api.{region}.amazonaws.com` with `/{stage}/{path}`.
"""

from __future__ import annotations

import base64
import random
from dataclasses import replace

from pocketcloud.protocols.base import Request
from pocketcloud.server.app import new_request_id
from pocketcloud.server.identify import execute_api_target

from .context import InvocationRequest, now_epoch_ms

__all__ = ["invocation_request", "new_apigw_id", "new_request_id", "parse_request", "parse_target", "with_deployment"]

# Ids need to be unique, not unguessable: the Mersenne Twister (seeded from os.urandom) instead of uuid4's
# os.urandom read per id, as for server/app.py's request ids (new_request_id, re-exported here).
_rng = random.Random()


def new_apigw_id() -> str:
    # x-amz-apigw-id / extendedRequestId: 16 characters, base64-like, e.g. "Ab1CdEFGhIJKLmN=".
    return base64.b64encode(_rng.getrandbits(88).to_bytes(11, "big")).decode()[:15] + "="


def parse_target(request: Request, target: tuple[str, str] | None = None) -> tuple[str, str, str] | None:
    """(api id, stage, path after the stage starting with "/") or None when the URL names no stage.
    `target`: execute_api_target(request), if known."""
    if target is None:
        target = execute_api_target(request)
    if target is None:
        return None
    api_id, path = target
    stage, slash, rest = path.lstrip("/").partition("/")
    if not stage:
        return None
    return api_id, stage, "/" + rest if slash else "/"


def invocation_request(request: Request, api_id: str, stage: str, path: str, *, request_id: str,
                       extended_request_id: str, account_id: str = "000000000000",
                       deployment_id: str | None = None) -> InvocationRequest:
    host = request.headers.get("host", "")
    return InvocationRequest(
        http_method=request.method,
        path=path,
        headers=tuple(request.header_list),
        query=tuple(request.query) if request.query_string else (),
        body=request.body,
        source_ip=request.client,
        api_id=api_id,
        stage=stage,
        account_id=account_id,
        domain_name=host.split(":", 1)[0] if ".execute-api." in host else f"{api_id}.execute-api.localhost",
        request_id=request_id,
        extended_request_id=extended_request_id,
        request_time_epoch=now_epoch_ms(),
        deployment_id=deployment_id,
    )


def parse_request(request: Request) -> tuple[str, str, InvocationRequest] | None:
    """(api id, stage, request) or None when the URL names no stage."""
    target = parse_target(request)
    if target is None:
        return None
    api_id, stage, path = target
    return api_id, stage, invocation_request(request, api_id, stage, path, request_id=new_request_id(),
                                             extended_request_id=new_apigw_id())


def with_deployment(request: InvocationRequest, account_id: str, deployment_id: str) -> InvocationRequest:
    return replace(request, account_id=account_id, deployment_id=deployment_id)
