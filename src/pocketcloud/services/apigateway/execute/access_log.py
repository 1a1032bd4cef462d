"""Access logs per stage: a stage's accessLogSettings (a format of `$context` variables and a CloudWatch Logs group
ARN) become one log event per request served by that stage.

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html and the `$context`
variables for access logging (api-gateway-variables-for-access-logging.html): `$context.x` or `${context.x}`,
a variable without a value is written as `-`. Only CloudWatch Logs destinations are written (not Firehose).
The access-log-only variables come from the request's IntegrationTrace (`integration.*`, `integrationLatency`,
`integrationStatus`, `awsEndpointRequestId`) and the GatewayError answered (`error.*`); `authorizer.latency`,
`authorize.*`, `waf*` and `xrayTraceId` have no value here (`-`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pocketcloud.services.logs.model import write_events

from .context import InvocationRequest, MatchedRoute
from .errors import GatewayError
from .proxy_event import flat_request_context

# `${context.a.b}` or `$context.a.b` (a trailing "." ends the sentence, not the name).
_VARIABLE = re.compile(r"\$\{context\.([A-Za-z0-9_.-]+)\}|\$context\.([A-Za-z0-9_.-]*[A-Za-z0-9_-])")
_LOG_GROUP_ARN = re.compile(r"^arn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(?::\*)?$")

SINGLE_LINE = "Access Log format must be single line, new line character is allowed only at end of the format"
NEEDS_REQUEST_ID = "Access Log format must include either $context.requestId or $context.extendedRequestId"


def variables(format_: str) -> list[str]:
    """The `$context` variable names a format uses, in order."""
    return [m.group(1) or m.group(2) for m in _VARIABLE.finditer(format_)]


def format_problem(format_: str) -> str | None:
    """Why UpdateStage refuses this format (AWS's words), or None."""
    if "\n" in format_.removesuffix("\n") or "\r" in format_.removesuffix("\n"):
        return SINGLE_LINE
    if not {"requestId", "extendedRequestId"} & set(variables(format_)):
        return NEEDS_REQUEST_ID
    return None


@dataclass(frozen=True)
class AccessLog:
    """A stage's compiled access log: where lines go and the format split into literals and variable names."""

    account: str
    region: str
    group: str
    stream: str
    parts: tuple[tuple[str, str | None], ...]  # (literal text, variable name after it or None)

    def line(self, values: Mapping[str, str]) -> str:
        out: list[str] = []
        for literal, name in self.parts:
            out.append(literal)
            if name is not None:
                value = values.get(name)
                out.append("-" if value is None or value == "" else value)
        return "".join(out).removesuffix("\n")


def compile_access_log(api_id: str, stage: Mapping[str, Any]) -> AccessLog | None:
    """The stage's AccessLog, or None when it has no complete CloudWatch Logs access log settings."""
    settings = stage.get("accessLogSettings") or {}
    arn, format_ = settings.get("destinationArn"), settings.get("format")
    m = _LOG_GROUP_ARN.match(arn or "")
    if m is None or not format_:
        return None
    parts: list[tuple[str, str | None]] = []
    at = 0
    for v in _VARIABLE.finditer(format_):
        parts.append((format_[at:v.start()], v.group(1) or v.group(2)))
        at = v.end()
    parts.append((format_[at:], None))
    # One stream per stage, named by a hash as API Gateway names its streams.
    stream = hashlib.md5(f"{api_id}/{stage['stageName']}".encode(), usedforsecurity=False).hexdigest()
    return AccessLog(m.group(2), m.group(1), m.group(3), stream, tuple(parts))


def context_values(request: InvocationRequest, route: MatchedRoute | None) -> dict[str, str]:
    """`$context` as flat "a.b" names → text, what an access log format reads (no resource when nothing matched)."""
    out = flat_request_context(request, route or MatchedRoute("", ""))
    if route is None:
        del out["resourceId"], out["resourcePath"]
    return out


def write(state: Any, access_log: AccessLog, request: InvocationRequest, route: MatchedRoute | None, *,
          status: int, response_length: int, latency_ms: float, failure: GatewayError | None = None) -> None:
    """Append the request's access log line to the stage's log group."""
    values = context_values(request, route)
    values["status"] = str(status)
    values["responseLength"] = str(response_length)
    values["responseLatency"] = str(int(latency_ms))
    trace = request.integration
    if trace is not None:
        values["integrationLatency"] = values["integration.latency"] = str(trace.latency_ms)
        if trace.status is not None:
            values["integration.status"] = str(trace.status)
        if trace.service_status is not None:
            values["integrationStatus"] = values["integration.integrationStatus"] = str(trace.service_status)
        if trace.request_id:
            values["integration.requestId"] = values["awsEndpointRequestId"] = trace.request_id
        if trace.error:
            values["integration.error"] = trace.error
    if failure is not None:
        for name, value in failure.context_values.items():
            values["error." + name] = value
    write_events(state, access_log.account, access_log.region, access_log.group, access_log.stream,
                 [(request.request_time_epoch, access_log.line(values))])
