"""Java-like values for mapping templates: what API Gateway's (Java) Velocity lets templates call and print.

airspeed resolves `$x.name(...)` through item access, then attributes; wrapping values in these classes gives
templates the Java methods they expect (`.keySet()`, `.toLowerCase()`, `.size()`...) and Java's printing
(`true`, `{a=1, b=2}`) without touching airspeed itself.
"""

from __future__ import annotations

import json
import re
from typing import Any


def _java_replacement(replacement: str) -> str:
    """Java regex replacement (`$1`, `\\$`) → Python's (`\\g<1>`, `$`)."""
    out: list[str] = []
    index = 0
    while index < len(replacement):
        char = replacement[index]
        if char == "\\" and index + 1 < len(replacement):
            out.append(replacement[index + 1].replace("\\", "\\\\"))
            index += 2
            continue
        if char == "$":
            digits = re.match(r"\d+", replacement[index + 1 :])
            if digits:
                out.append(f"\\g<{digits.group()}>")
                index += 1 + len(digits.group())
                continue
        out.append("\\\\" if char == "\\" else char)
        index += 1
    return "".join(out)


class JavaString(str):
    """A str with java.lang.String's methods."""

    def length(self) -> int:
        return len(self)

    def isEmpty(self) -> JavaBoolean:  # noqa: N802 - Java names are the API
        return JavaBoolean(not self)

    def toLowerCase(self) -> JavaString:  # noqa: N802
        return JavaString(str.lower(self))

    def toUpperCase(self) -> JavaString:  # noqa: N802
        return JavaString(str.upper(self))

    def trim(self) -> JavaString:
        return JavaString(str.strip(self, "".join(chr(c) for c in range(33))))

    def toString(self) -> JavaString:  # noqa: N802
        return self

    def equals(self, other: Any) -> JavaBoolean:
        return JavaBoolean(isinstance(other, str) and str(self) == str(other))

    def equalsIgnoreCase(self, other: Any) -> JavaBoolean:  # noqa: N802
        return JavaBoolean(isinstance(other, str) and str.lower(self) == str.lower(other))

    def contains(self, other: str) -> JavaBoolean:
        return JavaBoolean(str(other) in self)

    def startsWith(self, prefix: str) -> JavaBoolean:  # noqa: N802
        return JavaBoolean(str.startswith(self, prefix))

    def endsWith(self, suffix: str) -> JavaBoolean:  # noqa: N802
        return JavaBoolean(str.endswith(self, suffix))

    def indexOf(self, sub: str, start: int = 0) -> int:  # noqa: N802
        return str.find(self, sub, start)

    def lastIndexOf(self, sub: str) -> int:  # noqa: N802
        return str.rfind(self, sub)

    def charAt(self, index: int) -> JavaString:  # noqa: N802
        return JavaString(str.__getitem__(self, index))

    def substring(self, begin: int, end: int | None = None) -> JavaString:
        return JavaString(str.__getitem__(self, slice(begin, end)))

    def concat(self, other: str) -> JavaString:
        return JavaString(str(self) + str(other))

    def matches(self, regex: str) -> JavaBoolean:
        return JavaBoolean(re.fullmatch(regex, self) is not None)

    def replace(self, old: str, new: str, count: int = -1) -> JavaString:  # type: ignore[override]
        return JavaString(str.replace(self, str(old), str(new), count))

    def replaceAll(self, regex: str, replacement: str) -> JavaString:  # noqa: N802
        return JavaString(re.sub(regex, _java_replacement(replacement), self))

    def replaceFirst(self, regex: str, replacement: str) -> JavaString:  # noqa: N802
        return JavaString(re.sub(regex, _java_replacement(replacement), self, count=1))

    def split(self, regex: str = r"\s+", limit: int = 0) -> JavaList:  # type: ignore[override]
        parts = re.split(regex, self, maxsplit=max(limit - 1, 0)) if self else [""]
        if limit == 0:
            while len(parts) > 1 and parts[-1] == "":
                parts.pop()  # Java drops trailing empty strings
        return JavaList(JavaString(part) for part in parts)


class JavaBoolean(int):
    """A boolean that prints as Java does (`true`/`false`); bool itself cannot be subclassed."""

    def __new__(cls, value: bool) -> JavaBoolean:
        return super().__new__(cls, 1 if value else 0)

    def __str__(self) -> str:
        return "true" if self else "false"

    __repr__ = __str__

    def toString(self) -> JavaString:  # noqa: N802
        return JavaString(str(self))


class JavaList(list):
    """A list with java.util.List's methods; prints as Java's ArrayList: `[a, b]`."""

    def size(self) -> int:
        return len(self)

    def isEmpty(self) -> JavaBoolean:  # noqa: N802
        return JavaBoolean(not self)

    def get(self, index: int) -> Any:
        return self[index]

    def contains(self, value: Any) -> JavaBoolean:
        return JavaBoolean(value in self)

    def indexOf(self, value: Any) -> int:  # noqa: N802
        return self.index(value) if value in self else -1

    def add(self, value: Any) -> JavaBoolean:
        self.append(value)
        return True

    def toString(self) -> JavaString:  # noqa: N802
        return JavaString(str(self))

    def __str__(self) -> str:
        return "[" + ", ".join(_java_str(item) for item in self) + "]"


class JsonArray(JavaList):
    """A JSON array from `$input.path`/`parseJson`; prints as compact JSON, as API Gateway's JSON library does."""

    def __init__(self, items: Any = (), raw: list[Any] | None = None) -> None:
        super().__init__(items)
        self._raw = raw

    def __str__(self) -> str:
        return json.dumps(self._raw, separators=(",", ":"), ensure_ascii=False)


class JavaMap(dict):
    """A dict with java.util.Map's methods; prints as Java's LinkedHashMap: `{a=1, b=2}`."""

    def keySet(self) -> JavaList:  # noqa: N802
        return JavaList(self.keys())

    def values(self) -> JavaList:  # type: ignore[override]
        return JavaList(dict.values(self))

    def entrySet(self) -> JavaList:  # noqa: N802
        return JavaList(JavaMap(key=k, value=v) for k, v in self.items())

    def get(self, key: Any, default: Any = None) -> Any:
        return dict.get(self, key, default)

    def containsKey(self, key: Any) -> JavaBoolean:  # noqa: N802
        return JavaBoolean(key in self)

    def isEmpty(self) -> JavaBoolean:  # noqa: N802
        return JavaBoolean(not self)

    def size(self) -> int:
        return len(self)

    def put(self, key: Any, value: Any) -> Any:
        previous = dict.get(self, key)
        self[key] = value
        return previous

    def putAll(self, other: dict) -> None:  # noqa: N802
        self.update(other)

    def remove(self, key: Any) -> Any:
        return self.pop(key, None)

    def toString(self) -> JavaString:  # noqa: N802
        return JavaString(str(self))

    def __str__(self) -> str:
        return "{" + ", ".join(f"{_java_str(k)}={_java_str(v)}" for k, v in self.items()) + "}"


def _java_str(value: Any) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def from_json(value: Any) -> Any:
    """Wrap a parsed JSON value (objects, arrays, strings, booleans) in the Java-like classes above."""
    if isinstance(value, dict):
        return JavaMap((key, from_json(item)) for key, item in value.items())
    if isinstance(value, list):
        return JsonArray((from_json(item) for item in value), raw=value)
    if isinstance(value, str):
        return JavaString(value)
    if value is True or value is False:
        return JavaBoolean(value)
    return value


def stringified_map(values: Any) -> JavaMap:
    """A map whose scalar values become strings, as `$context.authorizer.*` values are on AWS."""
    result = JavaMap()
    for key, value in (values or {}).items():
        if isinstance(value, dict):
            result[key] = stringified_map(value)
        elif value is None:
            result[key] = None
        else:
            result[key] = JavaString(_java_str(value))
    return result
