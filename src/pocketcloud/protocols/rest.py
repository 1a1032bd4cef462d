"""Routing and parameter binding shared by the REST protocols (rest-json, rest-xml).

Each operation's `http.requestUri` ("/2015-03-31/functions/{FunctionName}/invocations", "/{Bucket}/{Key+}?tagging")
becomes a regular expression; a request picks the most specific match for its method, path and query keys.
Values found in the URI, query string and headers are converted to their shape's type here, before validation.
"""

from __future__ import annotations

import base64
import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from botocore.model import OperationModel, ServiceModel, Shape

from . import serialize
from .base import Request
from .validate import parse_timestamp

_PARAM = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    required_query: tuple[tuple[str, str | None], ...]
    specificity: tuple[int, int, int]
    greedy: dict[str, str]  # regex group name -> member location name


def _compile(op: OperationModel) -> Route:
    uri = op.http.get("requestUri", "/")
    path, _, query = uri.partition("?")
    required: list[tuple[str, str | None]] = []
    for part in filter(None, query.split("&")):
        k, eq, v = part.partition("=")
        required.append((k, v if eq else None))
    regex = ""
    literal = 0
    greedy: dict[str, str] = {}
    pos = 0
    for i, m in enumerate(_PARAM.finditer(path)):
        text = path[pos : m.start()]
        literal += len(text)
        regex += re.escape(text)
        name = m.group(1)
        group = f"p{i}"
        if name.endswith("+"):
            greedy[group] = name[:-1]
            regex += f"(?P<{group}>.+)"
        else:
            greedy[group] = name
            regex += f"(?P<{group}>[^/]+)"
        pos = m.end()
    tail = path[pos:]
    literal += len(tail)
    regex += re.escape(tail)
    if regex.endswith("/") and len(regex) > 1:
        regex = regex[:-1] + "/?"
    else:
        regex += "/?"
    pattern = re.compile(regex + r"\Z")
    return Route(op.name, op.http.get("method", "POST"), pattern, tuple(required), (len(required), literal, -len(greedy)), greedy)


class Router:
    def __init__(self, model: ServiceModel) -> None:
        routes = [_compile(model.operation_model(name)) for name in model.operation_names]
        routes.sort(key=lambda r: r.specificity, reverse=True)
        self.routes = routes

    def match(self, request: Request) -> tuple[str, dict[str, str]] | None:
        path = request.raw_path or "/"
        keys = None
        for route in self.routes:
            if route.method != request.method:
                continue
            m = route.pattern.match(path)
            if m is None:
                continue
            if route.required_query:
                if keys is None:
                    keys = dict(request.query)
                if not all(k in keys and (v is None or keys[k] == v) for k, v in route.required_query):
                    continue
            return route.operation, {route.greedy[g]: unquote(v) for g, v in m.groupdict().items()}
        return None

    def allowed_methods(self, request: Request) -> set[str]:
        path = request.raw_path or "/"
        return {r.method for r in self.routes if r.pattern.match(path)}


def convert_text(shape: Shape, text: str, *, header: bool = False) -> Any:
    """A string from a URI, query string or header, as the value of its shape."""
    kind = shape.type_name
    if kind in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            return text  # left for validation to report
    if kind in ("double", "float"):
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "boolean":
        low = text.lower()
        return True if low == "true" else False if low == "false" else text
    if kind == "timestamp":
        try:
            return parse_timestamp(text)
        except ValueError:
            try:
                from email.utils import parsedate_to_datetime

                return parsedate_to_datetime(text)
            except (TypeError, ValueError):
                return text
    if kind == "string" and header and shape.serialization.get("jsonvalue"):
        try:
            return serialize.loads(base64.b64decode(text))
        except ValueError:
            return text
    if kind == "blob":
        return text.encode()
    return text


def bind_http_params(op: OperationModel, request: Request, uri_params: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Collect the members that live outside the body. Returns the params and the names of body members."""
    shape = op.input_shape
    params: dict[str, Any] = {}
    body_members: list[str] = []
    if shape is None:
        return params, body_members
    query_multi: dict[str, list[str]] = {}
    for k, v in request.query:
        query_multi.setdefault(k, []).append(v)
    for name, member in shape.members.items():
        ser = member.serialization
        loc = ser.get("location")
        wire = ser.get("name", name)
        if loc == "uri":
            if wire in uri_params:
                params[name] = convert_text(member, uri_params[wire])
        elif loc == "querystring":
            if member.type_name == "map":
                params[name] = {k: (v if member.value.type_name == "list" else v[-1]) for k, v in query_multi.items()}
                if not params[name]:
                    del params[name]
            elif wire in query_multi:
                values = query_multi[wire]
                if member.type_name == "list":
                    params[name] = [convert_text(member.member, v) for v in values]
                else:
                    params[name] = convert_text(member, values[-1])
        elif loc == "header":
            value = request.headers.get(wire.lower())
            if value is not None:
                if member.type_name == "list":
                    params[name] = [convert_text(member.member, v.strip()) for v in value.split(",")]
                else:
                    params[name] = convert_text(member, value, header=True)
        elif loc == "headers":
            prefix = wire.lower()
            found = {k[len(prefix) :]: v for k, v in request.headers.items() if k.startswith(prefix)}
            if found:
                params[name] = found
        elif loc == "statusCode":
            continue
        else:
            body_members.append(name)
    return params, body_members


def header_text(shape: Shape, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.datetime):
        return serialize.rfc822(value)
    if shape.serialization.get("jsonvalue"):
        return base64.b64encode(serialize.dumps(value)).decode()
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)
