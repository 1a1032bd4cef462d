"""The body, status and headers of an error API Gateway answers itself, per the deployed API's gateway responses.

An error of a type nobody customised (and with no DEFAULT_4XX/5XX customisation to fall back on) keeps AWS's
default answer (errors.py). A customised one: its status code, its template for the request's Accept header
(rendered with `$context`, `$context.error.*` and `$stageVariables`; none: the default `{"message": ...}`), and
its `gatewayresponse.header.*` parameters (from request headers, query strings and path parameters, stage and
context variables, or 'static' values). Types and fallbacks: ../gateway_responses.py.
"""

from __future__ import annotations

import logging
from typing import Any

from ..gateway_responses import DEFAULT_TEMPLATE, HEADER_TARGET, customisation_for
from . import templates, vtl
from .context import InvocationRequest, MatchedRoute
from .deployment import DeployedStage
from .errors import GatewayError
from .integration_request import ParameterReader
from .integration_response import MethodResponse

log = logging.getLogger("pocketcloud.services.apigateway")


def default_answer(error: GatewayError) -> MethodResponse:
    return MethodResponse(error.status, error.body, [("Content-Type", "application/json"),
                                                     ("x-amzn-ErrorType", error.error_type)])


def answer(error: GatewayError, deployed: DeployedStage | None, request: InvocationRequest | None) -> MethodResponse:
    customised = deployed.api.get("gatewayResponses") if deployed is not None else None
    if not customised or request is None:
        return default_answer(error)
    assert deployed is not None
    try:
        return _customised_answer(error, deployed, request, customised)
    except Exception:  # noqa: BLE001 - the error must still be answered: AWS's default then
        log.exception("%s gateway response %s of API %s failed", request.request_id, error.response_type,
                      deployed.api_id)
        return default_answer(error)


def _customised_answer(error: GatewayError, deployed: DeployedStage, request: InvocationRequest,
                       customised: dict[str, Any]) -> MethodResponse:
    record, status = customisation_for(customised, error.response_type, error.status)
    if record is None:
        return default_answer(error)
    route = request.route or MatchedRoute("", "", {}, deployed.stage_variables)
    error_values = error.context_values
    content_type, template = _template(record.get("responseTemplates") or {}, request.header("accept"))
    try:
        body = vtl.render_template(template, input_body=b"", request=request, route=route,
                                   error=error_values).body.encode("utf-8")
    except (vtl.MappingTemplateError, vtl.InvalidRequestBody):
        body = error.body  # a broken template: AWS's default body rather than none
    headers = [("Content-Type", content_type), ("x-amzn-ErrorType", error.error_type)]
    read = ParameterReader(request, route, {"error." + k: v for k, v in error_values.items()})
    for target, source in (record.get("responseParameters") or {}).items():
        value = read(source)
        if value is not None and target.startswith(HEADER_TARGET):
            name = target[len(HEADER_TARGET):]
            if not templates.is_header_name(name):
                log.warning("%s gateway response parameter %s names no HTTP header: not sent", request.request_id,
                            target)
                continue
            headers = [(k, v) for k, v in headers if k.lower() != name.lower()] + [(name, value)]
    return MethodResponse(int(status) if status else error.status, body, headers)


def _template(response_templates: dict[str, Any], accept: str | None) -> tuple[str, str]:
    """(content type, template) for the request's Accept header; a response without templates: the default."""
    chosen = templates.select_response_template_entry(response_templates, accept)
    if chosen is None:
        return "application/json", DEFAULT_TEMPLATE
    return chosen[0], chosen[1] or ""
