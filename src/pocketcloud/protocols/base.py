"""The request and response objects every protocol reads and writes (no service logic here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl


@dataclass(slots=True)
class Request:
    """One HTTP request as the server received it. Header names are lower-case."""

    method: str
    path: str  # URL-decoded path
    raw_path: str  # as sent, percent-encoded
    query_string: str
    headers: dict[str, str]
    body: bytes
    client: str = "127.0.0.1"
    header_list: list[tuple[str, str]] = field(default_factory=list)  # every header, in order, original case

    _query: list[tuple[str, str]] | None = None

    @property
    def query(self) -> list[tuple[str, str]]:
        if self._query is None:
            self._query = parse_qsl(self.query_string, keep_blank_values=True)
        return self._query

    def query_dict(self) -> dict[str, str]:
        return dict(self.query)


@dataclass(slots=True)
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Extra headers that may repeat (e.g. Set-Cookie, multiValueHeaders from API Gateway).
    extra_headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class ParsedRequest:
    """What a protocol parser hands to the dispatcher: the operation and its input parameters."""

    operation: str
    params: dict[str, Any]
