"""Match a request path to a REST API resource and a method, as API Gateway does.

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-set-up-simple-proxy.html:
a literal path part wins over `{param}`, which wins over a greedy `{proxy+}` (one or more segments, and a greedy
part may sit under any resource). A caller that gets None answers 403 {"message":"Missing Authentication Token"}.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import unquote

ANY_METHOD = "ANY"
MISSING_AUTHENTICATION_TOKEN_BODY = b'{"message":"Missing Authentication Token"}'

T = TypeVar("T")


@dataclass(frozen=True)
class RouteMatch:
    resource_path: str
    path_parameters: dict[str, str]


@dataclass
class _Node:
    resource_path: str | None = None  # set when a resource ends here
    literals: dict[str, _Node] = field(default_factory=dict)
    param: tuple[str, _Node] | None = None
    greedy: tuple[str, str] | None = None  # (name, resource path)


class ResourceRouter:
    """A segment trie over a REST API's resource paths, built once per deployment."""

    def __init__(self, resource_paths: Iterable[str]) -> None:
        self._root = _Node()
        for resource_path in resource_paths:
            self._add(resource_path)

    def _add(self, resource_path: str) -> None:
        node = self._root
        parts = [part for part in resource_path.split("/") if part]
        for index, part in enumerate(parts):
            if part.startswith("{") and part.endswith("+}"):
                # A greedy part is always the last one of its resource (AWS refuses children under it).
                if index == len(parts) - 1:
                    node.greedy = (part[1:-2], resource_path)
                    return
            if part.startswith("{") and part.endswith("}"):
                name = part[1:-1]
                if node.param is None:
                    node.param = (name, _Node())
                node = node.param[1]
            else:
                node = node.literals.setdefault(part, _Node())
        node.resource_path = resource_path if parts else "/"

    def match(self, path: str) -> RouteMatch | None:
        """Match a raw (percent-encoded) path after the stage; a trailing slash is tolerated."""
        stripped = path.split("?", 1)[0].strip("/")
        segments = [unquote(segment) for segment in stripped.split("/")] if stripped else []
        params: dict[str, str] = {}
        resource_path = self._walk(self._root, segments, 0, params)
        if resource_path is None:
            return None
        return RouteMatch(resource_path=resource_path, path_parameters=params)

    def _walk(self, node: _Node, segments: list[str], index: int, params: dict[str, str]) -> str | None:
        if index == len(segments):
            return node.resource_path
        segment = segments[index]
        child = node.literals.get(segment)
        if child is not None:
            found = self._walk(child, segments, index + 1, params)
            if found is not None:
                return found
        if node.param is not None and segment:
            name, child = node.param
            found = self._walk(child, segments, index + 1, params)
            if found is not None:
                params[name] = segment
                return found
        if node.greedy is not None:
            name, resource_path = node.greedy
            params[name] = "/".join(segments[index:])
            return resource_path
        return None


def match_route(path: str, resource_paths: Iterable[str]) -> RouteMatch | None:
    """One-shot convenience; build a `ResourceRouter` once when matching many requests."""
    return ResourceRouter(resource_paths).match(path)


def select_method(methods: Mapping[str, T], http_method: str) -> T | None:
    """The resource's method for this HTTP method, falling back to `ANY`; None → Missing Authentication Token."""
    found = methods.get(http_method.upper())
    if found is None:
        found = methods.get(ANY_METHOD)
    return found
