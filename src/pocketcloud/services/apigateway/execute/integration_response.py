"""Steps 7 and 8 for non-proxy integrations: pick the integration response (selectionPattern against a Lambda
errorMessage or the backend status), render its template (none or empty → the backend body as is), map its
responseParameters into method response headers.

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import templates, vtl
from .context import InvocationRequest, MatchedRoute
from .errors import internal_error
from .integrations import BackendResult
from .proxy_event import build_request_context


@dataclass
class MethodResponse:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


def integration_response(integration: dict[str, Any], result: BackendResult, request: InvocationRequest,
                         route: MatchedRoute, *, by_status: bool) -> MethodResponse:
    responses = integration.get("integrationResponses") or {}
    try:
        if result.function_error is not None:
            code, settings = templates.select_integration_response(responses, error_message=result.error_message or "")
        elif by_status:
            code, settings = templates.select_integration_response(responses, status_code=result.status)
        else:
            code, settings = templates.select_integration_response(responses)
    except templates.NoMatchingIntegrationResponse:
        raise internal_error("Execution failed due to configuration error: No match for output mapping and no "
                             "default output mapping configured. Endpoint Response Status Code: "
                             f"{result.status}") from None
    status = int(code)
    body = result.body
    content_type = "application/json"
    response_templates = settings.get("responseTemplates") or {}
    chosen = templates.select_response_template_entry(response_templates, request.header("accept"))
    template = chosen[1] or None if chosen is not None else None
    override: dict[str, Any] = {}
    if template is not None:
        try:
            rendered = vtl.render_response_template(template, request, route, result.body)
        except (vtl.MappingTemplateError, vtl.InvalidRequestBody) as e:
            raise internal_error(f"Execution failed due to configuration error: response template failed: {e}") from None
        body = rendered.body.encode("utf-8")
        override = rendered.response_override
    if chosen is not None:
        content_type = chosen[0]  # the media type of the template chosen for the Accept header
    headers = templates.map_response_parameters(
        settings.get("responseParameters"), result.headers, result.body, route.stage_variables,
        build_request_context(request, route))
    if override.get("status"):
        try:
            status = int(override["status"])
        except (TypeError, ValueError):
            pass
    for name, value in (override.get("header") or {}).items():
        headers = [(k, v) for k, v in headers if k.lower() != name.lower()] + [(name, str(value))]
    if not any(k.lower() == "content-type" for k, _ in headers):
        headers.insert(0, ("Content-Type", content_type))
    return MethodResponse(status, body, headers)
