"""CloudWatch Logs as the server sees it: the json protocol (Logs_20140328) over botocore's model."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from pocketcloud.protocols.json_protocol import JsonProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.services.base import Service

from .model import flush
from .operations import OPERATIONS

PROTOCOL = JsonProtocol(service_model("logs"))


def _after_pending_writes(operation: Callable[[Any, dict[str, Any]], Any]) -> Callable[[Any, dict[str, Any]], Any]:
    """Function log events are written once per event-loop pass (model.PendingEvents): every operation first
    writes what is still pending, so it sees everything a function logged before the call."""

    @functools.wraps(operation)
    def run(ctx: Any, params: dict[str, Any]) -> Any:
        flush(ctx.state)
        return operation(ctx, params)

    return run


SERVICE = Service(name="logs", protocol=PROTOCOL,
                  operations={name: _after_pending_writes(fn) for name, fn in OPERATIONS.items()})
