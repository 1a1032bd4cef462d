"""Step 5, integration request: the body (mapping template chosen by Content-Type, or passthrough), the mapped
request parameters, and the backend URI with stage variables and path parameters filled in.

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/request-response-data-mappings.html and
integration-passthrough-behaviors.html.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from . import templates, vtl
from .context import InvocationRequest, MatchedRoute
from .errors import GatewayError, internal_error
from .proxy_event import flat_request_context

_STAGE_VAR = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
_PATH_PARAM = re.compile(r"\{([A-Za-z0-9_.-]+)\+?\}")


@dataclass
class IntegrationRequest:
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    query: list[tuple[str, str]] = field(default_factory=list)
    path: dict[str, str] = field(default_factory=dict)
    override: dict[str, Any] = field(default_factory=dict)


def substitute_stage_variables(text: str, stage_variables: dict[str, str]) -> str:
    return _STAGE_VAR.sub(lambda m: stage_variables.get(m.group(1), ""), text)


def render_body(integration: dict[str, Any], request: InvocationRequest, route: MatchedRoute) -> tuple[bytes, dict[str, Any]]:
    """The integration request body and the template's $context.requestOverride."""
    try:
        template = templates.select_request_template(
            integration.get("requestTemplates"), request.content_type, integration.get("passthroughBehavior"))
    except templates.UnsupportedMediaType:
        raise GatewayError(415, "Unsupported Media Type", "UnsupportedMediaTypeException",
                           response_type="UNSUPPORTED_MEDIA_TYPE") from None
    if template is None:
        return request.body, {}
    try:
        result = vtl.render_request_template(template, request, route)
    except vtl.InvalidRequestBody as e:
        raise GatewayError(400, e.message, "BadRequestException") from None
    except vtl.MappingTemplateError as e:
        raise internal_error(f"Execution failed due to configuration error: mapping template failed: {e}") from None
    return result.body.encode("utf-8"), result.request_override


def source_value(source: str, request: InvocationRequest, route: MatchedRoute) -> str | None:
    """The value a mapping's source expression reads, or None (`context.*` sources: map_request_parameters)."""
    if len(source) >= 2 and source[0] == source[-1] == "'":
        return source[1:-1]
    if source.startswith("method.request.header."):
        return request.header(source[len("method.request.header."):])
    if source.startswith("method.request.multivalueheader."):
        name = source[len("method.request.multivalueheader."):].lower()
        values = [v for k, v in request.headers if k.lower() == name]
        return ",".join(values) if values else None
    if source.startswith("method.request.querystring."):
        name = source[len("method.request.querystring."):]
        values = [v for k, v in request.query if k == name]
        return values[-1] if values else None
    if source.startswith("method.request.multivaluequerystring."):
        name = source[len("method.request.multivaluequerystring."):]
        values = [v for k, v in request.query if k == name]
        return ",".join(values) if values else None
    if source.startswith("method.request.path."):
        return route.path_parameters.get(source[len("method.request.path."):])
    if source.startswith("stageVariables."):
        return route.stage_variables.get(source[len("stageVariables."):])
    return None


class ParameterReader:
    """The value of a parameter mapping's source for one request: source_value's forms, or `context.x`, any
    $context variable (context.identity.sourceIp, context.authorizer.x) from the flattened $context, built once
    if a source reads it. `extra_context`: more flat $context values (a gateway response's `error.*`)."""

    __slots__ = ("request", "route", "extra_context", "_context")

    def __init__(self, request: InvocationRequest, route: MatchedRoute,
                 extra_context: dict[str, str] | None = None) -> None:
        self.request = request
        self.route = route
        self.extra_context = extra_context
        self._context: dict[str, str] | None = None

    def __call__(self, source: str) -> str | None:
        source = source.strip()
        if not source.startswith("context."):
            return source_value(source, self.request, self.route)
        if self._context is None:
            self._context = flat_request_context(self.request, self.route)
            if self.extra_context:
                self._context.update(self.extra_context)
        return self._context.get(source[len("context."):])


def map_request_parameters(integration: dict[str, Any], request: InvocationRequest, route: MatchedRoute,
                           body: bytes, override: dict[str, Any]) -> IntegrationRequest:
    out = IntegrationRequest(body=body, override=override)
    parameters = integration.get("requestParameters")
    read = ParameterReader(request, route) if parameters else None
    for target, source in (parameters or {}).items():
        value = read(source)
        if value is None:
            continue
        for prefix, sink in (("integration.request.header.", "header"), ("integration.request.querystring.", "query"),
                             ("integration.request.path.", "path")):
            if target.startswith(prefix):
                name = target[len(prefix):]
                if sink == "header":
                    out.headers.append((name, value))
                elif sink == "query":
                    out.query.append((name, value))
                else:
                    out.path[name] = value
    for name, value in (override.get("header") or {}).items():
        out.headers = [(k, v) for k, v in out.headers if k.lower() != name.lower()] + [(name, str(value))]
    for name, value in (override.get("querystring") or {}).items():
        out.query = [(k, v) for k, v in out.query if k != name] + [(name, str(value))]
    for name, value in (override.get("path") or {}).items():
        out.path[name] = str(value)
    return out


def backend_url(uri: str, path_values: dict[str, str], query: list[tuple[str, str]], stage_variables: dict[str, str]) -> str:
    """The HTTP integration URI with `${stageVariables.x}` and `{param}` filled in and the mapped query appended."""
    url = substitute_stage_variables(uri, stage_variables)

    def fill(m: re.Match[str]) -> str:
        # Values mapped from a greedy {proxy+} keep their slashes (AWS writes `{proxy}` in the URI for them).
        return quote(path_values.get(m.group(1), ""), safe="/")

    url = _PATH_PARAM.sub(fill, url)
    if query:
        url += ("&" if "?" in url else "?") + urlencode(query)
    return url
