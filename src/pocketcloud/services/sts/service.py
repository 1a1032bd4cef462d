"""STS as the server sees it: the query protocol over botocore's model."""

from __future__ import annotations

from pocketcloud.protocols.query import QueryProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.services.base import Service

from .operations import OPERATIONS
from .sessions import register_sessions

PROTOCOL = QueryProtocol(service_model("sts"))

SERVICE = Service(name="sts", protocol=PROTOCOL, operations=OPERATIONS, on_startup=[register_sessions])
