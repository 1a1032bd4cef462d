"""Every service pocketcloud serves, and how a request is recognised as being for it.

Services are imported on first use so that startup stays fast. To add a service: write
`services/<name>/service.py` with a module-level `SERVICE = Service(...)` and list it here.
"""

from __future__ import annotations

import importlib
import threading

from .base import Service

# service name -> module defining SERVICE
SERVICES: dict[str, str] = {
    "dynamodb": "pocketcloud.services.dynamodb.service",
    "dynamodbstreams": "pocketcloud.services.dynamodbstreams.service",
    "lambda": "pocketcloud.services.lambda_.service",
    "logs": "pocketcloud.services.logs.service",
    "iam": "pocketcloud.services.iam.service",
    "sts": "pocketcloud.services.sts.service",
    "apigateway": "pocketcloud.services.apigateway.service",
}

# Services whose startup hooks resume work left from before a restart (queued Lambda events, issued access
# keys): the server starts them in the background right after it starts listening, not on their first request.
RESUME_AT_START: tuple[str, ...] = ("iam", "sts", "lambda")

# X-Amz-Target prefix -> service
TARGET_PREFIXES: dict[str, str] = {
    "DynamoDB_20120810": "dynamodb",
    "DynamoDBStreams_20120810": "dynamodbstreams",
    "Logs_20140328": "logs",
    "AWSCognitoIdentityProviderService": "cognito-idp",
    "AWSCognitoIdentityService": "cognito-identity",
}

# SigV4 signing name -> service, where they differ or are shared
SIGNING_NAMES: dict[str, str] = {
    "execute-api": "apigateway",
}

_loaded: dict[str, Service] = {}
_lock = threading.Lock()


def get(name: str) -> Service | None:
    service = _loaded.get(name)
    if service is not None:
        return service
    module = SERVICES.get(name)
    if module is None:
        return None
    with _lock:
        if name not in _loaded:
            _loaded[name] = importlib.import_module(module).SERVICE
    return _loaded[name]


def loaded() -> list[Service]:
    return list(_loaded.values())
