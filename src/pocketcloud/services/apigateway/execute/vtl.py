"""Render API Gateway mapping templates (VTL) with `$input`, `$util`, `$context` and `$stageVariables`.

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html.
Templates are compiled once (airspeed) and cached; each render only builds the variables of its request.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import airspeed

from pocketcloud.services.apigateway.execute import jsonpath
from pocketcloud.services.apigateway.execute.context import InvocationRequest, MatchedRoute
from pocketcloud.services.apigateway.execute.proxy_event import build_request_context
from pocketcloud.services.apigateway.execute.vtl_values import (
    JavaMap,
    JavaString,
    from_json,
    stringified_map,
)

LOG = logging.getLogger(__name__)


class InvalidRequestBody(Exception):
    """A template read the body as JSON and it is not JSON: API Gateway answers 400 with this message."""

    status_code = 400

    def __init__(self, detail: str) -> None:
        self.message = f"Could not parse request body into json: {detail}"
        super().__init__(self.message)


class MappingTemplateError(Exception):
    """The template does not compile or fails while rendering: the caller answers 500 Internal server error."""

    status_code = 500


@dataclass(frozen=True)
class MappingResult:
    """Rendered text plus what the template set in `$context.requestOverride` / `$context.responseOverride`.

    request_override: {"header": {...}, "querystring": {...}, "path": {...}};
    response_override: {"status": ... (may be absent), "header": {...}}.
    """

    body: str
    request_override: dict[str, Any]
    response_override: dict[str, Any]


# ---------------------------------------------------------------------------------------------- compilation


def _walk(element: Any, seen: set[int]) -> Any:
    if id(element) in seen:
        return
    seen.add(id(element))
    yield element
    for value in vars(element).values():
        children = value if isinstance(value, (list, tuple)) else (value,)
        for child in children:
            if isinstance(child, airspeed._Element):
                yield from _walk(child, seen)


def _to_java_velocity_semantics(template: airspeed.Template) -> None:
    """Adjust a compiled tree to how API Gateway's Java Velocity behaves.

    - A null reference renders as an empty string (AWS never echoes `$foo` back), like a quiet `$!foo`.
    - String literals keep their backslashes: Velocity has no escapes in literals, so the documented
      `.replaceAll("\\\\'", "'")` sees the regex `\\\\'`; airspeed would have unescaped it.
    """
    for element in list(_walk(template.root_element, set())):
        if isinstance(element, airspeed.FormalReference) and element.expression is not None:
            element.silent = "!"
        elif isinstance(element, airspeed.StringLiteral):
            raw = element.my_text()[1:-1]
            element.value = raw
            if isinstance(element, airspeed.InterpolatedStringLiteral):
                element.block = airspeed.Block(element.filename, raw, 0)
                _to_java_velocity_semantics_block(element.block)


def _to_java_velocity_semantics_block(block: Any) -> None:
    holder = airspeed.Template("")
    holder.root_element = block
    _to_java_velocity_semantics(holder)


@lru_cache(maxsize=1024)
def compile_template(template: str) -> airspeed.Template:
    """Parse a mapping template once; later renders reuse the tree (it holds no per-render state)."""
    compiled = airspeed.Template(template)
    try:
        compiled.ensure_compiled()
    except airspeed.TemplateSyntaxError as error:
        raise MappingTemplateError(f"Invalid mapping template: {error}") from error
    _to_java_velocity_semantics(compiled)
    return compiled


# ---------------------------------------------------------------------------------------------- $util


def escape_javascript(value: Any) -> str:
    """`$util.escapeJavaScript`: Apache Commons StringEscapeUtils.escapeJavaScript, on UTF-16 code units."""
    if value is None:
        return ""
    text = str(value)
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    out: list[str] = []
    for char in text:
        code = ord(char)
        if code > 0xFFFF:  # Java strings are UTF-16: a supplementary character escapes as its surrogate pair
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04X}\\u{0xDC00 + (code & 0x3FF):04X}")
        elif code > 0x7F:
            out.append(f"\\u{code:04X}")
        elif code < 32:
            out.append(_CONTROL_ESCAPES.get(char) or f"\\u{code:04X}")
        else:
            out.append(_ASCII_ESCAPES.get(char, char))
    return "".join(out)


_NEEDS_ESCAPE = re.compile(r"[^\x20-\x7e]|['\"\\\\/]")
_CONTROL_ESCAPES = {"\b": "\\b", "\n": "\\n", "\t": "\\t", "\f": "\\f", "\r": "\\r"}
_ASCII_ESCAPES = {"'": "\\'", '"': '\\"', "\\": "\\\\", "/": "\\/"}


class UtilVariable:
    """`$util`."""

    def escapeJavaScript(self, value: Any) -> JavaString:  # noqa: N802 - the template API
        return JavaString(escape_javascript(value))

    def parseJson(self, text: Any) -> Any:  # noqa: N802
        try:
            return from_json(json.loads(str(text)))
        except ValueError as error:
            raise MappingTemplateError(f"$util.parseJson: invalid JSON: {error}") from None

    def urlEncode(self, text: Any) -> JavaString:  # noqa: N802
        # java.net.URLEncoder: leaves * unescaped and escapes ~, unlike Python's quote_plus.
        return JavaString(quote_plus(str(text), safe="*").replace("~", "%7E"))

    def urlDecode(self, text: Any) -> JavaString:  # noqa: N802
        return JavaString(unquote_plus(str(text)))

    def base64Encode(self, text: Any) -> JavaString:  # noqa: N802
        return JavaString(base64.b64encode(str(text).encode("utf-8")).decode("ascii"))

    def base64Decode(self, text: Any) -> JavaString:  # noqa: N802
        return JavaString(base64.b64decode(str(text)).decode("utf-8", errors="replace"))


_UTIL = UtilVariable()


# ---------------------------------------------------------------------------------------------- $input


class InputVariable:
    """`$input`: the payload (request body, or integration response body) and the method request parameters."""

    def __init__(self, body: bytes | str, params: JavaMap) -> None:
        self._text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
        self._params = params
        self._parsed: Any = jsonpath.MISSING

    def _document(self) -> Any:
        if self._parsed is jsonpath.MISSING:
            if not self._text.strip():
                self._parsed = {}  # an empty payload reads as {} on AWS
            else:
                try:
                    self._parsed = json.loads(self._text)
                except ValueError as error:
                    raise InvalidRequestBody(str(error)) from None
                except RecursionError:
                    raise InvalidRequestBody("nested too deeply") from None
        return self._parsed

    @property
    def body(self) -> JavaString:
        return JavaString(self._text if self._text else "{}")

    def json(self, path: str = "$") -> JavaString:
        value = jsonpath.evaluate(self._document(), str(path))
        if value is jsonpath.MISSING:
            return JavaString('""')
        return JavaString(json.dumps(value, separators=(",", ":"), ensure_ascii=False))

    def path(self, path: str = "$") -> Any:
        path = str(path)
        try:
            document = self._document()
        except InvalidRequestBody:
            if path.strip() == "$":
                # Non-JSON payloads (form posts) come back whole from $input.path('$').
                return JavaString(self._text)
            raise
        value = jsonpath.evaluate(document, path)
        return None if value is jsonpath.MISSING else from_json(value)

    def params(self, name: str | None = None) -> Any:
        if name is None:
            return self._params
        name = str(name)
        for location in ("path", "querystring"):
            value = self._params[location].get(name)
            if value is not None:
                return value
        lowered = name.lower()
        for header, value in self._params["header"].items():
            if header.lower() == lowered:
                return value
        return JavaString("")


def _last_values(pairs: Any, case_insensitive: bool) -> JavaMap:
    result = JavaMap()
    spelling: dict[str, str] = {}
    for name, value in pairs:
        key = spelling.setdefault(name.lower(), name) if case_insensitive else name
        result[key] = JavaString(value)
    return result


def build_params(request: InvocationRequest, route: MatchedRoute) -> JavaMap:
    """`$input.params()`: {"path": {...}, "querystring": {...}, "header": {...}} (last value of each name)."""
    return JavaMap(
        path=JavaMap((k, JavaString(v)) for k, v in route.path_parameters.items()),
        querystring=_last_values(request.query, case_insensitive=False),
        header=_last_values(request.headers, case_insensitive=True),
    )


# ---------------------------------------------------------------------------------------------- rendering


def build_context_variable(request: InvocationRequest, route: MatchedRoute) -> JavaMap:
    """`$context`, from the same values as the proxy event's requestContext, plus the override maps."""
    raw = build_request_context(request, route)
    context = JavaMap()
    for key, value in raw.items():
        if key == "authorizer":
            context[key] = stringified_map(value)
        elif isinstance(value, dict):
            context[key] = JavaMap((k, JavaString(v) if isinstance(v, str) else v) for k, v in value.items())
        elif isinstance(value, str):
            context[key] = JavaString(value)
        else:
            context[key] = value
    context.setdefault("authorizer", JavaMap())
    context["requestOverride"] = JavaMap(header=JavaMap(), querystring=JavaMap(), path=JavaMap())
    context["responseOverride"] = JavaMap(header=JavaMap())
    return context


def render_template(template: str, *, input_body: bytes | str, request: InvocationRequest, route: MatchedRoute,
                    error: Mapping[str, str] | None = None) -> MappingResult:
    """Render `template` with `$input` over `input_body` and the request's params, context and stage variables.
    `error`: `$context.error.*`, for a gateway response's template."""
    compiled = compile_template(template)
    context = build_context_variable(request, route)
    if error is not None:
        context["error"] = JavaMap((k, JavaString(v)) for k, v in error.items())
    namespace = {
        "input": InputVariable(input_body, build_params(request, route)),
        "util": _UTIL,
        "context": context,
        "stageVariables": JavaMap((k, JavaString(v)) for k, v in route.stage_variables.items()),
    }
    try:
        body = compiled.merge(namespace)
    except airspeed.TemplateExecutionError as error:
        cause = error.__cause__
        if isinstance(cause, (InvalidRequestBody, MappingTemplateError)):
            raise cause from None
        LOG.warning("mapping template failed for request %s: %s", request.request_id, error)
        raise MappingTemplateError(str(error)) from None
    return MappingResult(
        body=body,
        request_override=_plain(context["requestOverride"]),
        response_override=_plain(context["responseOverride"]),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, str):
        return str(value)
    return value


def render_request_template(template: str, request: InvocationRequest, route: MatchedRoute) -> MappingResult:
    """Integration request: `$input` is the method request body."""
    return render_template(template, input_body=request.body, request=request, route=route)


def render_response_template(
    template: str, request: InvocationRequest, route: MatchedRoute, integration_body: bytes | str
) -> MappingResult:
    """Integration response: `$input` is the integration's response body; params stay the method request's."""
    return render_template(template, input_body=integration_body, request=request, route=route)
