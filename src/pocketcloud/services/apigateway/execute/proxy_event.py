"""The Lambda proxy integration (AWS_PROXY, payload format 1.0): the event sent and the response read back.

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
(input format, output format); the malformed-response rules are the ones real API Gateway applies.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple
from urllib.parse import unquote

import orjson

from pocketcloud.services.apigateway.execute.context import InvocationRequest, MatchedRoute

LOG = logging.getLogger(__name__)

INTERNAL_SERVER_ERROR_BODY = b'{"message": "Internal server error"}'

# The only keys a proxy response may hold; anything else makes API Gateway answer 502.
_RESPONSE_KEYS = frozenset({"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"})


class MalformedProxyResponse(Exception):
    """The function's output is not a valid proxy response; the caller answers 502 INTERNAL_SERVER_ERROR_BODY.

    AWS logs "Execution failed due to configuration error: Malformed Lambda proxy response".
    """

    status_code = 502


class ProxyResponse(NamedTuple):
    status_code: int
    headers: list[tuple[str, str]]
    body: bytes


def is_binary_media_type(content_type: str | None, binary_media_types: Sequence[str]) -> bool:
    """Whether a Content-Type matches one of the API's binaryMediaTypes (`*/*` and `image/*` wildcards)."""
    if not content_type or not binary_media_types:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    main, _, sub = mime.partition("/")
    for candidate in binary_media_types:
        cand_main, _, cand_sub = candidate.strip().lower().partition("/")
        if cand_main in ("*", main) and cand_sub in ("*", sub):
            return True
    return False


def build_identity(request: InvocationRequest) -> dict[str, Any]:
    """`requestContext.identity`; `apiKey` and `apiKeyId` only for a request let in with an API key (a method
    with apiKeyRequired), in the places AWS's events have them."""
    identity: dict[str, Any] = {"cognitoIdentityPoolId": None, "accountId": None, "cognitoIdentityId": None,
                                "caller": None}
    if request.api_key is not None:
        identity["apiKey"] = request.api_key[0]
    identity.update(sourceIp=request.source_ip, principalOrgId=None, accessKey=None, cognitoAuthenticationType=None,
                    cognitoAuthenticationProvider=None, userArn=None)
    if request.api_key is not None:
        identity["apiKeyId"] = request.api_key[1]
    identity.update(userAgent=request.effective_user_agent, user=None)
    return identity


def build_request_context(request: InvocationRequest, route: MatchedRoute, path: str | None = None) -> dict[str, Any]:
    """`requestContext` of the proxy event; the same values back `$context` in mapping templates. `path`: the
    request's path decoded, when the caller has it."""
    context: dict[str, Any] = {
        "resourceId": route.resource_id,
        "resourcePath": route.resource_path,
        "httpMethod": request.http_method,
        "extendedRequestId": request.extended_request_id,
        "requestTime": request.effective_request_time,
        "path": f"/{request.stage}{unquote(request.path) if path is None else path}",
        "accountId": request.account_id,
        "protocol": request.protocol,
        "stage": request.stage,
        "domainPrefix": request.domain_prefix,
        "requestTimeEpoch": request.request_time_epoch,
        "requestId": request.request_id,
        "identity": build_identity(request),
        "domainName": request.domain_name,
    }
    if request.deployment_id is not None:
        context["deploymentId"] = request.deployment_id
    context["apiId"] = request.api_id
    if route.authorizer is not None:
        context["authorizer"] = dict(route.authorizer)
    return context


def flat_request_context(request: InvocationRequest, route: MatchedRoute) -> dict[str, str]:
    """`$context` as flat "a.b" names → text, as access log formats and `context.*` parameter mappings read it:
    nested maps flattened, other values stringified as JSON (`true`, `1`), as API Gateway documents for
    `$context.authorizer.*`."""
    out: dict[str, str] = {}
    _flatten("", build_request_context(request, route), out)
    return out


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _flatten(f"{prefix}{key}.", inner, out)
    elif value is not None:
        out[prefix[:-1]] = value if isinstance(value, str) else json.dumps(value)


def _single_and_multi(pairs: Sequence[tuple[str, str]]) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    if not pairs:
        return None, None
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in pairs:
        single[name] = value  # the last value wins, as on AWS
        multi.setdefault(name, []).append(value)
    return single, multi


def _headers(request: InvocationRequest) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    # Header names group case-insensitively; the first spelling seen is the one the function sees.
    if not request.headers:
        return None, None
    spelling: dict[str, str] = {}
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in request.headers:
        lowered = name.lower()
        first = spelling.get(lowered)
        if first is None:
            first = spelling[lowered] = name
            multi[first] = [value]
        else:
            multi[first].append(value)
        single[first] = value  # the last value wins, as on AWS
    return single, multi


def build_proxy_event(
    request: InvocationRequest, route: MatchedRoute, binary_media_types: Sequence[str] = ()
) -> dict[str, Any]:
    """The event API Gateway sends to a Lambda proxy integration (payload format 1.0)."""
    headers, multi_headers = _headers(request)
    query, multi_query = _single_and_multi(request.query)
    body: str | None = None
    is_base64 = False
    if request.body:
        if binary_media_types and is_binary_media_type(request.content_type, binary_media_types):
            body, is_base64 = base64.b64encode(request.body).decode("ascii"), True
        else:
            body = request.body.decode("utf-8", errors="replace")
    path = request.path
    if "%" in path:
        path = unquote(path)
    return {
        "resource": route.resource_path,
        "path": path,
        "httpMethod": request.http_method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": dict(route.path_parameters) if route.path_parameters else None,
        "stageVariables": dict(route.stage_variables) if route.stage_variables else None,
        "requestContext": build_request_context(request, route, path),
        "body": body,
        "isBase64Encoded": is_base64,
    }


def _header_value(value: Any) -> str:
    # API Gateway accepts strings and booleans (written true/false); numbers, objects and nulls are malformed.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    raise MalformedProxyResponse(f"header value must be a string, got {type(value).__name__}")


def _status_code(value: Any) -> int:
    if value is None:
        return 200
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise MalformedProxyResponse("statusCode must be a number")
    try:
        status = int(value)
    except (ValueError, OverflowError):  # "abc", NaN, 1e400
        raise MalformedProxyResponse(f"statusCode is not a number: {value!r}") from None
    if not 100 <= status <= 599:  # no HTTP status line could carry it
        raise MalformedProxyResponse(f"statusCode is not an HTTP status: {value!r}")
    return status


def _response_headers(response: dict[str, Any]) -> list[tuple[str, str]]:
    single = response.get("headers")
    multi = response.get("multiValueHeaders")
    if single is not None and not isinstance(single, dict):
        raise MalformedProxyResponse("headers must be an object")
    if multi is not None and not isinstance(multi, dict):
        raise MalformedProxyResponse("multiValueHeaders must be an object")
    result: list[tuple[str, str]] = []
    overridden: set[str] = set()
    for name, values in (multi or {}).items():
        if not isinstance(values, list):
            raise MalformedProxyResponse("multiValueHeaders values must be lists")
        overridden.add(name.lower())
        result.extend((name, _header_value(value)) for value in values)
    # For a name in both maps only the multiValueHeaders values remain (documented merge rule).
    merged = [(name, _header_value(value)) for name, value in (single or {}).items() if name.lower() not in overridden]
    return merged + result


def _body(response: dict[str, Any]) -> bytes:
    body = response.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise MalformedProxyResponse("body must be a string")
    # Jackson on AWS's side coerces "true" into a boolean, so the string form is accepted too.
    if response.get("isBase64Encoded") in (True, "true"):
        try:
            return base64.b64decode(body, validate=False)
        except (binascii.Error, ValueError):
            raise MalformedProxyResponse("body is not valid base64") from None
    return body.encode("utf-8")


def parse_proxy_response(payload: bytes) -> ProxyResponse:
    """Read a function's proxy response; raise MalformedProxyResponse where API Gateway answers 502.

    Every key is optional (statusCode defaults to 200, `{}` is an empty 200) but no other key is allowed.
    """
    try:
        response = orjson.loads(payload)
    except orjson.JSONDecodeError:  # json decides what orjson refuses (NaN, huge integers, UTF-16 ...)
        try:
            response = json.loads(payload)
        except (ValueError, UnicodeDecodeError, RecursionError):  # (nested deeper than json can read)
            raise MalformedProxyResponse("output is not JSON") from None
    if not isinstance(response, dict):
        raise MalformedProxyResponse("output is not a JSON object")
    for key in response:
        if key not in _RESPONSE_KEYS:
            raise MalformedProxyResponse(f"unknown keys: {sorted(response.keys() - _RESPONSE_KEYS)}")
    status = response.get("statusCode")
    if type(status) is not int or not 100 <= status <= 599:  # (the usual case checked first: a plain number)
        status = _status_code(status)
    headers = _response_headers(response) if "headers" in response or "multiValueHeaders" in response else []
    body = response.get("body")
    if type(body) is str and "isBase64Encoded" not in response:
        body = body.encode("utf-8")
    else:
        body = _body(response)
    return ProxyResponse(status, headers, body)
