"""Invoking a function: resolve name/ARN/qualifier, check the resource policy and reserved concurrency, run it
on the worker pool. Used by Lambda's Invoke, the async event queue, and API Gateway's Lambda integrations.

https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from pocketcloud.functions import FunctionsError, FunctionSpec, InvokeResult, RuntimeNotInstalled, UnsupportedRuntime
from pocketcloud.server.app import new_request_id

from .errors import (
    FunctionNotFound, InvalidRequestContentException, InvalidRuntimeException, PermissionDenied,
    RequestEntityTooLargeException, ServiceException, TooManyRequestsException,
)
from .models import LATEST, FunctionRef, Resolved, is_version, parse_function_name, resolve, scope
from .runtime import get_runtime

log = logging.getLogger(__name__)

__all__ = ["Invocation", "FunctionNotFound", "PermissionDenied", "invoke", "run"]

MAX_RESPONSE = 6291556
SYNC_LIMIT = 6291456
ASYNC_LIMIT = 262144


def check_payload(payload: bytes, limit: int = SYNC_LIMIT, *, known_json: bool = False) -> bytes:
    """The payload as Lambda accepts it: at most `limit` bytes of JSON; empty means {}.

    `known_json`: the caller built the payload with a JSON encoder (API Gateway's proxy event), so only the size
    is checked."""
    if len(payload) > limit:
        raise RequestEntityTooLargeException(f"Request must be smaller than {limit} bytes for the InvokeFunction operation")
    if known_json:
        return payload
    if not payload.strip():
        return b"{}"
    try:
        orjson.loads(payload)  # ~10x faster than json; json decides (and words the error) when orjson refuses
        return payload
    except ValueError:
        pass
    try:
        json.loads(payload, parse_constant=_non_standard)
    except ValueError as e:
        raise InvalidRequestContentException(
            f"Could not parse request body into json: Could not parse payload into json: {e}"
        ) from None
    return payload


def _non_standard(token: str) -> Any:
    # NaN and Infinity are no JSON: Lambda's parser (Jackson) refuses them, in Jackson's words.
    raise ValueError(f"Non-standard token '{token}': enable JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS to allow")


@dataclass(slots=True)
class Invocation:
    status: int
    payload: bytes
    function_error: str | None
    executed_version: str
    result: InvokeResult

    @property
    def log_tail(self) -> str:
        return self.result.log_tail


# -- what an invoke lands on, cached while nothing in Lambda changes ----------------------------------------------

@dataclass
class Target:
    """A resolved (account, region, function, qualifier): the version it runs, its FunctionSpec and the
    resource-policy answers already worked out for it. Valid while the store's "lambda" generation is the same."""

    ref: FunctionRef
    resolved: Resolved
    spec: FunctionSpec | None = None
    permissions: dict[tuple[str, str | None], bool] = field(default_factory=dict)


_CACHE_KEY = "lambda.targets"
_CACHE_MAX = 4096


def _generation(state: Any) -> int | None:
    generation = getattr(state.storage.resources, "generation", None)
    return None if generation is None else generation("lambda")


def resolve_target(state: Any, ref: FunctionRef, *, pick_weighted: bool = False) -> Target:
    """`models.resolve` for the invoke path, without re-reading the function's documents on every invoke.

    Every write of a Lambda document changes the store's generation and empties the cache, so a configuration,
    code, policy or concurrency change is seen by the next invoke. Aliases with weighted routing are resolved
    each time (the version is rolled per invoke).
    """
    generation = _generation(state)
    if generation is None:
        return Target(ref, resolve(state.storage.resources, ref, pick_weighted=pick_weighted))
    held = state.runtime.get(_CACHE_KEY)
    if held is None or held[0] != generation:
        held = state.runtime[_CACHE_KEY] = (generation, {})
    cache: dict[FunctionRef, Target] = held[1]
    target = cache.get(ref)
    if target is None:
        resolved = resolve(state.storage.resources, ref, pick_weighted=pick_weighted)
        target = Target(ref, resolved)
        if _deterministic(state, ref):
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            cache[ref] = target
    return target


def _deterministic(state: Any, ref: FunctionRef) -> bool:
    qualifier = ref.qualifier
    if qualifier is None or qualifier == LATEST or is_version(qualifier):
        return True
    alias = state.storage.resources.get(scope(ref.account, ref.region), "alias", f"{ref.name}:{qualifier}")
    return alias is not None and not (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights")


@functools.lru_cache(maxsize=4096)
def _parse_function_name(function: str, account_id: str, region: str, qualifier: str | None) -> FunctionRef | None:
    try:
        return parse_function_name(function, account_id, region, qualifier)
    except Exception:
        return None


async def invoke(state: Any, *, account_id: str, region: str, function: str, qualifier: str | None, payload: bytes,
                 principal: str | None = None, source_arn: str | None = None, known_json: bool = False,
                 max_wait: float | None = None) -> Invocation:
    """A synchronous (RequestResponse) invoke on behalf of another service (API Gateway); `known_json` as for
    check_payload. `max_wait`: the caller's own deadline in seconds (API Gateway's integration timeout): when it
    is shorter than the function's timeout the invoke is cancelled then (asyncio.TimeoutError); otherwise the
    function's timeout comes first and no timer of its own is set (one less per invoke)."""
    ref = _parse_function_name(function, account_id, region, qualifier)
    if ref is None:
        raise FunctionNotFound(f"Function not found: {function}")
    target = resolve_target(state, ref, pick_weighted=True)
    resolved = target.resolved
    payload = check_payload(payload, known_json=known_json)
    if principal is not None:
        permitted = target.permissions.get((principal, source_arn))
        if permitted is None:
            permitted = target.permissions[(principal, source_arn)] = allowed(
                resolved.function, ref.qualifier, principal, source_arn, ref.account)
        if not permitted:
            raise PermissionDenied(
                f"The principal {principal} is not allowed to invoke {resolved.invoked_arn}"
                + (f" from {source_arn}" if source_arn else "")
            )
    if max_wait is not None and max_wait < float(resolved.config.get("Timeout") or 3):
        async with asyncio.timeout(max_wait):
            result = await run(state, ref, resolved, payload, request_id=new_request_id(), target=target)
    else:
        result = await run(state, ref, resolved, payload, request_id=new_request_id(), target=target)
    return Invocation(200, result.payload, result.function_error, resolved.version, result)


async def run(state: Any, ref: FunctionRef, resolved: Resolved, payload: bytes, *, request_id: str,
              client_context: str | None = None, target: Target | None = None) -> InvokeResult:
    """Run one invoke of a resolved version; raises TooManyRequestsException when reserved concurrency is used up.

    `target` (from resolve_target) keeps the FunctionSpec built for the version across invokes."""
    runtime = get_runtime(state)
    pool = runtime.pool
    reserved = resolved.function.get("concurrency")
    # No await between this check and pool.invoke's own counter increment: the check is atomic on the loop.
    if reserved is not None and pool.in_flight(ref.name) >= reserved:
        raise TooManyRequestsException("Rate Exceeded.", reason="ReservedFunctionConcurrentInvocationLimitExceeded")
    spec = target.spec if target is not None else None
    if spec is None:
        spec = function_spec(ref, resolved)
        if target is not None:
            target.spec = spec
    try:
        result = await pool.invoke(spec, payload, request_id=request_id, client_context=client_context)
    except (UnsupportedRuntime, RuntimeNotInstalled) as e:
        raise InvalidRuntimeException(str(e)) from None
    except FunctionsError as e:
        log.error("%s invoke of %s failed: %s", request_id, ref.name, e)
        raise ServiceException(f"pocketcloud could not run the function: {e}") from None
    if result.function_error is None and len(result.payload) > MAX_RESPONSE:
        result.payload = json.dumps({
            "errorMessage": f"Response payload size exceeded maximum allowed payload size ({MAX_RESPONSE} bytes).",
            "errorType": "Function.ResponseSizeTooLarge",
        }).encode()
        result.function_error = "Unhandled"
    return result


def function_spec(ref: FunctionRef, resolved: Resolved) -> FunctionSpec:
    config = resolved.config
    return FunctionSpec(
        name=ref.name,
        arn=resolved.invoked_arn,
        version=resolved.version,
        runtime=config["Runtime"],
        handler=config["Handler"],
        code_dir=Path(resolved.code_dir),
        code_sha256=config["CodeSha256"],
        timeout=config["Timeout"],
        memory_mb=config["MemorySize"],
        environment=dict((config.get("Environment") or {}).get("Variables") or {}),
        region=ref.region,
        account_id=ref.account,
        log_group=(config.get("LoggingConfig") or {}).get("LogGroup") or f"/aws/lambda/{ref.name}",
    )


def log_result_header(result: InvokeResult) -> str:
    return base64.b64encode(result.log_tail.encode()[-4096:]).decode()


# -- resource policy -------------------------------------------------------------------------------------------

def allowed(function: dict[str, Any], qualifier: str | None, principal: str, source_arn: str | None, account: str) -> bool:
    """Whether the function's (or the qualifier's) resource policy has an Allow statement for this caller."""
    policies = function.get("policies") or {}
    key = "" if qualifier in (None, LATEST) else qualifier
    for statement in (policies.get(key) or {}).get("Statement", []):
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action")
        actions = actions if isinstance(actions, list) else [actions]
        if not any(a in ("lambda:InvokeFunction", "lambda:*", "*") for a in actions):
            continue
        if not _principal_matches(statement.get("Principal"), principal, account):
            continue
        if _conditions_match(statement.get("Condition") or {}, source_arn):
            return True
    return False


def _principal_matches(value: Any, principal: str, account: str) -> bool:
    if value == "*":
        return True
    if isinstance(value, str):
        candidates = [value]
    elif isinstance(value, dict):
        candidates = []
        for v in value.values():
            candidates += v if isinstance(v, list) else [v]
    else:
        return False
    for c in candidates:
        if c in ("*", principal):
            return True
        if re.fullmatch(r"arn:aws:iam::(\d{12}):root", c) and principal in (c, c.split(":")[4]):
            return True
    return False


def _conditions_match(condition: dict[str, Any], source_arn: str | None) -> bool:
    for operator, tests in condition.items():
        for key, expected in tests.items():
            if key.lower() == "aws:sourcearn":
                if source_arn is None:
                    return False
                values = expected if isinstance(expected, list) else [expected]
                if operator in ("ArnLike", "StringLike"):
                    ok = any(arn_like(v, source_arn) for v in values)
                else:
                    ok = source_arn in values
                if not ok:
                    return False
            elif key.lower() == "aws:sourceaccount":
                if source_arn is None:
                    return False
                parts = source_arn.split(":")
                if len(parts) < 5 or parts[4] not in (expected if isinstance(expected, list) else [expected]):
                    return False
    return True


def arn_like(pattern: str, value: str) -> bool:
    return _arn_pattern(pattern).fullmatch(value) is not None


@functools.lru_cache(maxsize=1024)
def _arn_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern), re.DOTALL)
