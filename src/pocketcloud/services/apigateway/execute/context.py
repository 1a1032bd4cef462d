"""What the data plane knows about one REST API invocation: the incoming request and the matched route.

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
($context variables) and the Lambda proxy input format (set-up-lambda-proxy-integrations.html).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MultiDict = tuple[tuple[str, str], ...]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_last_time: tuple[int, str] = (-1, "")  # (second, its text): requests come many per second


def format_request_time(epoch_ms: int) -> str:
    """CLF time as API Gateway writes `$context.requestTime`: `21/Nov/2026:11:00:00 +0000` (always UTC)."""
    global _last_time
    second = epoch_ms // 1000
    if _last_time[0] == second:
        return _last_time[1]
    t = time.gmtime(second)
    text = f"{t.tm_mday:02d}/{_MONTHS[t.tm_mon - 1]}/{t.tm_year}:{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000"
    _last_time = (second, text)
    return text


def now_epoch_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(slots=True)
class InvocationRequest:
    """One incoming request, as the HTTP layer parsed it.

    `path` is the raw (still percent-encoded) path after the stage, starting with "/".
    `headers` and `query` are multi-dicts in arrival order: (name, value) pairs, names as sent.
    `request_time`, when empty, is derived from `request_time_epoch` (milliseconds).
    """

    http_method: str
    path: str
    headers: MultiDict = ()
    query: MultiDict = ()
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    user_agent: str | None = None
    protocol: str = "HTTP/1.1"
    api_id: str = ""
    stage: str = ""
    account_id: str = "000000000000"
    domain_name: str = ""
    request_id: str = ""
    extended_request_id: str = ""
    request_time: str = ""
    request_time_epoch: int = 0
    deployment_id: str | None = None
    # What the chain matched, its authorizer context included, once it has (execute/chain.execute), and what the
    # integration did (chain.integrate): the access log reads both after the response.
    route: MatchedRoute | None = None
    integration: IntegrationTrace | None = None
    # (value, id) of the API key method_request.check_api_key let the request in with: $context.identity.apiKey/Id.
    api_key: tuple[str, str] | None = None

    def header(self, name: str) -> str | None:
        """Last value of a header, name compared case-insensitively (what API Gateway passes on)."""
        lowered = name.lower()
        found = None
        for key, value in self.headers:
            if key.lower() == lowered:
                found = value
        return found

    @property
    def content_type(self) -> str | None:
        return self.header("content-type")

    @property
    def effective_user_agent(self) -> str | None:
        return self.user_agent if self.user_agent is not None else self.header("user-agent")

    @property
    def effective_request_time(self) -> str:
        return self.request_time or format_request_time(self.request_time_epoch)

    @property
    def domain_prefix(self) -> str:
        return self.domain_name.split(".", 1)[0]


@dataclass(slots=True)
class IntegrationTrace:
    """What the integration step did: `$context.integration.*`, `$context.integrationLatency`,
    `$context.integrationStatus` and `$context.awsEndpointRequestId` in access logs, and TestInvokeMethod's log.

    `status`: what the backend answered — for a Lambda proxy integration the statusCode the function returned, for
    other Lambda integrations Lambda's own status. `service_status`: for Lambda, Lambda's own status (200 even when
    the function failed), for other backends the same as `status`. `request_id`: Lambda's request id.
    """

    latency_ms: int
    status: int | None = None
    service_status: int | None = None
    request_id: str | None = None
    error: str | None = None


@dataclass(slots=True)
class MatchedRoute:
    """The resource and method the router chose, plus everything the stage contributes.

    `path_parameters` are URL-decoded; `authorizer` is the authorizer's context (for Cognito: {"claims": {...}}),
    or None when the method has no authorizer.
    """

    resource_id: str
    resource_path: str
    path_parameters: Mapping[str, str] = field(default_factory=dict)
    stage_variables: Mapping[str, str] = field(default_factory=dict)
    authorizer: Mapping[str, Any] | None = None
