"""A small JSONPath evaluator for `$input.json(x)` and `$input.path(x)` in mapping templates.

Covers what API Gateway templates use (Jayway JsonPath semantics, https://github.com/json-path/JsonPath):
`$`, `$.a.b`, `$['a']`, `$.a[0]`, `$.a[-1]`, `$.a[*]`, `$.*`, `$..a`, `$.a[0,2]`, `$.a[1:3]`. Filters (`[?(...)]`)
are not supported. A definite path yields one value (or MISSING); a path with a wildcard, recursive descent,
union or slice yields a list, like Jayway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


class JsonPathError(ValueError):
    pass


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class _Step:
    kind: str  # "key", "index", "wildcard", "recurse", "union", "slice"
    value: Any = None


_TOKEN = re.compile(
    r"""
    \.\.(?P<rname>[A-Za-z_$@][\w$@-]*|\*)      # ..name / ..*
  | \.(?P<name>[A-Za-z_$@][\w$@-]*|\*)         # .name / .*
  | \[\s*(?P<bracket>[^\]]*?)\s*\]             # [...]
    """,
    re.X,
)
_QUOTED = re.compile(r"""^(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")$""")


def _bracket_step(content: str) -> _Step:
    if content == "*":
        return _Step("wildcard")
    parts = [part.strip() for part in _split_union(content)]
    if len(parts) > 1:
        return _Step("union", tuple(_bracket_step(part) for part in parts))
    quoted = _QUOTED.match(content)
    if quoted:
        text = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
        return _Step("key", re.sub(r"\\(.)", r"\1", text))
    if ":" in content:
        bounds = [int(b) if b.strip() else None for b in content.split(":")]
        if len(bounds) > 3:
            raise JsonPathError(f"bad slice [{content}]")
        return _Step("slice", slice(*bounds))
    try:
        return _Step("index", int(content))
    except ValueError:
        raise JsonPathError(f"unsupported JSONPath segment [{content}]") from None


def _split_union(content: str) -> list[str]:
    parts, depth_quote, current = [], None, []
    for char in content:
        if depth_quote:
            if char == depth_quote:
                depth_quote = None
        elif char in "'\"":
            depth_quote = char
        elif char == ",":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


@lru_cache(maxsize=1024)
def compile_path(path: str) -> tuple[tuple[_Step, ...], bool]:
    """Parse a JSONPath once; returns (steps, definite)."""
    text = path.strip()
    if not text.startswith("$"):
        # Jayway accepts a path without the root; API Gateway templates sometimes write 'a.b'.
        text = "$." + text if text else "$"
    steps: list[_Step] = []
    position = 1
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise JsonPathError(f"cannot parse JSONPath {path!r} at {position}")
        if match.group("rname") is not None:
            steps.append(_Step("recurse"))
            name = match.group("rname")
            steps.append(_Step("wildcard") if name == "*" else _Step("key", name))
        elif match.group("name") is not None:
            name = match.group("name")
            steps.append(_Step("wildcard") if name == "*" else _Step("key", name))
        else:
            steps.append(_bracket_step(match.group("bracket")))
        position = match.end()
    definite = all(step.kind in ("key", "index") for step in steps)
    return tuple(steps), definite


def _descendants(value: Any) -> list[Any]:
    found = [value]
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        if isinstance(child, (dict, list)):
            found.extend(_descendants(child))
    return found


def _apply(step: _Step, value: Any) -> list[Any]:
    kind = step.kind
    if kind == "key":
        if isinstance(value, dict) and step.value in value:
            return [value[step.value]]
        return []
    if kind == "index":
        if isinstance(value, list) and -len(value) <= step.value < len(value):
            return [value[step.value]]
        return []
    if kind == "wildcard":
        if isinstance(value, dict):
            return list(value.values())
        return list(value) if isinstance(value, list) else []
    if kind == "slice":
        return value[step.value] if isinstance(value, list) else []
    if kind == "union":
        return [item for sub in step.value for item in _apply(sub, value)]
    return _descendants(value)  # recurse


def evaluate(document: Any, path: str) -> Any:
    """Value at `path`: one value (MISSING when absent) for a definite path, else a list of matches."""
    steps, definite = compile_path(path)
    current = [document]
    for step in steps:
        current = [item for value in current for item in _apply(step, value)]
    if definite:
        return current[0] if current else MISSING
    return current
