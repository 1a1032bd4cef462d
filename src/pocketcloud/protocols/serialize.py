"""Value encoders shared by the protocols: JSON with AWS's conventions for bytes, timestamps and decimals."""

from __future__ import annotations

import base64
import datetime as _dt
import decimal
from email.utils import format_datetime
from typing import Any

import orjson

_OPTS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _json_default(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, _dt.datetime):
        # AWS JSON protocols send timestamps as epoch seconds unless a shape says otherwise.
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return round(value.timestamp(), 3)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_json_default, option=_OPTS)


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)


def iso8601(value: _dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def rfc822(value: _dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    return format_datetime(value.astimezone(_dt.timezone.utc), usegmt=True)
