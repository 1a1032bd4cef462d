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

    __slots__ = ("decode_blobs", "serialization_error", "validation_error", "smithy", "namespace", "overrides")

    def __init__(
        self,
        *,
        decode_blobs: bool = True,
        serialization_error: type[Exception] = SerializationException,
        validation_error: type[Exception] = ValidationException,
        smithy: bool = False,
        namespace: str = "",
        overrides: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.decode_blobs = decode_blobs
        self.serialization_error = serialization_error
        self.validation_error = validation_error
        # smithy: the wording of AWS's newer JSON parser (DynamoDB since ~2023): "NUMBER_VALUE cannot be
        # converted to String", "Unexpected field type", "Unrecognized collection type class java.lang.String".
        self.smithy = smithy
        self.namespace = namespace  # Java package of the service's model classes, e.g. com.amazonaws.dynamodb.v20120810
        # Per shape name: constraints the service enforces instead of the published model's
        # (min, max, pattern, enum order; "arn_exempt": values starting with "arn:" skip min/max/pattern).
        self.overrides = overrides or {}


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
    """Compiles botocore shapes into checkers. One Compiler per (service, options).

    A shape is compiled once per context: "field" (a structure member) or "value" (a list element or map
    value), because AWS's newer parser words a wrong JSON type differently in each.
    """

    def __init__(self, options: Options) -> None:
        self.options = options
        self._cache: dict[tuple[str, str], Checker] = {}

    def checker(self, shape: Shape, ctx: str = "field") -> Checker:
        key = (shape.name, ctx)
        found = self._cache.get(key)
        if found is not None:
            return found
        # Recursive shapes (AttributeValue -> M -> AttributeValue) refer back through this trampoline.
        slot: list[Checker] = []
        self._cache[key] = lambda v, p, e: slot[0](v, p, e)
        compiled = self._compile(shape, ctx)
        slot.append(compiled)
        self._cache[key] = compiled
        return compiled

    # -- per type -------------------------------------------------------------------------------------

    def _compile(self, shape: Shape, ctx: str) -> Checker:
        kind = shape.type_name
        if kind == "structure":
            return self._structure(shape, ctx)
        if kind == "list":
            return self._list(shape, ctx)
        if kind == "map":
            return self._map(shape, ctx)
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

    def _meta(self, shape: Shape) -> dict[str, Any]:
        override = self.options.overrides.get(shape.name)
        return {**shape.metadata, **override} if override else shape.metadata

    def java_type(self, shape: Shape, *, bare: bool = False) -> str:
        """The Java type AWS's parser names in "Unrecognized collection type ..." messages."""
        kind = shape.type_name
        if kind == "list":
            return f"java.util.List<{self.java_type(shape.member, bare=True)}>"
        if kind == "map":
            return f"java.util.Map<java.lang.String, {self.java_type(shape.value, bare=True)}>"
        if kind == "structure":
            name = f"{self.options.namespace}.{shape.name}" if self.options.namespace else shape.name
        else:
            name = _JAVA_CLASSES.get(kind, "java.lang.Object")
        return name if bare else "class " + name

    def _wrong_container(self, shape: Shape, value: Any, ctx: str) -> Exception:
        """A structure, list or map given the wrong JSON type (smithy wording)."""
        if isinstance(value, list):
            return self._error("Unrecognized collection type " + self.java_type(shape))
        if isinstance(value, dict):
            return self._error("Start of structure or map found where not expected")
        if ctx == "value" and shape.type_name == "structure":
            return self._error("Unexpected value type in payload")
        if ctx == "value":
            return self._error(_CAST)
        return self._error("Unexpected field type")

    def _structure(self, shape: Shape, ctx: str) -> Checker:
        members = [
            (name, lower_first(name), self.checker(member, "field"), name in shape.required_members)
            for name, member in shape.members.items()
        ]
        error = self._error
        smithy = self.options.smithy
        wrong = self._wrong_container
        # An AttributeValue sets one of its ten members: with one member given and none required, look that
        # one up instead of walking the shape (same result: absent members would be skipped).
        by_name = {m[0]: m for m in members} if not shape.required_members else None
        # Members that are strings without constraints: one of them alone, holding a string, is already the
        # checked form ({"S": "..."}, {"N": "..."}): handed back as it is, no copy, no member path built.
        plain = frozenset(name for name, member in shape.members.items() if self._plain_string(member)) \
            if by_name is not None else frozenset()

        def fast(value: Any) -> bool:
            if type(value) is not dict or len(value) != 1:
                return False
            for name, v in value.items():
                return name in plain and type(v) is str
            return False

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if plain and fast(value):
                return value
            if not isinstance(value, dict):
                if smithy:
                    raise wrong(shape, value, ctx)
                if isinstance(value, list):
                    raise error("Start of list found where not expected")
                raise error("Expected null")
            prefix = path + "." if path else ""
            if by_name is not None and len(value) == 1:
                for name, v in value.items():
                    member = by_name.get(name)
                    if member is None or v is None:
                        return {}
                    return {name: member[2](v, prefix + member[1], errors)}
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

        if plain:
            check.fast = fast  # type: ignore[attr-defined]  # read by _map for its values
        return check

    def _plain_string(self, shape: Shape) -> bool:
        """A string shape with nothing to check (no length, pattern or enum, here or in the overrides)."""
        if shape.type_name != "string":
            return False
        md = self._meta(shape)
        return not (md.get("min") is not None or md.get("max") is not None or md.get("pattern") or md.get("enum")
                    or shape.enum or md.get("arn_exempt"))

    def _sized(self, shape: Shape) -> tuple[int | None, int | None]:
        md = self._meta(shape)
        return md.get("min"), md.get("max")

    def _list(self, shape: Shape, ctx: str) -> Checker:
        sub = self.checker(shape.member, "value")
        lo, hi = self._sized(shape)
        error = self._error
        smithy = self.options.smithy
        wrong = self._wrong_container

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if not isinstance(value, list):
                if smithy:
                    raise wrong(shape, value, ctx)
                if isinstance(value, dict):
                    raise error("Start of structure or map found where not expected.")
                raise error("Expected list or null")
            out = [sub(v, f"{path}.{i}.member", errors) if v is not None else None for i, v in enumerate(value, 1)]
            _length(value, len(value), lo, hi, path, errors)
            return out

        return check

    def _map(self, shape: Shape, ctx: str) -> Checker:
        key_check = self.checker(shape.key, "field")
        sub = self.checker(shape.value, "value")
        lo, hi = self._sized(shape)
        error = self._error
        smithy = self.options.smithy
        wrong = self._wrong_container
        key_rule = self._constraint_rule(shape.key)
        value_rule = self._constraint_rule(shape.value)
        fast = getattr(sub, "fast", None) if value_rule is None else None  # a value already in checked form

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if not isinstance(value, dict):
                if smithy:
                    raise wrong(shape, value, ctx)
                if isinstance(value, list):
                    raise error("Start of list found where not expected")
                raise error("Expected map or null")
            out = {}
            bad_key = bad_value = False
            for k, v in value.items():
                if key_rule is not None:
                    bad_key = bad_key or not key_rule[0](k)
                else:
                    key_check(k, f"{path}.{k}.key", errors)
                if value_rule is not None and v is not None and not value_rule[0](v):
                    # Coral checks a constrained map value as a whole and skips its members.
                    bad_value = True
                    continue
                if fast is not None and fast(v):
                    out[k] = v
                    continue
                out[k] = sub(v, f"{path}.{k}.member", errors) if v is not None else None
            if bad_key and len(errors) < MAX_ERRORS:
                errors.append(_message(value, path, "Map keys must satisfy constraint: " + key_rule[1]))  # type: ignore[index]
            if bad_value and len(errors) < MAX_ERRORS:
                errors.append(_message(value, path, "Map value must satisfy constraint: " + value_rule[1]))  # type: ignore[index]
            _length(value, len(value), lo, hi, path, errors)
            return out

        return check

    def _constraint_rule(self, shape: Shape) -> tuple[Callable[[Any], bool], str] | None:
        """(test, "[constraints]") for a map key/value shape with length or pattern constraints, in Coral's order."""
        if shape.type_name not in ("string", "list"):
            return None
        md = self._meta(shape)
        lo, hi, pattern_src = md.get("min"), md.get("max"), md.get("pattern")
        if lo is None and hi is None and not pattern_src:
            return None
        parts = []
        if hi is not None:
            parts.append(f"Member must have length less than or equal to {hi}")
        if lo is not None:
            parts.append(f"Member must have length greater than or equal to {lo}")
        if pattern_src:
            parts.append(f"Member must satisfy regular expression pattern: {pattern_src}")
        pattern = _compile_pattern(pattern_src)
        arn_exempt = bool(md.get("arn_exempt"))

        def test(v: Any) -> bool:
            if not isinstance(v, (str, list)):
                return True  # the member's own checker reports the wrong type
            if arn_exempt and isinstance(v, str) and v.startswith("arn:"):
                return True
            if lo is not None and len(v) < lo or hi is not None and len(v) > hi:
                return False
            return pattern is None or not isinstance(v, str) or pattern.fullmatch(v) is not None

        return test, "[" + ", ".join(parts) + "]"

    def _string(self, shape: Shape) -> Checker:
        md = self._meta(shape)
        lo, hi = md.get("min"), md.get("max")
        enum = md.get("enum") or shape.enum or None
        pattern_src = md.get("pattern")
        pattern = _compile_pattern(pattern_src)
        arn_exempt = bool(md.get("arn_exempt"))
        enum_set = frozenset(enum) if enum else None
        enum_msg = "Member must satisfy enum value set: [" + ", ".join(enum) + "]" if enum else ""
        error = self._error
        smithy = self.options.smithy

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if not isinstance(value, str):
                if smithy:
                    raise error(_smithy_scalar(value, "String", "class java.lang.String"))
                if isinstance(value, bool):
                    raise error("class java.lang.Boolean can not be converted to an String")
                if isinstance(value, (int, float)):
                    raise error(f"class {_java_number_class(value)} can not be converted to an String")
                raise error(_structural(value) or "Expected string")
            if arn_exempt and value.startswith("arn:"):
                return value
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
        smithy = self.options.smithy

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if smithy and (isinstance(value, (bool, str, list, dict)) or value is None):
                raise error(_smithy_scalar(value, java, f"class java.lang.{java}"))
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
        smithy = self.options.smithy

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if isinstance(value, bool):
                return value
            if smithy:
                if isinstance(value, str):
                    raise error("Unexpected token received from parser")
                raise error(_smithy_scalar(value, "Boolean", "class java.lang.Boolean"))
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
        smithy = self.options.smithy

        def check(value: Any, path: str, errors: list[str]) -> Any:
            if isinstance(value, (bytes, bytearray)):
                return bytes(value)
            if not isinstance(value, str):
                if smithy:
                    if isinstance(value, list):
                        raise error("Unrecognized collection type class java.nio.ByteBuffer")
                    if isinstance(value, dict):
                        raise error("Start of structure or map found where not expected")
                    raise error("only base-64-encoded strings are convertible to bytes")
                if isinstance(value, bool):
                    raise error("class java.lang.Boolean can not be converted to a Blob")
                if isinstance(value, (int, float)):
                    raise error(f"class {_java_number_class(value)} can not be converted to a Blob")
                raise error(_structural(value) or "Expected blob")
            raw = check_base64_smithy(value, error) if smithy else check_base64(value, error)
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


_JAVA_CLASSES = {
    "string": "java.lang.String", "integer": "java.lang.Integer", "long": "java.lang.Long",
    "boolean": "java.lang.Boolean", "blob": "java.nio.ByteBuffer", "double": "java.lang.Double",
    "float": "java.lang.Float", "timestamp": "java.util.Date",
}
# What AWS's newer parser answers when a scalar stands where a list or map is a list element or map value.
_CAST = (
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class "
    "(sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of "
    "loader 'bootstrap')"
)


def _smithy_scalar(value: Any, target: str, java_class: str) -> str:
    """The smithy wording for a JSON value of the wrong type where a scalar `target` was expected."""
    if isinstance(value, bool):
        token = "TRUE_VALUE" if value else "FALSE_VALUE"
    elif isinstance(value, int):
        token = "NUMBER_VALUE"
    elif isinstance(value, float):
        token = "DECIMAL_VALUE"
    elif isinstance(value, str):
        token = "STRING_VALUE"
    elif isinstance(value, list):
        return f"Unrecognized collection type {java_class}"
    elif isinstance(value, dict):
        return "Start of structure or map found where not expected"
    else:
        token = "NULL_VALUE"
    return f"{token} cannot be converted to {target}"


def _compile_pattern(source: str | None) -> re.Pattern[str] | None:
    if not source:
        return None
    try:
        return re.compile(source)
    except re.error:
        return None


def check_base64_smithy(value: str, error: type[Exception] = SerializationException) -> bytes:
    """Strict base64 with the messages of AWS's newer parser (no "'x' can not be converted" prefix)."""
    if len(value) % 4:
        raise error(f"Base64 encoded length is expected a multiple of 4 bytes but found: {len(value)}")
    try:
        raw = base64.b64decode(value, validate=True)
    except binascii.Error:
        raise error("Invalid last non-pad Base64 character dectected") from None
    if base64.b64encode(raw).decode() != value:
        raise error("Invalid last non-pad Base64 character dectected")
    return raw


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
