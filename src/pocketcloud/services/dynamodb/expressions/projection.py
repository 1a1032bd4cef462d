"""Applies a resolved projection (ProjectionExpression, AttributesToGet) to an item.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
Nested paths keep their shape: `a.b` gives {"a": {"M": {"b": ...}}}; `l[1], l[3]` gives the two elements in order.
"""

from __future__ import annotations

import copy

from pocketcloud.services.dynamodb.expressions import ast
from pocketcloud.services.dynamodb.expressions.attributes import type_of

_ALL = object()  # marks a trie node whose whole value is wanted


def build_trie(paths: tuple[ast.Path, ...]) -> dict:
    trie: dict = {}
    for path in paths:
        node = trie
        for part in path.parts[:-1]:
            child = node.setdefault(part, {})
            if child is _ALL:
                break
            node = child
        else:
            node[path.parts[-1]] = _ALL
    return trie


def project(item: dict, paths: tuple[ast.Path, ...]) -> dict:
    return _project_map(item, build_trie(paths))


def _project_map(members: dict, trie: dict) -> dict:
    result = {}
    for key, sub in trie.items():
        if isinstance(key, str) and key in members:
            picked = _pick(members[key], sub)
            if picked is not None:
                result[key] = picked
    return result


def _pick(value: dict, sub: object) -> dict | None:
    if sub is _ALL:
        return copy.deepcopy(value)
    assert isinstance(sub, dict)
    kind = type_of(value)
    if kind == "M":
        inner = _project_map(value["M"], {k: v for k, v in sub.items() if isinstance(k, str)})
        return {"M": inner} if inner else None
    if kind == "L":
        elements = []
        for index in sorted(k for k in sub if isinstance(k, int)):
            if index < len(value["L"]):
                picked = _pick(value["L"][index], sub[index])
                if picked is not None:
                    elements.append(picked)
        return {"L": elements} if elements else None
    return None
