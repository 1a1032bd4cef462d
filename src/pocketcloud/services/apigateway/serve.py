"""API Gateway's data plane: serve a request made to a deployed stage's invoke URL.

parse (execute/request.py) → load the stage's deployment (execute/deployment.py) → the chain (execute/chain.py);
an error the gateway answers itself takes the deployed API's gateway response (execute/gateway_response.py).
Every request is logged at INFO with its request id, method, path, status and latency, and written to the stage's
access log when it has one (execute/access_log.py).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from pocketcloud.protocols.base import Request, Response
from pocketcloud.server.log_output import info_line

from .execute import access_log, chain, gateway_response
from .execute.context import InvocationRequest
from .execute.deployment import DeployedStage, load_stage
from .execute.errors import (MAX_PAYLOAD_BYTES, GatewayError, internal_error, missing_authentication_token,
                             request_too_large)
from .execute.integration_response import MethodResponse
from .execute.request import invocation_request, new_apigw_id, new_request_id, parse_target

log = logging.getLogger("pocketcloud.services.apigateway")


async def serve(request: Request, state: Any, api_target: tuple[str, str] | None = None) -> Response:
    """`api_target`: server/identify.execute_api_target(request), when the caller worked it out already."""
    started = time.perf_counter()
    target = parse_target(request, api_target)
    request_id, apigw_id, api_id = "-", new_apigw_id(), "-"
    deployed = invocation = failure = None
    try:
        if target is None:
            raise missing_authentication_token()
        api_id, stage_name, path = target
        request_id = new_request_id()
        deployed = load_stage(state, api_id, stage_name)
        invocation = invocation_request(request, api_id, stage_name, path, request_id=request_id,
                                        extended_request_id=apigw_id, account_id=deployed.account_id,
                                        deployment_id=deployed.deployment_id)
        if len(request.body) > MAX_PAYLOAD_BYTES:
            raise request_too_large()
        result = await chain.execute(state, deployed, invocation)
    except GatewayError as error:
        failure = error
        if error.log_detail:
            log.warning("%s %s %s: %s", request_id, request.method, request.raw_path, error.log_detail)
        result = gateway_response.answer(error, deployed, invocation)
    except Exception:
        log.exception("%s %s %s failed", request_id, request.method, request.raw_path)
        error = failure = internal_error()
        result = gateway_response.answer(error, deployed, invocation)
    response = to_response(result, request_id, apigw_id)
    latency_ms = (time.perf_counter() - started) * 1000
    info_line(log, f"{request_id} apigateway {api_id} {request.method} {request.raw_path} -> {result.status} in "
                   f"{latency_ms:.1f} ms")
    if deployed is not None and deployed.access_log is not None and invocation is not None:
        _access_log(state, deployed, invocation, result, failure, latency_ms)
    return response


def _access_log(state: Any, deployed: DeployedStage, invocation: InvocationRequest, result: MethodResponse,
                failure: GatewayError | None, latency_ms: float) -> None:
    assert deployed.access_log is not None
    try:
        access_log.write(state, deployed.access_log, invocation, invocation.route,
                         status=result.status, response_length=len(result.body), latency_ms=latency_ms,
                         failure=failure)
    except Exception:
        log.exception("%s access log of stage %s/%s not written", invocation.request_id, deployed.api_id,
                      deployed.stage_name)


def to_response(result: MethodResponse, request_id: str, apigw_id: str) -> Response:
    headers: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    for name, value in result.headers:
        key = name.lower()
        if key in ("content-length", "connection", "transfer-encoding"):
            continue
        if key in headers:
            extra.append((name, value))  # repeated (multiValueHeaders, Set-Cookie) stay repeated
        else:
            headers[key] = value
    headers["x-amzn-requestid"] = request_id
    headers["x-amz-apigw-id"] = apigw_id
    response = Response(result.status, result.body, headers)
    response.extra_headers = extra
    return response
