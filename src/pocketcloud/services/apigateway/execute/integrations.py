"""Step 6, the integration: call the backend — a Lambda function (AWS / AWS_PROXY), an HTTP endpoint (HTTP /
HTTP_PROXY) or nothing at all (MOCK) — and return what it answered.

Lambda URIs: arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function arn}/invocations.
API Gateway calls Lambda as the principal apigateway.amazonaws.com, so the function's resource policy must allow
it for arn:aws:execute-api:{region}:{account}:{api}/{stage}/{METHOD}/{resource path} (lambda add-permission).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from .context import InvocationRequest, MatchedRoute
from .deployment import DeployedStage
from .errors import GatewayError, integration_timeout, internal_error
from .http_client import HttpClientError
from .http_client import request as http_request
from .integration_request import IntegrationRequest, backend_url, substitute_stage_variables

log = logging.getLogger("pocketcloud.services.apigateway")

_LAMBDA_URI = re.compile(r"^arn:aws[a-z-]*:apigateway:([a-z0-9-]+):lambda:path/[0-9-]+/functions/(.+?)/invocations/?$")
_FUNCTION_ARN = re.compile(r"^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::(.+))?$")


@dataclass
class BackendResult:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    error_message: str | None = None  # a Lambda function error's errorMessage (selectionPattern subject)
    function_error: str | None = None
    request_id: str | None = None  # the backend's own request id (Lambda's)


@dataclass(frozen=True)
class LambdaTarget:
    function: str
    account: str
    region: str
    name: str


_TARGETS: dict[tuple[str, str], LambdaTarget] = {}  # (uri, account) -> target, for URIs without stage variables


def lambda_target(uri: str, deployed: DeployedStage) -> LambdaTarget:
    if "${" not in uri:  # nothing stage-dependent: parsed once (two regular expressions per invoke otherwise)
        key = (uri, deployed.account_id)
        target = _TARGETS.get(key)
        if target is None:
            if len(_TARGETS) >= 4096:
                _TARGETS.clear()
            target = _TARGETS[key] = _lambda_target(uri, deployed)
        return target
    return _lambda_target(substitute_stage_variables(uri, deployed.stage_variables), deployed)


def _lambda_target(uri: str, deployed: DeployedStage) -> LambdaTarget:
    m = _LAMBDA_URI.match(uri)
    if m is None:
        raise internal_error(f"Execution failed due to configuration error: Invalid Lambda integration URI {uri}")
    function = m.group(2)
    arn = _FUNCTION_ARN.match(function)
    if arn is not None:
        return LambdaTarget(function, arn.group(2), arn.group(1), arn.group(3))
    return LambdaTarget(function, deployed.account_id, m.group(1), function.split(":")[0])


def source_arn(deployed: DeployedStage, request: InvocationRequest, route: MatchedRoute, stage: str | None = None) -> str:
    return (f"arn:aws:execute-api:{deployed.region}:{deployed.account_id}:{deployed.api_id}/"
            f"{stage or deployed.stage_name}/{request.http_method}{route.resource_path if route.resource_path != '/' else '/'}")


def _permission_hint(target: LambdaTarget, deployed: DeployedStage, route: MatchedRoute) -> str:
    path = route.resource_path.lstrip("/")
    return (f"aws lambda add-permission --function-name {target.name} --statement-id apigateway-{deployed.api_id} "
            f"--action lambda:InvokeFunction --principal apigateway.amazonaws.com --source-arn "
            f"'arn:aws:execute-api:{deployed.region}:{deployed.account_id}:{deployed.api_id}/*/*/{path}'")


async def call_lambda(state: Any, integration: dict[str, Any], deployed: DeployedStage, request: InvocationRequest,
                      route: MatchedRoute, payload: bytes, *, check_permission: bool = True,
                      known_json: bool = False) -> BackendResult:
    """`known_json`: the payload is a JSON document this process encoded (the proxy event), not a template's output."""
    invoker = _invoker or _load_invoker()
    target = lambda_target(integration.get("uri") or "", deployed)
    timeout = (integration.get("timeoutInMillis") or 29000) / 1000
    try:
        # The invoke is cancelled at the integration's deadline (when the function's own timeout is not shorter),
        # and the pool discards the worker it was running on.
        invocation = await invoker.invoke(
            state, account_id=target.account, region=target.region, function=target.function, qualifier=None,
            payload=payload, principal="apigateway.amazonaws.com" if check_permission else None,
            source_arn=source_arn(deployed, request, route) if check_permission else None,
            known_json=known_json, max_wait=timeout,
        )
    except asyncio.TimeoutError:
        raise integration_timeout() from None
    except invoker.PermissionDenied:
        log.warning("%s API Gateway %s is not allowed to invoke Lambda function %s (as on AWS: 500 Internal server "
                    "error). Grant it with: %s", request.request_id, deployed.api_id, target.function,
                    _permission_hint(target, deployed, route))
        raise internal_error("Execution failed due to configuration error: Invalid permissions on Lambda function") from None
    except invoker.FunctionNotFound:
        raise internal_error(f"Execution failed: Lambda function {target.function} not found") from None
    except GatewayError:
        raise
    except Exception as e:  # a Lambda service error (throttling, runtime missing): AWS answers 500
        code = getattr(e, "code", type(e).__name__)
        raise internal_error(f"Execution failed: Lambda invoke failed: {code}: {e}") from None
    result = BackendResult(200, invocation.payload, function_error=invocation.function_error,
                           request_id=invocation.result.request_id)
    if invocation.function_error:
        result.error_message = _error_message(invocation.payload)
    return result


_invoker: Any = None


def _load_invoker() -> Any:
    """services/lambda_/invoker, imported on the first Lambda integration call (an import statement per call
    costs the import machinery's lookup each time)."""
    global _invoker
    try:
        from pocketcloud.services.lambda_ import invoker
    except ImportError:  # pragma: no cover - the Lambda service ships with pocketcloud
        raise internal_error("Execution failed: the Lambda service is not available") from None
    _invoker = invoker
    return invoker


def _error_message(payload: bytes) -> str:
    try:
        body = json.loads(payload)
    except (ValueError, RecursionError):
        return payload.decode("utf-8", errors="replace")
    if isinstance(body, dict) and "errorMessage" in body:
        return str(body["errorMessage"])
    return payload.decode("utf-8", errors="replace")


def call_mock(rendered_body: bytes) -> BackendResult:
    """MOCK: the status comes from the request template's output, e.g. `{"statusCode": 200}`."""
    status = 200
    try:
        doc = json.loads(rendered_body) if rendered_body.strip() else {}
        if isinstance(doc, dict) and "statusCode" in doc:
            status = int(doc["statusCode"])
    except (ValueError, TypeError, OverflowError, RecursionError):  # a passed-through body can be any text
        pass
    return BackendResult(status, b"")


async def call_http(integration: dict[str, Any], deployed: DeployedStage, request: InvocationRequest,
                    route: MatchedRoute, ir: IntegrationRequest, *, proxy: bool) -> BackendResult:
    path_values = dict(route.path_parameters) if proxy else {}
    path_values.update(ir.path)
    query = list(request.query) + ir.query if proxy else ir.query
    url = backend_url(integration.get("uri") or "", path_values, query, deployed.stage_variables)
    method = (integration.get("httpMethod") or request.http_method).upper()
    if method == "ANY":
        method = request.http_method
    headers = list(request.headers) if proxy else []
    mapped = {k.lower() for k, _ in ir.headers}
    headers = [(k, v) for k, v in headers if k.lower() not in mapped] + ir.headers
    if not proxy and not any(k.lower() == "content-type" for k, _ in headers) and ir.body:
        headers.append(("Content-Type", request.content_type or "application/json"))
    timeout = (integration.get("timeoutInMillis") or 29000) / 1000
    try:
        status, out_headers, body = await http_request(method, url, headers, ir.body, timeout)
    except asyncio.TimeoutError:
        raise integration_timeout() from None
    except HttpClientError as e:
        raise internal_error(f"Execution failed due to a network error: {e}") from None
    return BackendResult(status, body, out_headers)
