"""Patch operations (`--patch-operations op=replace,path=/name,value=x`) applied as API Gateway applies them.

Follows https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html: JSON-Pointer-like paths where
`~1` stands for `/` and `~0` for `~`; `add`, `remove`, `replace`, `copy` (from → path) and `move`. Values arrive
as strings and are converted to the type the field already has (or the type declared for it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
import math
from typing import Any

from .errors import BadRequestException

# How a patch path maps to the document: returns (container keys..., final key) or raises.
PathMapper = Callable[[list[str]], list[str]]

_BOOL_WORDS = {"true": True, "false": False}
_INT_RANGE = (-(2**31), 2**31 - 1)  # AWS's integer members are Java ints
BAD_OPERATION = "Invalid patch operation specified. Must be one of: [add, remove, move, test, replace, copy]"


def decode(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def split_path(path: str) -> list[str]:
    if not path or not path.startswith("/"):
        raise BadRequestException(f"Invalid patch path {path}")
    return [decode(part) for part in path[1:].split("/")]


def operations_of(operations: Any) -> list[Mapping[str, Any]]:
    """The patch operations of a request; a null element (the model lets one through) is a bad operation."""
    out = list(operations or ())
    if not all(isinstance(op, Mapping) for op in out):
        raise BadRequestException(BAD_OPERATION)
    return out


def simple_operation(op: Mapping[str, Any]) -> tuple[str, str, list[str], Any]:
    """(op, path, split path, value) of a patch operation on a resource that takes only add, remove and replace
    (stages, API keys, usage plans): a bad path is refused first, then any other op."""
    kind = (op.get("op") or "").lower()
    path = op.get("path") or ""
    parts = split_path(path)
    if kind not in ("add", "remove", "replace"):
        raise BadRequestException("Invalid patch operation specified. Must be one of: [add, remove, replace]")
    return kind, path, parts, op.get("value")


def unsupported(path: str, kind: str) -> BadRequestException:
    return BadRequestException(f"Invalid patch path '{path}' specified for op '{kind}'. Please choose supported operations")


def convert_value(value: Any, like: Any, kind: str | None) -> Any:
    """A patch value as the member's type ("bool", "int", "float", "str"; None: like `like`), or AWS's 400.
    Operations that read their own paths (stages, API keys, usage plans) call it too."""
    if value is None:
        return None
    target = kind or (type(like).__name__ if like is not None else "str")
    if target == "bool":
        word = str(value).lower()
        if word not in _BOOL_WORDS:
            raise BadRequestException(f"Invalid value for boolean: {value}")
        return _BOOL_WORDS[word]
    if target == "int":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise BadRequestException(f"Invalid value for integer: {value}") from None
        if not _INT_RANGE[0] <= number <= _INT_RANGE[1]:
            raise BadRequestException(f"Invalid value for integer: {value}")
        return number
    if target == "float":
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise BadRequestException(f"Invalid value for double: {value}") from None
        if not math.isfinite(number):
            raise BadRequestException(f"Invalid value for double: {value}")
        return number
    if target == "str" and not isinstance(value, str):
        # Only `copy`/`move` can bring a non-string here (from a boolean, number or object member).
        if isinstance(value, (dict, list)):
            raise BadRequestException(f"Invalid value for string: {value}")
        return str(value).lower() if isinstance(value, bool) else str(value)
    return value


def apply_patches(
    doc: dict[str, Any],
    operations: Sequence[Mapping[str, Any]] | None,
    *,
    allowed: Mapping[str, str | None],
    maps: Sequence[str] = (),
    lists: Sequence[str] = (),
    mapper: PathMapper | None = None,
    required: Sequence[str] = (),
) -> dict[str, Any]:
    """Apply patch operations to `doc` in place.

    `allowed`: top-level fields that may be patched → type ("bool", "int", "float", "str" or None = as is).
    `maps`: fields that are string maps addressed as /field/key. `lists`: string lists addressed /field/value.
    `mapper` rewrites a split path first (e.g. stage method settings) and returns the split path to apply.
    `required`: fields that may be replaced but not removed (nor moved away).
    """
    for op in operations_of(operations):
        kind = (op.get("op") or "").lower()
        path = op.get("path") or ""
        parts = split_path(path)
        if mapper is not None:
            parts = mapper(parts)
        if kind in ("remove", "move") and len(parts) == 1 and parts[0] in required:
            raise unsupported(path, kind)
        if kind in ("copy", "move"):
            source = split_path(op.get("from") or "")
            if kind == "move" and len(source) == 1 and source[0] in required:
                raise unsupported(op.get("from") or "", kind)
            value = _read(doc, source, path)
            if kind == "move":
                _write(doc, source, None, "remove", allowed, maps, lists, path)
            _write(doc, parts, value, "add", allowed, maps, lists, path)
        elif kind in ("add", "replace", "remove"):
            _write(doc, parts, op.get("value"), kind, allowed, maps, lists, path)
        else:
            raise BadRequestException(BAD_OPERATION)
    return doc


def _read(doc: dict[str, Any], parts: list[str], path: str) -> Any:
    value: Any = doc
    for part in parts:
        if not isinstance(value, dict) or part not in value:
            raise BadRequestException(f"Invalid patch path {path}")
        value = value[part]
    return value


def _write(
    doc: dict[str, Any], parts: list[str], value: Any, kind: str,
    allowed: Mapping[str, str | None], maps: Sequence[str], lists: Sequence[str], path: str,
) -> None:
    field = parts[0]
    if field in maps and len(parts) >= 2:
        key = "/".join(parts[1:])
        target = doc.get(field)
        if target is None:
            target = doc[field] = {}
        if kind == "remove":
            if key not in target:
                raise BadRequestException(f"Cannot remove property {key} from {field}, it doesn't exist")
            del target[key]
        else:
            # A map's entries are strings: `copy`/`move` may bring an object, list, number or boolean here.
            target[key] = convert_value(value, None, "str")
        return
    if field in lists and len(parts) >= 2:
        item = "/".join(parts[1:])
        target_list = doc.get(field)
        if target_list is None:
            target_list = doc[field] = []
        if kind == "remove":
            if item in target_list:
                target_list.remove(item)
        elif kind == "replace" and value is not None:
            target_list[:] = [value if x == item else x for x in target_list]
        elif item not in target_list:
            target_list.append(item)
        return
    if len(parts) != 1 or field not in allowed:
        raise BadRequestException(f"Invalid patch path {path}")
    if kind == "remove":
        doc.pop(field, None)
    else:
        doc[field] = convert_value(value, doc.get(field), allowed[field])
