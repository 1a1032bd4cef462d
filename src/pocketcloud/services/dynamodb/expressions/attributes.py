"""Attribute values in wire form as expressions see them: types, numbers, equality, ordering, document paths.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
Numbers compare as decimals; strings by UTF-8 bytes; binary by raw bytes (base64 text is decoded only here).
"""

from __future__ import annotations

import base64
from decimal import Context, Decimal, InvalidOperation

from pocketcloud.services.dynamodb.errors import ValidationException

# Wide enough that adding two 38-digit numbers of very different magnitude stays exact before the checks.
DECIMALS = Context(prec=400, Emax=999999, Emin=-999999)
SETS = {"SS": "S", "NS": "N", "BS": "B"}


def type_of(value: dict) -> str:
    return next(iter(value))


def number(text: str) -> Decimal:
    try:
        return DECIMALS.create_decimal(text)
    except InvalidOperation:
        raise ValidationException(f"The parameter cannot be converted to a numeric value: {text}") from None


def format_number(value: Decimal) -> str:
    """DynamoDB's canonical text for a number, refusing what it cannot store."""
    if value.is_zero():
        return "0"
    value = value.normalize(DECIMALS)
    if value.adjusted() > 125:
        raise ValidationException("Number overflow. Attempting to store a number with magnitude larger than supported range")
    if value.adjusted() < -130:
        raise ValidationException(
            "Number underflow. Attempting to store a number with magnitude smaller than supported range"
        )
    if len(value.as_tuple().digits) > 38:
        raise ValidationException("Attempting to store more than 38 significant digits in a Number")
    return format(value, "f")


def binary(text: str) -> bytes:
    return base64.b64decode(text)


def _scalar_key(kind: str, raw: str) -> object:
    if kind == "N":
        return number(raw)
    if kind == "B":
        return binary(raw)
    return raw.encode("utf-8")


def equals(left: dict | None, right: dict | None) -> bool:
    if left is None or right is None:
        return False
    kind = type_of(left)
    if kind != type_of(right):
        return False
    a, b = left[kind], right[kind]
    if kind in ("N", "B"):
        return _scalar_key(kind, a) == _scalar_key(kind, b)
    if kind in SETS:
        return {_scalar_key(SETS[kind], x) for x in a} == {_scalar_key(SETS[kind], x) for x in b}
    if kind == "L":
        return len(a) == len(b) and all(equals(x, y) for x, y in zip(a, b))
    if kind == "M":
        return a.keys() == b.keys() and all(equals(a[k], b[k]) for k in a)
    return a == b


def order(left: dict | None, right: dict | None) -> int | None:
    """-1/0/1 for two values of the same orderable type (S, N, B), else None: such comparisons are false."""
    if left is None or right is None:
        return None
    kind = type_of(left)
    if kind not in ("S", "N", "B") or kind != type_of(right):
        return None
    a, b = _scalar_key(kind, left[kind]), _scalar_key(kind, right[kind])
    return (a > b) - (a < b)  # type: ignore[operator]


def set_members(value: dict) -> list:
    kind = type_of(value)
    return [_scalar_key(SETS[kind], x) for x in value[kind]]


def size(value: dict | None) -> int | None:
    """size(): string length in UTF-16 code units, binary length, or element count; None for N, BOOL, NULL.

    UTF-16, not UTF-8: real DynamoDB counts "é\U0001d11e" as 3 (nubo-db/dynamodb-conformance captures), the
    length Java reports for the string.
    """
    if value is None:
        return None
    kind = type_of(value)
    if kind == "S":
        return len(value["S"].encode("utf-16-le", "surrogatepass")) // 2
    if kind == "B":
        return len(binary(value["B"]))
    if kind in SETS or kind in ("L", "M"):
        return len(value[kind])
    return None


def get_path(item: dict | None, parts: tuple) -> dict | None:
    """The value at a resolved document path, or None where any step is missing or of the wrong shape."""
    if not item:
        return None
    current: dict | None = item.get(parts[0])
    for part in parts[1:]:
        if current is None:
            return None
        if isinstance(part, int):
            elements = current.get("L")
            current = elements[part] if elements is not None and part < len(elements) else None
        else:
            members = current.get("M")
            current = members.get(part) if members is not None else None
    return current
