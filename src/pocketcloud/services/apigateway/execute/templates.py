"""Choosing mapping templates and integration responses, and mapping response parameters (non-proxy integrations).

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-integration-settings-integration-response.html
and request-response-data-mappings.html.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from pocketcloud.services.apigateway.execute import jsonpath

LOG = logging.getLogger(__name__)

DEFAULT_CONTENT_TYPE = "application/json"
WHEN_NO_MATCH = "WHEN_NO_MATCH"
WHEN_NO_TEMPLATES = "WHEN_NO_TEMPLATES"
NEVER = "NEVER"

UNSUPPORTED_MEDIA_TYPE_BODY = b'{"message": "Unsupported Media Type"}'
INTERNAL_SERVER_ERROR_BODY = b'{"message": "Internal server error"}'


class UnsupportedMediaType(Exception):
    """No request template fits and the passthrough behavior forbids passing the body: 415."""

    status_code = 415
    body = UNSUPPORTED_MEDIA_TYPE_BODY


class NoMatchingIntegrationResponse(Exception):
    """Nothing matched and no default integration response exists: 500 Internal server error.

    AWS logs "Execution failed due to configuration error: No match for output mapping and no default output
    mapping configured".
    """

    status_code = 500
    body = INTERNAL_SERVER_ERROR_BODY


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _find_template(templates: Mapping[str, str | None], content_type: str) -> tuple[bool, str | None]:
    key = _find_key(templates, content_type)
    return (False, None) if key is None else (True, templates[key])


def select_request_template(
    request_templates: Mapping[str, str | None] | None,
    content_type: str | None,
    passthrough_behavior: str | None = WHEN_NO_MATCH,
) -> str | None:
    """The integration request template for this Content-Type, or None to pass the body through unchanged.

    A request without Content-Type is treated as application/json. An empty template passes through too.
    Raises UnsupportedMediaType when the passthrough behavior says so.
    """
    templates = request_templates or {}
    behavior = (passthrough_behavior or WHEN_NO_MATCH).upper()
    found, template = _find_template(templates, content_type or DEFAULT_CONTENT_TYPE)
    if found:
        return template or None
    if behavior == NEVER or (behavior == WHEN_NO_TEMPLATES and templates):
        raise UnsupportedMediaType()
    return None


def select_response_template(response_templates: Mapping[str, str | None] | None, accept: str | None) -> str | None:
    """The integration response template for the request's Accept header; None passes the body through.

    Media types of Accept are tried in order, then application/json, then the first template defined.
    """
    chosen = select_response_template_entry(response_templates, accept)
    return None if chosen is None else chosen[1] or None


def select_response_template_entry(response_templates: Mapping[str, str | None] | None, accept: str | None,
                                   ) -> tuple[str, str | None] | None:
    """(content type, template) of the response template for the request's Accept header, as
    select_response_template picks it; None when there are no templates."""
    templates = response_templates or {}
    if not templates:
        return None
    for candidate in (accept or "").split(","):
        if candidate.strip() and "*" not in candidate:
            key = _find_key(templates, candidate)
            if key is not None:
                return key, templates[key]
    key = _find_key(templates, DEFAULT_CONTENT_TYPE)
    if key is not None:
        return key, templates[key]
    key = next(iter(templates))
    return key, templates[key]


def _find_key(templates: Mapping[str, str | None], content_type: str) -> str | None:
    if content_type in templates:
        return content_type
    wanted = _media_type(content_type)
    for key in templates:
        if _media_type(key) == wanted:
            return key
    return None


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        LOG.warning("invalid selectionPattern %r ignored", pattern)
        return None


def select_integration_response(
    responses: Mapping[str, Mapping[str, Any]],
    error_message: str | None = None,
    status_code: int | str | None = None,
) -> tuple[str, Mapping[str, Any]]:
    """Pick the integration response: (status code, its settings).

    For a Lambda function error, selectionPatterns are matched against errorMessage; for HTTP/AWS integrations
    against the backend status code. A match is a full match, like Java's Pattern.matches. With no match (or a
    successful Lambda call) the default response — the one without a selectionPattern — is used, so a function
    error with only a default response comes back 200 with the error body, as on AWS.
    """
    subject = error_message if error_message is not None else None if status_code is None else str(status_code)
    default: tuple[str, Mapping[str, Any]] | None = None
    for code in sorted(responses):
        settings = responses[code] or {}
        pattern = settings.get("selectionPattern")
        if not pattern:
            default = default or (code, settings)
            continue
        if subject is None:
            continue
        compiled = _compiled(pattern)
        if compiled is not None and compiled.fullmatch(subject):
            return code, settings
    if default is None:
        raise NoMatchingIntegrationResponse()
    return default


# ---------------------------------------------------------------------------------------------- parameters


def _header_lookup(headers: Iterable[tuple[str, str]], name: str) -> list[str]:
    lowered = name.lower()
    return [value for key, value in headers if key.lower() == lowered]


def _body_value(body: bytes | str, path: str | None) -> str | None:
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if path is None:
        return text
    try:
        document = json.loads(text) if text.strip() else {}
        value = jsonpath.evaluate(document, "$." + path)
    except (ValueError, jsonpath.JsonPathError):
        return None
    if value is jsonpath.MISSING or value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def _source_value(
    source: str,
    headers: list[tuple[str, str]],
    body: bytes | str,
    stage_variables: Mapping[str, str],
    context: Mapping[str, Any],
) -> str | None:
    source = source.strip()
    if len(source) >= 2 and source.startswith("'") and source.endswith("'"):
        return source[1:-1]
    if source.startswith("integration.response.header."):
        values = _header_lookup(headers, source[len("integration.response.header.") :])
        return values[-1] if values else None
    if source.startswith("integration.response.multivalueheader."):
        values = _header_lookup(headers, source[len("integration.response.multivalueheader.") :])
        return ",".join(values) if values else None
    if source == "integration.response.body":
        return _body_value(body, None)
    if source.startswith("integration.response.body."):
        return _body_value(body, source[len("integration.response.body.") :])
    if source.startswith("stageVariables."):
        return stage_variables.get(source[len("stageVariables.") :])
    if source.startswith("context."):
        value: Any = context
        for part in source[len("context.") :].split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return None if value is None else str(value)
    LOG.warning("unsupported response parameter source %r", source)
    return None


def map_response_parameters(
    response_parameters: Mapping[str, str] | None,
    integration_headers: Iterable[tuple[str, str]] = (),
    integration_body: bytes | str = b"",
    stage_variables: Mapping[str, str] | None = None,
    context: Mapping[str, Any] | None = None,
) -> list[tuple[str, str]]:
    """Method response headers from an integration response's responseParameters.

    Keys are `method.response.header.X`; values are `'literal'`, `integration.response.header.Y`,
    `integration.response.multivalueheader.Y`, `integration.response.body[.jsonpath]`, `stageVariables.Z`
    or `context.a.b`. A source without a value sets no header.
    """
    headers = list(integration_headers)
    result: list[tuple[str, str]] = []
    for target, source in (response_parameters or {}).items():
        if not target.startswith("method.response.header."):
            continue
        name = target[len("method.response.header.") :]
        if not is_header_name(name):
            LOG.warning("response parameter %s names no HTTP header: not sent", target)
            continue
        value = _source_value(source, headers, integration_body, stage_variables or {}, context or {})
        if value is not None:
            result.append((name, value))
    return result


# RFC 9110's token: what a header name may be. The control plane lets `method.response.header.a:b` and
# `gatewayresponse.header.a b` through; sent as they are, they would change what the response's headers say.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def is_header_name(name: str) -> bool:
    return _HEADER_NAME.fullmatch(name) is not None
