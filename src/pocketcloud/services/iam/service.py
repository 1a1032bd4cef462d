"""IAM as the server sees it: the query protocol over botocore's model. Global: stored with region "".

Not enforced: pocketcloud keeps roles, policies, users and keys, but allows every call (docs/iam.md).
"""

from __future__ import annotations

from pocketcloud.protocols.query import QueryProtocol
from pocketcloud.protocols.specs import service_model
from pocketcloud.services.base import Service

from .operations import OPERATIONS
from .operations.users import register_keys

PROTOCOL = QueryProtocol(service_model("iam"))

SERVICE = Service(name="iam", protocol=PROTOCOL, operations=OPERATIONS, on_startup=[register_keys])
