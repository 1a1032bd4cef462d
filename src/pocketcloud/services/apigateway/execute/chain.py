"""The data-plane chain, wired: route → API key → method request (auth, then its request validator) → integration
request → integration → integration response → method response. Each step lives in its own module; this one only
calls them in order.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import Any

from . import integrations
from .context import IntegrationTrace, InvocationRequest, MatchedRoute
from .deployment import DeployedStage
from .errors import GatewayError, bad_gateway, internal_error, missing_authentication_token
from .integration_request import IntegrationRequest, map_request_parameters, render_body
from .integration_response import MethodResponse, integration_response
from .method_request import authorize, check_api_key
from .proxy_event import MalformedProxyResponse, build_proxy_event, parse_proxy_response
from .request_validation import validate_request
from .routing import select_method

try:
    import orjson

    def _dumps(value: Any) -> bytes:
        return orjson.dumps(value)
except ImportError:  # pragma: no cover
    import json

    def _dumps(value: Any) -> bytes:
        return json.dumps(value).encode()


def route_request(deployed: DeployedStage, request: InvocationRequest) -> tuple[dict[str, Any], dict[str, Any], MatchedRoute]:
    """Step 2: (resource, method, route) or Missing Authentication Token. The stage remembers what a (method,
    path) matched: the deployment is a snapshot, so the answer only changes with a new DeployedStage."""
    key = (request.http_method, request.path)
    routed = deployed.routes.get(key)
    if routed is not None:
        return routed
    match = deployed.router.match(request.path)
    if match is None:
        raise missing_authentication_token()
    resource = deployed.resources_by_path[match.resource_path]
    method = select_method(resource.get("resourceMethods") or {}, request.http_method)
    if method is None:
        raise missing_authentication_token()
    route = MatchedRoute(resource["id"], match.resource_path, match.path_parameters, deployed.stage_variables)
    routed = resource, method, route
    if len(deployed.routes) >= ROUTES_REMEMBERED:
        deployed.routes.clear()
    deployed.routes[key] = routed
    return routed


ROUTES_REMEMBERED = 4096  # (method, path) pairs per stage; paths with ids in them are many


async def execute(state: Any, deployed: DeployedStage, request: InvocationRequest, *,
                  check_permission: bool = True, skip_auth: bool = False) -> MethodResponse:
    resource, method, route = route_request(deployed, request)
    request.route = route
    if not skip_auth:
        check_api_key(method, request, state, deployed)
        authorizer = authorize(method, request)
        if authorizer is not None:
            route = request.route = MatchedRoute(route.resource_id, route.resource_path, route.path_parameters,
                                                 route.stage_variables, authorizer)
    validate_request(deployed, method, request, route)
    return await integrate(state, deployed, request, method, route, check_permission=check_permission)


async def integrate(state: Any, deployed: DeployedStage, request: InvocationRequest, method: dict[str, Any],
                    route: MatchedRoute, *, check_permission: bool) -> MethodResponse:
    integration = method.get("methodIntegration")
    if integration is None:
        raise internal_error("Execution failed due to configuration error: No integration defined for method")
    kind = integration.get("type")
    if kind == "AWS_PROXY":
        event = build_proxy_event(request, route, deployed.binary_media_types)
        result, trace = await _backend(request, integrations.call_lambda(
            state, integration, deployed, request, route, _dumps(event), check_permission=check_permission,
            known_json=True))
        if result.function_error:
            trace.status = None  # the function returned no statusCode
            raise bad_gateway(f"Lambda function error: {result.error_message}")
        try:
            proxy = parse_proxy_response(result.body)
        except MalformedProxyResponse as e:
            raise bad_gateway(f"Execution failed due to configuration error: Malformed Lambda proxy response: {e}") from None
        trace.status = proxy.status_code
        headers = proxy.headers
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers = [("Content-Type", "application/json"), *headers]
        return MethodResponse(proxy.status_code, proxy.body, headers)
    if kind == "HTTP_PROXY":
        ir = map_request_parameters(integration, request, route, request.body, {})
        result, _ = await _backend(request, integrations.call_http(integration, deployed, request, route, ir, proxy=True))
        return MethodResponse(result.status, result.body, result.headers)
    body, override = render_body(integration, request, route)
    ir: IntegrationRequest = map_request_parameters(integration, request, route, body, override)
    if kind == "MOCK":
        result = integrations.call_mock(ir.body)
        request.integration = IntegrationTrace(0, result.status, result.status)
        return integration_response(integration, result, request, route, by_status=True)
    if kind == "HTTP":
        result, _ = await _backend(request, integrations.call_http(integration, deployed, request, route, ir, proxy=False))
        return integration_response(integration, result, request, route, by_status=True)
    if kind == "AWS":
        if ":lambda:path/" not in (integration.get("uri") or ""):
            raise internal_error(f"pocketcloud supports AWS integrations with Lambda only: {integration.get('uri')}")
        result, _ = await _backend(request, integrations.call_lambda(
            state, integration, deployed, request, route, ir.body or b"{}", check_permission=check_permission))
        return integration_response(integration, result, request, route, by_status=False)
    raise internal_error(f"unknown integration type {kind}")


async def _backend(request: InvocationRequest, call: Awaitable[integrations.BackendResult],
                   ) -> tuple[integrations.BackendResult, IntegrationTrace]:
    """Await the backend call of step 6, and note on the request what it did (IntegrationTrace)."""
    started = time.perf_counter()
    try:
        result = await call
    except GatewayError as error:
        request.integration = IntegrationTrace(_ms_since(started), error=error.log_detail or error.message)
        raise
    trace = request.integration = IntegrationTrace(_ms_since(started), result.status, result.status,
                                                   result.request_id, result.error_message)
    return result, trace


def _ms_since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
