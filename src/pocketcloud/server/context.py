"""The per-request context every operation receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pocketcloud.protocols.base import Request

if TYPE_CHECKING:
    from .state import AppState


@dataclass(slots=True)
class RequestContext:
    request_id: str
    account_id: str
    region: str
    access_key: str
    service: str
    operation: str
    request: Request
    state: AppState

    def arn(self, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
        return f"arn:aws:{service}:{self.region if region else ''}:{self.account_id if account else ''}:{resource}"
