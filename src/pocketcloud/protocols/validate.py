"""Input checking from botocore shapes, worded as AWS's Coral framework words it.

Two kinds of failure, as AWS reports them:
- a value of the wrong JSON type is a SerializationException, raised at once
  ("class java.lang.Boolean can not be converted to an String", "Start of list found where not expected");
- a value that breaks a constraint of the model (required, min/max, pattern, enum) is collected, and all of them
  (at most 10) are raised together: "2 validation errors detected: Value null at 'tableName' failed to satisfy
  constraint: Member must not be null; ...". Paths are lowerCamelCase, list elements are `name.1.member`.

Each shape is compiled once into a small checker function; checkers are cached per shape name.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

from botocore.model import Shape

from .errors import SerializationException, ValidationException

MAX_ERRORS = 10

# checker(value, path, errors) -> converted value
Checker = Callable[[Any, str, list[str]], Any]


class Options:
    """How a protocol wants values converted."""

    __slots__ = ("decode_blobs", "serialization_error", "validation_error")

    def __init__(
        self,
        *,
        decode_blobs: bool = True,
        serialization_error: type[Exception] = SerializationException,
        validation_error: type[Exception] = ValidationException,
    ) -> None:
        self.decode_blobs = decode_blobs
        self.serialization_error = serialization_error
        self.validation_error = validation_error


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def value_str(value: Any) -> str:
    """A value as Coral prints it inside a validation message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(value_str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={value_str(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (bytes, bytearray)):
        return "java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]" % (len(value), len(value))
    return str(value)


def _java_number_class(value: int | float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return "java.lang.Double"
    if isinstance(value, float):
        return "java.lang.Double"
    if -32768 <= value <= 32767:
        return "java.lang.Short"
    if -2147483648 <= value <= 2147483647:
        return "java.lang.Integer"
    return "java.lang.Long"


def _structural(value: Any) -> str | None:
    if isinstance(value, list):
        return "Start of list found where not expected"
    if isinstance(value, dict):
        return "Start of structure or map found where not expected."
    return None


class Compiler:
    """Compiles botocore shapes into checkers. One Compiler per (service, options)."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self._cache: dict[str, Checker] = {}

    def checker(self, shape: Shape) -> Checker:
        key = shape.name
        found = self._cache.get(key)
        if found is not None:
            return found
        # Recursive shapes (AttributeValue -> M -> AttributeValue) refer back through this trampoline.
        slot: list[Checker] = []
        self._cache[key] = lambda v, p, e: slot[0](v, p, e)
        compiled = self._compile(shape)
        slot.append(compiled)
        self._cache[key] = compiled
        return compiled

    # -- per type -------------------------------------------------------------------------------------

    def _compile(self, shape: Shape) -> Checker:
        kind = shape.type_name
        if kind == "structure":
            return self._structure(shape)
        if kind == "list":
            return self._list(shape)
        if kind == "map":
            return self._map(shape)
        if kind == "string":
            return self._string(shape)
        if kind in ("integer", "long", "double", "float"):
            return self._number(shape)
        if kind == "boolean":
            return self._boolean()
        if kind == "blob":
            return self._blob()
        if kind == "timestamp":
            return self._timestamp()
        return lambda v, p, e: v

    def _error(self, message: str) -> Exception:
        return self.options.serialization_error(message)

    def _structure(self, shape: Shape) -> Checker:
        members = [
            (name, lower_first(name), self.checker(member), name in shape.required_members)
            for name, member in shape.members.items()
        ]
        error = self._error

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if not isinstance(value, dict):
                if isinstance(value, list):
                    raise error("Start of list found where not expected")
                raise error("Expected null")
            prefix = path + "." if path else ""
            out = {}
            for name, lname, sub, required in members:
                v = value.get(name)
                if v is None:
                    if required and len(errors) < MAX_ERRORS:
                        errors.append(f"Value null at '{prefix}{lname}' failed to satisfy constraint: Member must not be null")
                    continue
                out[name] = sub(v, prefix + lname, errors)
            # Unknown members are dropped silently, as AWS's JSON services do.
            return out

        return check

    def _sized(self, shape: Shape) -> tuple[int | None, int | None]:
        md = shape.metadata
        return md.get("min"), md.get("max")

    def _list(self, shape: Shape) -> Checker:
        sub = self.checker(shape.member)
        lo, hi = self._sized(shape)
        error = self._error

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if not isinstance(value, list):
                if isinstance(value, dict):
                    raise error("Start of structure or map found where not expected.")
                raise error("Expected list or null")
            out = [sub(v, f"{path}.{i}.member", errors) if v is not None else None for i, v in enumerate(value, 1)]
            _length(value, len(value), lo, hi, path, errors)
            return out

        return check

    def _map(self, shape: Shape) -> Checker:
        key_check = self.checker(shape.key)
        sub = self.checker(shape.value)
        lo, hi = self._sized(shape)
        error = self._error

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if not isinstance(value, dict):
                if isinstance(value, list):
                    raise error("Start of list found where not expected")
                raise error("Expected map or null")
            out = {}
            for k, v in value.items():
                key_check(k, f"{path}.{k}.key", errors)
                out[k] = sub(v, f"{path}.{k}.member", errors) if v is not None else None
            _length(value, len(value), lo, hi, path, errors)
            return out

        return check

    def _string(self, shape: Shape) -> Checker:
        lo, hi = self._sized(shape)
        enum = shape.enum or None
        pattern_src = shape.metadata.get("pattern")
        pattern = None
        if pattern_src:
            try:
                pattern = re.compile(pattern_src)
            except re.error:
                pattern = None
        enum_set = frozenset(enum) if enum else None
        enum_msg = "Member must satisfy enum value set: [" + ", ".join(enum) + "]" if enum else ""
        error = self._error

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if not isinstance(value, str):
                if isinstance(value, bool):
                    raise error("class java.lang.Boolean can not be converted to an String")
                if isinstance(value, (int, float)):
                    raise error(f"class {_java_number_class(value)} can not be converted to an String")
                raise error(_structural(value) or "Expected string")
            if pattern is not None and pattern.fullmatch(value) is None and len(errors) < MAX_ERRORS:
                errors.append(_message(value, path, f"Member must satisfy regular expression pattern: {pattern_src}"))
            if lo is not None or hi is not None:
                _length(value, len(value), lo, hi, path, errors)
            if enum_set is not None and value not in enum_set and len(errors) < MAX_ERRORS:
                errors.append(_message(value, path, enum_msg))
            return value

        return check

    def _number(self, shape: Shape) -> Checker:
        lo, hi = self._sized(shape)
        java = {"integer": "Integer", "long": "Long", "double": "Double", "float": "Float"}[shape.type_name]
        integral = shape.type_name in ("integer", "long")
        error = self._error

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if isinstance(value, bool):
                raise error(f"class java.lang.Boolean can not be converted to an {java}")
            if isinstance(value, str):
                raise error(f"class java.lang.String can not be converted to an {java}")
            if not isinstance(value, (int, float)):
                raise error(_structural(value) or f"Expected {java}")
            if integral and isinstance(value, float):
                value = int(value // 1)
            if lo is not None and value < lo and len(errors) < MAX_ERRORS:
                errors.append(_message(value, path, f"Member must have value greater than or equal to {lo}"))
            if hi is not None and value > hi and len(errors) < MAX_ERRORS:
                errors.append(_message(value, path, f"Member must have value less than or equal to {hi}"))
            return value

        return check

    def _boolean(self) -> Checker:
        error = self._error

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if isinstance(value, bool):
                return value
            if isinstance(value, float):
                return abs(value) >= 1
            if isinstance(value, int):
                raise error(f"class {_java_number_class(value)} can not be converted to an Boolean")
            if isinstance(value, str):
                raise error(f"'{value.upper()}' can not be converted to an Boolean")
            raise error(_structural(value) or "Expected boolean")

        return check

    def _blob(self) -> Checker:
        error = self._error
        decode = self.options.decode_blobs

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if isinstance(value, (bytes, bytearray)):
                return bytes(value)
            if not isinstance(value, str):
                if isinstance(value, bool):
                    raise error("class java.lang.Boolean can not be converted to a Blob")
                if isinstance(value, (int, float)):
                    raise error(f"class {_java_number_class(value)} can not be converted to a Blob")
                raise error(_structural(value) or "Expected blob")
            raw = check_base64(value, error)
            return raw if decode else value

        return check

    def _timestamp(self) -> Checker:
        error = self._error

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if isinstance(value, bool):
                raise error("class java.lang.Boolean can not be converted to a Date")
            if isinstance(value, (int, float)):
                return _dt.datetime.fromtimestamp(value, _dt.timezone.utc)
            if isinstance(value, str):
                try:
                    return parse_timestamp(value)
                except ValueError:
                    raise error(f"'{value}' can not be converted to a Date") from None
            raise error(_structural(value) or "Expected timestamp")

        return check


_B64_BAD = re.compile(r"[^A-Za-z0-9+/=]|=[^=]")


def check_base64(value: str, error: type[Exception] = SerializationException) -> bytes:
    """Decode base64 text strictly, with the messages AWS's JSON services give."""
    if len(value) % 4:
        raise error(
            f"'{value}' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: {len(value)}"
        )
    bad = _B64_BAD.search(value)
    if bad:
        raise error(f"'{value}' can not be converted to a Blob: Invalid Base64 character: '{bad.group(0)[0]}'")
    try:
        raw = base64.b64decode(value, validate=True)
    except binascii.Error:
        raise error(f"'{value}' can not be converted to a Blob: Invalid Base64 character") from None
    if base64.b64encode(raw).decode() != value:
        raise error(f"'{value}' can not be converted to a Blob: Invalid last non-pad Base64 character dectected")
    return raw


def parse_timestamp(value: str) -> _dt.datetime:
    text = value.strip()
    try:
        return _dt.datetime.fromtimestamp(float(text), _dt.timezone.utc)
    except ValueError:
        pass
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = _dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.timezone.utc)
    return parsed


def _message(value: Any, path: str, constraint: str) -> str:
    shown = value_str(value)
    if value is not None:
        shown = f"'{shown}'"
    return f"Value {shown} at '{path}' failed to satisfy constraint: {constraint}"


def _length(value: Any, length: int, lo: int | None, hi: int | None, path: str, errors: list[str]) -> None:
    if lo is not None and length < lo and len(errors) < MAX_ERRORS:
        errors.append(_message(value, path, f"Member must have length greater than or equal to {lo}"))
    if hi is not None and length > hi and len(errors) < MAX_ERRORS:
        errors.append(_message(value, path, f"Member must have length less than or equal to {hi}"))


def raise_collected(errors: list[str], error: type[Exception] = ValidationException) -> None:
    if errors:
        n = len(errors)
        raise error(f"{n} validation error{'s' if n > 1 else ''} detected: " + "; ".join(errors))


def validate(compiler: Compiler, shape: Shape | None, data: Any) -> dict[str, Any]:
    """Check and convert `data` against an input shape; raise the AWS error for the first problem."""
    if shape is None:
        return {}
    if data is None:
        data = {}
    errors: list[str] = []
    out = compiler.checker(shape)(data, "", errors)
    raise_collected(errors, compiler.options.validation_error)
    return out
