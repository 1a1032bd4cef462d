"""CloudWatch Logs filter patterns: terms, "quoted phrases", ?optional terms, -exclusions, and JSON patterns
({ $.level = "ERROR" && $.latency > 100 }).

https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
Terms are case-sensitive substrings. Space-delimited ([a, b, ...]) patterns are not supported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .errors import InvalidParameterException

Matcher = Callable[[str], bool]

_TERM = re.compile(r'\s*([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))')
_CONDITION = re.compile(r'\s*(\$(?:\.[A-Za-z0-9_\-]+|\[\d+\])+)\s*(=|!=|<=|>=|<|>)\s*("(?:[^"\\]|\\.)*"|[^\s&|)}]+)\s*')


def compile_pattern(pattern: str | None) -> Matcher:
    text = (pattern or "").strip()
    if not text or text == '""':
        return lambda message: True
    if text.startswith("{"):
        return _json_pattern(text)
    if text.startswith("["):
        raise InvalidParameterException("pocketcloud does not support space-delimited filter patterns ([...]) yet")
    required: list[str] = []
    optional: list[str] = []
    excluded: list[str] = []
    for m in _TERM.finditer(text):
        sign, quoted, bare = m.groups()
        term = quoted.replace('\\"', '"') if quoted is not None else bare
        (optional if sign == "?" else excluded if sign == "-" else required).append(term)

    def match(message: str) -> bool:
        if any(t in message for t in excluded):
            return False
        if not all(t in message for t in required):
            return False
        return any(t in message for t in optional) if optional else True

    return match


def _json_pattern(text: str) -> Matcher:
    body = text.strip()
    if not body.endswith("}"):
        raise InvalidParameterException("Invalid character(s) in term '" + text + "'")
    body = body[1:-1]
    # Disjunction of conjunctions (no parentheses): a && b || c.
    alternatives = []
    for part in body.split("||"):
        conditions = []
        for cond in part.split("&&"):
            m = _CONDITION.fullmatch(cond)
            if m is None:
                raise InvalidParameterException(f"Invalid character(s) in term '{cond.strip()}'")
            conditions.append(_condition(*m.groups()))
        alternatives.append(conditions)

    def match(message: str) -> bool:
        try:
            doc = json.loads(message)
        except ValueError:
            start = message.find("{")
            try:
                doc = json.loads(message[start:]) if start >= 0 else None
            except ValueError:
                return False
        if not isinstance(doc, (dict, list)):
            return False
        return any(all(c(doc) for c in conds) for conds in alternatives)

    return match


def _condition(path: str, op: str, raw: str) -> Callable[[Any], bool]:
    steps = re.findall(r"\.([A-Za-z0-9_\-]+)|\[(\d+)\]", path)
    if raw.startswith('"'):
        expected: Any = raw[1:-1]
    else:
        try:
            expected = float(raw)
        except ValueError:
            expected = raw

    def get(doc: Any) -> Any:
        for key, index in steps:
            if key:
                if not isinstance(doc, dict) or key not in doc:
                    return _MISSING
                doc = doc[key]
            else:
                if not isinstance(doc, list) or int(index) >= len(doc):
                    return _MISSING
                doc = doc[int(index)]
        return doc

    def check(doc: Any) -> bool:
        value = get(doc)
        if value is _MISSING:
            return False
        if isinstance(expected, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return False
            return {"=": value == expected, "!=": value != expected, "<": value < expected, ">": value > expected,
                    "<=": value <= expected, ">=": value >= expected}[op]
        if expected in ("true", "false", "null") and not raw.startswith('"'):
            literal = {"true": True, "false": False, "null": None}[expected]
            return (value is literal) if op == "=" else (value is not literal)
        text = value if isinstance(value, str) else json.dumps(value)
        regex = "".join(".*" if ch == "*" else re.escape(ch) for ch in expected)
        equal = re.fullmatch(regex, text, re.DOTALL) is not None
        if op == "=":
            return equal
        if op == "!=":
            return not equal
        return False

    return check


_MISSING = object()
