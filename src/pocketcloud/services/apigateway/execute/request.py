"""Step 1, parse: an invoke-URL request becomes (api id, stage, InvocationRequest).

Invoke URLs: `/restapis/{api_id}/{stage}/_user_request_/{path}` and hosts `{api_id}.execute-api.localhost:4566` /
`{api_id}.execute-api.{region}.amazonaws.com` with `/{stage}/{path}`.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import replace

from pocketcloud.protocols.base import Request
from pocketcloud.server.identify import execute_api_target

from .context import InvocationRequest, now_epoch_ms


def new_apigw_id() -> str:
    # x-amz-apigw-id / extendedRequestId: 16 characters, base64-like, e.g. "Ab1CdEFGhIJKLmN=".
    return base64.b64encode(uuid.uuid4().bytes[:11]).decode()[:15] + "="


def parse_request(request: Request) -> tuple[str, str, InvocationRequest] | None:
    """(api id, stage, request) or None when the URL names no stage."""
    target = execute_api_target(request)
    if target is None:
        return None
    api_id, path = target
    stage, slash, rest = path.lstrip("/").partition("/")
    if not stage:
        return None
    host = request.headers.get("host", "")
    invocation = InvocationRequest(
        http_method=request.method,
        path="/" + rest if slash else "/",
        headers=tuple(request.header_list),
        query=tuple(request.query),
        body=request.body,
        source_ip=request.client,
        api_id=api_id,
        stage=stage,
        domain_name=host.split(":", 1)[0] if ".execute-api." in host else f"{api_id}.execute-api.localhost",
        request_id=str(uuid.uuid4()),
        extended_request_id=new_apigw_id(),
        request_time_epoch=now_epoch_ms(),
    )
    return api_id, stage, invocation


def with_deployment(request: InvocationRequest, account_id: str, deployment_id: str) -> InvocationRequest:
    return replace(request, account_id=account_id, deployment_id=deployment_id)
