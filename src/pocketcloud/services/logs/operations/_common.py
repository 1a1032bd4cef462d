"""Helpers shared by the CloudWatch Logs operations: group lookup, tokens, event shapes."""

from __future__ import annotations

import base64
from typing import Any

from pocketcloud.storage.base import LogEvent

from ..errors import InvalidParameterException, group_not_found, stream_not_found
from ..model import scope


def group_name(params: dict[str, Any]) -> str:
    """logGroupName, or the name inside a logGroupIdentifier (a name or an ARN)."""
    name = params.get("logGroupName")
    ident = params.get("logGroupIdentifier")
    if name and ident:
        raise InvalidParameterException("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
    if ident:
        if ident.startswith("arn:"):
            name = ident.split(":log-group:", 1)[-1]
            name = name[:-2] if name.endswith(":*") else name
        else:
            name = ident
    if not name:
        raise InvalidParameterException("Should provide either logGroupName or logGroupIdentifier.")
    return name


def load_group(ctx: Any, name: str) -> dict[str, Any]:
    doc = ctx.state.storage.resources.get(scope(ctx.account_id, ctx.region), "group", name)
    if doc is None:
        raise group_not_found()
    return doc


def load_stream(ctx: Any, group: str, stream: str) -> dict[str, Any]:
    doc = ctx.state.storage.resources.get(scope(ctx.account_id, ctx.region), "stream", f"{group}:{stream}")
    if doc is None:
        raise stream_not_found()
    return doc


def encode_token(prefix: str, position: tuple[int, int]) -> str:
    return f"{prefix}/{position[0]:020d}/{position[1]:020d}"


def decode_token(token: str, prefix: str | None = None) -> tuple[str, tuple[int, int]]:
    try:
        kind, ts, seq = token.split("/")
        if prefix is not None and kind != prefix:
            raise ValueError(token)
        return kind, (int(ts), int(seq))
    except ValueError:
        raise InvalidParameterException("The specified nextToken is invalid.") from None


def opaque_token(position: tuple[int, int]) -> str:
    return base64.urlsafe_b64encode(f"{position[0]}/{position[1]}".encode()).decode()


def read_opaque(token: str) -> tuple[int, int]:
    try:
        ts, seq = base64.urlsafe_b64decode(token.encode()).decode().split("/")
        return int(ts), int(seq)
    except ValueError:
        raise InvalidParameterException("The specified nextToken is invalid.") from None


def event_id(event: LogEvent) -> str:
    return f"{event.seq:056d}"
