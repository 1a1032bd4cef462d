"""What a service is to the server: its botocore model, its protocol and its operations."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[..., Any]  # (ctx: RequestContext, params: dict) -> dict | Awaitable[dict]


@dataclass
class Service:
    name: str  # as the registry and signing scope know it: "dynamodb", "lambda", ...
    protocol: Any  # a protocol object from pocketcloud.protocols
    operations: dict[str, Handler]
    is_async: dict[str, bool] = field(default_factory=dict)
    # Called once when the server starts / stops (background sweeps, worker pools).
    on_startup: list[Callable[..., Any]] = field(default_factory=list)
    on_shutdown: list[Callable[..., Any]] = field(default_factory=list)
    # The error (built from a message) for an operation of the model that pocketcloud does not implement;
    # None: the server's generic 501 NotImplementedException.
    unimplemented: Callable[[str], Exception] | None = None

    def __post_init__(self) -> None:
        self.is_async = {name: inspect.iscoroutinefunction(fn) for name, fn in self.operations.items()}
