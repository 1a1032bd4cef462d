"""TestInvokeMethod: run a method of the API as it is now (not a deployment), as the console's Test button does.

https://docs.aws.amazon.com/apigateway/latest/api/API_TestInvokeMethod.html — the stage is "test-invoke-stage",
the authorizer and API key are skipped, and Lambda's resource policy is not checked (AWS's own console call).
"""

from __future__ import annotations

import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

from ..execute import chain
from ..execute.context import InvocationRequest, MatchedRoute, now_epoch_ms
from ..execute.deployment import compile_stage
from ..execute.errors import GatewayError
from ..execute.request import new_apigw_id
from ..store import get_method, get_resource
from ._common import store


async def test_invoke_method(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    s = store(ctx)
    api_id = params["restApiId"]
    api = s.get_api(api_id)
    resource = get_resource(api, params["resourceId"])
    method = get_method(api, params["resourceId"], params["httpMethod"])
    stage = {"stageName": "test-invoke-stage", "deploymentId": "test-invoke-deployment-id",
             "variables": params.get("stageVariables") or {}}
    deployed = compile_stage(api_id, ctx.account_id, ctx.region, stage, api)
    path_query = params.get("pathWithQueryString") or resource["path"]
    path, _, query = path_query.partition("?")
    # (A JSON null in these maps, or in a header's list of values, is no value at all.)
    headers = [(name, value) for name, value in (params.get("headers") or {}).items() if value is not None]
    for name, values in (params.get("multiValueHeaders") or {}).items():
        headers += [(name, v) for v in values or () if v is not None]
    request = InvocationRequest(
        http_method=params["httpMethod"].upper() if params["httpMethod"].upper() != "ANY" else "GET",
        path=path, headers=tuple(headers), query=tuple(parse_qsl(query, keep_blank_values=True)),
        body=(params.get("body") or "").encode(), api_id=api_id, stage="test-invoke-stage",
        account_id=ctx.account_id, request_id=str(uuid.uuid4()), extended_request_id=new_apigw_id(),
        request_time_epoch=now_epoch_ms(), deployment_id="test-invoke-deployment-id",
        domain_name="testPrefix.testDomainName", source_ip="test-invoke-source-ip",
    )
    match = deployed.router.match(path)
    route = MatchedRoute(resource["id"], resource["path"], match.path_parameters if match else {},
                         deployed.stage_variables)
    lines = [f"Execution log for request {request.request_id}",
             f"Starting execution for request: {request.request_id}",
             f"HTTP Method: {request.http_method}, Resource Path: {path}"]
    try:
        result = await chain.integrate(ctx.state, deployed, request, method, route, check_permission=False)
        status, body, out_headers = result.status, result.body, result.headers
        failure = None
    except GatewayError as error:
        status, body, out_headers = error.status, error.body, [("Content-Type", "application/json")]
        failure = error
    trace = request.integration
    if trace is not None and trace.service_status is not None:
        lines.append(f"Received response. Status: {trace.service_status}, Integration latency: {trace.latency_ms} ms")
    if failure is not None:
        lines.append(failure.log_detail or failure.message)
    else:
        lines.append("Successfully completed execution")
    lines.append(f"Method completed with status: {status}")
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in out_headers:
        single[name] = value
        multi.setdefault(name, []).append(value)
    return {"status": status, "body": body.decode("utf-8", errors="replace"), "headers": single,
            "multiValueHeaders": multi, "log": "\n".join(lines) + "\n",
            "latency": int((time.perf_counter() - started) * 1000)}
