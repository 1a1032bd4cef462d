"""CloudWatch Logs as the server sees it: the json protocol (Logs_20140328) over botocore's model."""

from __future__ import annotations

from pocketcloud.protocols.json_protocol import JsonProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.services.base import Service

from .operations import OPERATIONS

PROTOCOL = JsonProtocol(service_model("logs"))

SERVICE = Service(name="logs", protocol=PROTOCOL, operations=OPERATIONS)
