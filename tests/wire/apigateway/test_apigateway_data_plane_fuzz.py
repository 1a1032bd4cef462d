"""Odd requests against REAL deployed APIs answer as AWS could, never with a traceback, and lose nothing.

test_apigateway_bad_input_stateful.py does this for the control plane. Here one REST API is built for real with
the data plane's newer features — gateway responses (templates over every $context / $input / $util variable,
broken VTL, header parameters from every source form, status overrides), request validators (required
parameters; bodies against draft-4 models with patterns, oneOf/anyOf/not, enums of objects, $refs between models
and a recursive one), API keys in usage plans with quotas — and a Lambda proxy method. Then, round after round,
the control plane is changed in odd-but-accepted ways (a random gateway response, a random model on a validated
method), the API deployed again, and raw HTTP requests sent over sockets: odd methods, percent-encoded and
non-UTF-8 paths, blank and repeated query parameters and x-api-key headers, Content-Types with parameters, Accept
headers of every shape, and bodies that are empty, huge, invalid UTF-8, deeply nested, with duplicate keys or
numbers like 1e400. Every answer must have a status AWS could send, a 5xx only AWS's `{"message": ...}` shape, no
traceback in it; clean JSON bodies must be judged by the model as jsonschema judges them; keys must let in (and
count) exactly what the usage plan says; the server's log must hold no traceback; and afterwards the control
plane must read back as the last write left it.

Seeded: the same requests every run. FUZZ_N is the number of rounds (default 8, ~1,000 requests each),
FUZZ_RANDOM=1 picks a new seed (printed on failure) for longer local runs, FUZZ_SEED=n replays one.
"""

from __future__ import annotations

import collections
import json
import os
import random
import re
import socket
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from apigw_support import allow_apigateway, lambda_uri, root_id

ROUNDS = int(os.environ.get("FUZZ_N", 8))
SEED = int(os.environ.get("FUZZ_SEED") or (random.randrange(2**32) if os.environ.get("FUZZ_RANDOM") else 20261121))
REQUESTS_PER_ROUND = 900
MODEL_URL = "https://apigateway.amazonaws.com/restapis/{api}/models/{name}"

HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Statuses API Gateway itself sends (besides those an API's gateway responses and integrations set).
GATEWAY_STATUSES = {400, 403, 404, 413, 415, 429, 500, 502, 504}
ECHO = '''import json


def handler(event, context):
    mode = (event.get("headers") or {}).get("x-mode")
    if mode == "raise":
        raise ValueError("asked to fail")
    if mode == "bad":
        return {"statusCode": "abc", "nope": 1}
    if mode == "status":  # whatever the request asks for: 1e400, 99999, -1, "x", null ...
        return {"statusCode": json.loads(event["headers"]["x-status"]), "body": "s"}
    keep = ("resource", "path", "httpMethod", "pathParameters", "queryStringParameters",
            "multiValueQueryStringParameters", "isBase64Encoded", "stageVariables")
    out = {k: event.get(k) for k in keep}
    out["bodyLength"] = len(event.get("body") or "")
    out["identity"] = event["requestContext"]["identity"].get("apiKeyId")
    return {"statusCode": 200, "headers": {"X-Echo": "1"}, "body": json.dumps(out)}
'''

# ---------------------------------------------------------------------------------------------- raw HTTP


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in reversed(self.headers) if k.lower() == name.lower()), None)


def _read_answer(sock: socket.socket, head_only: bool) -> Answer:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"connection closed before the head: {data[:200]!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:]]
    answer = Answer(status, headers, b"")  # type: ignore[arg-type]
    if head_only or status in (204, 304):
        return answer
    length = answer.header("content-length")
    if length is not None:
        while len(rest) < int(length):
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        answer.body = rest[:int(length)]
        return answer
    if (answer.header("transfer-encoding") or "").lower() == "chunked":
        body = b""
        while True:
            while b"\r\n" not in rest:
                rest += sock.recv(65536)
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                rest += sock.recv(65536)
            body, rest = body + rest[:size], rest[size + 2:]
            if size == 0:
                break
        answer.body = body
        return answer
    while chunk := sock.recv(65536):
        rest += chunk
    answer.body = rest
    return answer


def send_raw(port: int, method: str, target: bytes, headers: list[tuple[str, bytes]], body: bytes,
             *, chunked: bool = False) -> Answer:
    lines = [method.encode("latin-1") + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1:%d" % port,
             b"Connection: close"]
    lines += [name.encode("latin-1") + b": " + value for name, value in headers]
    if chunked:
        lines.append(b"Transfer-Encoding: chunked")
        payload = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:7], body[7:]) if part) + b"0\r\n\r\n"
    else:
        lines.append(b"Content-Length: %d" % len(body))
        payload = body
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered (a 400 for a request line httptools refuses) before reading everything
        return _read_answer(sock, head_only=method == "HEAD")


# ---------------------------------------------------------------------------------------------- generators

CONTEXT_VARIABLES = (
    "accountId", "apiId", "authorizer.principalId", "authorizer.claims", "awsEndpointRequestId", "deploymentId",
    "domainName", "domainPrefix", "error.message", "error.messageString", "error.responseType",
    "error.validationErrorString", "extendedRequestId", "httpMethod", "identity.accountId", "identity.apiKey",
    "identity.apiKeyId", "identity.caller", "identity.sourceIp", "identity.user", "identity.userAgent",
    "identity.userArn", "identity.cognitoIdentityId", "path", "protocol", "requestId", "requestOverride.header",
    "requestTime", "requestTimeEpoch", "resourceId", "resourcePath", "stage", "responseOverride.status",
    "wafResponseCode", "webaclArn", "nope.nothing", "error",
)
TEMPLATE_FRAGMENTS = tuple(
    [f"$context.{v}" for v in CONTEXT_VARIABLES] + [f"${{context.{v}}}" for v in CONTEXT_VARIABLES[:8]] + [
        "$input.body", "$input.json('$')", "$input.json('$.a')", "$input.path('$')", "$input.path('$.a[0]')",
        "$input.params()", "$input.params('q')", "$input.params('x-api-key')", "$input.params().header",
        "$input.params().querystring", "$input.params().path", "$input.params('id')",
        "$util.escapeJavaScript($context.error.message)", "$util.escapeJavaScript($input.params())",
        "$util.urlEncode($context.path)", "$util.urlDecode($input.params('q'))",
        "$util.base64Encode($context.error.messageString)", "$util.base64Decode($input.params('q'))",
        "$util.parseJson($context.error.messageString)", "$util.parseJson('{\"a\":[1,2]}').a",
        "$stageVariables", "$stageVariables.sv", "$stageVariables.weird", "$stageVariables.missing",
        "#set($m = $context.error.message)$m.length()", "#foreach($h in $input.params().header.keySet())$h,#end",
        "#if($context.error.responseType == 'DEFAULT_4XX')four#{else}other#end",
        "$context.error.message.replaceAll('[a-z]', '*')", "$context.error.message.substring(0, 3)",
        "$context.responseOverride.status", "#set($context.responseOverride.status = 418)",
        "#set($context.responseOverride.header.X-Over = 'o')",
        '{"message": $context.error.messageString, "type": "$context.error.responseType"}',
    ])
# Templates that fail to compile or render (the error's default body stands) ...
FAILING_VTL = ("#end", "#foreach($x in)", "$input.json(", "${", "#set($ = 1)", "#macro(", "$util.parseJson('{')",
               "#break(", "$input.path('$[')")
# ... and some that fail in AWS's Velocity but render in airspeed: for 4xx types only, whose bodies are not checked.
BROKEN_VTL = FAILING_VTL + ("#if(", "$util.nope()", "$context.error.message.substring(99)",
                            "$util.base64Decode('%%%')")
PARAMETER_SOURCES = (
    "'static'", "''", "'with space'", "method.request.header.x-trace", "method.request.header.X-API-KEY",
    "method.request.header.nope", "method.request.multivalueheader.x-trace", "method.request.querystring.q",
    "method.request.multivaluequerystring.q", "method.request.querystring.nope", "method.request.path.id",
    "method.request.path.proxy", "stageVariables.sv", "stageVariables.weird", "stageVariables.nope",
    "context.requestId", "context.error.message", "context.error.responseType", "context.identity.sourceIp",
    "context.identity.apiKey", "context.authorizer.principalId", "context.path", "context.nope",
)
RESPONSE_TYPES = ("DEFAULT_4XX", "DEFAULT_5XX", "MISSING_AUTHENTICATION_TOKEN", "INVALID_API_KEY", "QUOTA_EXCEEDED",
                  "BAD_REQUEST_BODY", "BAD_REQUEST_PARAMETERS", "UNSUPPORTED_MEDIA_TYPE", "API_CONFIGURATION_ERROR",
                  "INTEGRATION_FAILURE", "UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "RESOURCE_NOT_FOUND")
MEDIA_TYPES = ("application/json", "text/html", "application/xml", "text/plain", "application/vnd.odd+json",
               "*/*")


def _template(rng: random.Random, five_xx: bool) -> str:
    if rng.random() < 0.25:
        return rng.choice(FAILING_VTL if five_xx else BROKEN_VTL) + rng.choice(("", " $context.requestId", "\n#end"))
    if five_xx:
        # A 5xx body stays AWS's shape, {"message": ...}: whatever else it says goes inside the message.
        inner = "".join(rng.choice(TEMPLATE_FRAGMENTS[:40]) for _ in range(rng.randint(0, 3)))
        return '{"message": "$util.escapeJavaScript("%s")"}' % inner.replace('"', "'")
    return " ".join(rng.choice(TEMPLATE_FRAGMENTS) for _ in range(rng.randint(0, 6)))


def random_gateway_response(rng: random.Random) -> dict[str, Any]:
    kind = rng.choice(RESPONSE_TYPES)
    five_xx = kind in ("DEFAULT_5XX", "API_CONFIGURATION_ERROR", "INTEGRATION_FAILURE")
    out: dict[str, Any] = {"responseType": kind}
    if rng.random() < 0.5:
        out["statusCode"] = str(rng.choice((500, 502, 503)) if five_xx else rng.choice((400, 401, 404, 418, 422, 451)))
    if rng.random() < 0.8:
        out["responseTemplates"] = {mt: _template(rng, five_xx) for mt in rng.sample(MEDIA_TYPES, rng.randint(1, 3))}
    if rng.random() < 0.8:
        # (Names that are not HTTP tokens, like "a:b", are refused by PutGatewayResponse itself.)
        names = ("Access-Control-Allow-Origin", "X-Source", "x-source", "X-Trace", "Content-Type", "X-Empty",
                 "Set-Cookie", "Content-Length", "Date")
        out["responseParameters"] = {f"gatewayresponse.header.{rng.choice(names)}": rng.choice(PARAMETER_SOURCES)
                                     for _ in range(rng.randint(1, 4))}
    return out


def random_schema(rng: random.Random, api: str, models: list[str], depth: int = 0) -> dict[str, Any]:
    """A valid draft-4 schema of the tricky kinds: patterns, combinators, enums of objects, $refs."""
    leaves: list[dict[str, Any]] = [
        {"type": "string", "pattern": rng.choice(("^[a-z]+$", "^\\d{2,3}-x$", "é", "^(a|b)*c?$", "\\S"))},
        {"type": "integer", "minimum": -3, "maximum": 3, "exclusiveMaximum": True},
        {"type": "number", "multipleOf": rng.choice((0.5, 3, 0.01))},
        {"enum": [{"a": 1}, [1, 2], "x", None, 1.0]},
        {"type": ["string", "null"], "maxLength": 2},
        {"not": {"type": "object"}},
        {},
        {"type": "boolean"},
    ]
    if models:
        leaves.append({"$ref": MODEL_URL.format(api=api, name=rng.choice(models))})
    if depth >= 2 or rng.random() < 0.3:
        return rng.choice(leaves)
    kind = rng.choice(("object", "array", "oneOf", "anyOf", "allOf"))
    if kind == "object":
        props = {name: random_schema(rng, api, models, depth + 1) for name in rng.sample("abcdé", rng.randint(0, 3))}
        schema: dict[str, Any] = {"type": "object", "properties": props}
        if props and rng.random() < 0.5:
            schema["required"] = rng.sample(sorted(props), 1)
        if rng.random() < 0.3:
            schema["additionalProperties"] = False
        if rng.random() < 0.2:
            schema["patternProperties"] = {"^x-": {"type": "string"}}
        return schema
    if kind == "array":
        return {"type": "array", "items": random_schema(rng, api, models, depth + 1), "uniqueItems": rng.random() < 0.5,
                "maxItems": 4}
    return {kind: [random_schema(rng, api, models, depth + 1) for _ in range(rng.randint(1, 3))]}


def random_document(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.random()
    if depth > 3 or choice < 0.35:
        return rng.choice([None, True, False, 0, -2, 2, 1.5, 3, "a", "abc", "12-x", "é", "", "x-y", {"a": 1},
                           [1, 2], "ccc", "ab", 2**40])
    if choice < 0.7:
        return {rng.choice(("a", "b", "c", "d", "é", "x-1", "inner", "tree", "value", "children", "code")):
                random_document(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return [random_document(rng, depth + 1) for _ in range(rng.randint(0, 4))]


ODD_BODIES: tuple[bytes, ...] = (
    b"", b" ", b"{}", b"[]", b"null", b"{", b"}", b'{"a":1,"a":2}', b'{"inner":{"code":"AB-1"},"inner":5}',
    b"1e400", b'{"value": 1e400}', b'{"value": -1e400, "children": []}', b"-0", b"1E-400", b"123456789" * 40,
    b"\xff\xfe{}", b'{"a": "\xff"}', b'{"a": "\xed\xa0\x80"}', b'"\\ud800"', b'{"a": "\\u0000"}', b"\x00",
    b"[" * 20000 + b"]" * 20000, b'{"a":' * 5000 + b"1" + b"}" * 5000, b"[" * 50000,
    b'{"tree": ' + b'{"value": 1, "children": [' * 300 + b'{"value": 2}' + b"]}" * 300 + b"}",
    b'{"inner": {"code": "' + b"A" * 1_000_000 + b'"}}', b"NaN", b"Infinity", b"[1,]", b"{'a': 1}",
    b"a=1&b=2", b"<xml/>", b'{"statusCode": 1e400}', b'{"statusCode": "abc"}', b'{"statusCode": 99999}',
    b'{"statusCode": -1}', b'{"statusCode": 204.7}', b'{"statusCode": [200]}', b'{"statusCode": "5e2"}',
    "{\"é\": \"中\U0001f600\"}".encode(), "{\"a\": 1}".encode("utf-16"),
)
CONTENT_TYPES = (None, "application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
                 "application/json;;", 'application/json; charset="utf-8"; x=1', "text/plain",
                 "multipart/form-data; boundary=x", "", "*/*", "application/vnd.odd+json",
                 "application/x-www-form-urlencoded", "application/json, text/plain", ";",
                 "application/json; charset=latin-1", "image/png")
ACCEPTS = (None, "", "*/*", "text/html,application/xml;q=0.9,*/*;q=0.8", "application/*", "text/*;q=0", "image/png",
           "application/json;q=0.5, text/html", ";;;", "a/b/c", ", ,", "application/xml", "text/plain; charset=x",
           "APPLICATION/JSON", "application/vnd.odd+json", "*/*;q=abc", "x" * 3000)
# (httptools refuses get, Post, FOO and ANY: the HTTP layer answers those 400 itself.)
ODD_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "PURGE", "TRACE", "PROPFIND", "get",
               "ANY")
PATH_SEGMENTS = ("a", "%2F", "%2f", "%E9", "%C3%A9", "%ZZ", "%", "%00", "%20", "+", "a%2Fb", ".", "..", "~",
                 "%F0%9F%98%80", "%FF%FE", "x" * 500, "a;b=c", "%25", "%3F", "%23", "@:!$&'()*,=")
QUERIES = ("", "?", "?q", "?q=", "?q=&q=1", "?=x", "?&&", "?q=%ZZ", "?q=%FF", "?%00=1", "?q=a+b%20c", "?q=1&Q=2",
           "?q=" + "v" * 2000, "?need=1&need=", "?need=%20", "?need=x&q=y", "?a[]=1&a[]=2", "?q=%E9&need=%C3%A9")


# ---------------------------------------------------------------------------------------------- the world


@dataclass
class World:
    api: str
    port: int
    keys: dict[str, str]  # name -> value
    key_ids: dict[str, str]
    quota: int
    plans: list[str]
    custom_statuses: set[int] = field(default_factory=set)
    quota_used: int = 0
    models: list[str] = field(default_factory=list)


READ_BODY_THEN_200 = '#set($b = $input.json(\'$\'))\n{"statusCode": 200}'


def _mock_method(apigateway, api: str, resource: str, http_method: str, response_template: str, **kwargs) -> None:
    apigateway.put_method(restApiId=api, resourceId=resource, httpMethod=http_method, authorizationType="NONE",
                          **kwargs)
    apigateway.put_integration(restApiId=api, resourceId=resource, httpMethod=http_method, type="MOCK",
                               requestTemplates={"application/json": READ_BODY_THEN_200})
    apigateway.put_method_response(restApiId=api, resourceId=resource, httpMethod=http_method, statusCode="200")
    apigateway.put_integration_response(restApiId=api, resourceId=resource, httpMethod=http_method, statusCode="200",
                                        responseTemplates={"application/json": response_template})


ECHO_TEMPLATE = ('{"q": "$util.escapeJavaScript($input.params(\'q\'))", "params": "$util.escapeJavaScript('
                 '$input.params())", "key": "$context.identity.apiKeyId", "path": "$util.escapeJavaScript('
                 '$context.path)", "ct": "$util.escapeJavaScript($input.params(\'Content-Type\'))"}')


@pytest.fixture(scope="module")
def world(apigateway, lambda_client, make_function, server) -> World:
    suffix = uuid.uuid4().hex[:8]
    fn = make_function(f"dpfuzz-{suffix}", "python3.12", "echo.py", ECHO, "echo.handler")
    api = apigateway.create_rest_api(name=f"dpfuzz-{suffix}")["id"]
    allow_apigateway(lambda_client, f"dpfuzz-{suffix}", api)
    url = lambda name: MODEL_URL.format(api=api, name=name)  # noqa: E731
    models = {
        "Inner": {"type": "object", "required": ["code"], "properties": {
            "code": {"type": "string", "pattern": "^[A-Z]{2,4}-\\d+$"}}},
        "Node": {"type": "object", "required": ["value"], "properties": {
            "value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": url("Node")}}}},
        "Order": {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["inner"],
                  "additionalProperties": False, "properties": {
                      "inner": {"$ref": url("Inner")}, "tree": {"$ref": url("Node")},
                      "choice": {"oneOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "multipleOf": 3}]},
                      "any": {"anyOf": [{"type": "null"}, {"type": "boolean"}]},
                      "notNeg": {"not": {"type": "number", "maximum": -1}},
                      "mode": {"enum": [{"a": 1}, {"b": [1, 2]}, "plain", None]},
                      "tags": {"type": "array", "uniqueItems": True, "maxItems": 4, "items": {"type": "string"}}}},
        "Anything": {},
    }
    for name, schema in models.items():
        apigateway.create_model(restApiId=api, name=name, contentType="application/json", schema=json.dumps(schema))
    both = apigateway.create_request_validator(restApiId=api, name="both", validateRequestBody=True,
                                               validateRequestParameters=True)["id"]
    params = apigateway.create_request_validator(restApiId=api, name="params", validateRequestParameters=True)["id"]
    body = apigateway.create_request_validator(restApiId=api, name="body", validateRequestBody=True)["id"]
    root = root_id(apigateway, api)
    v = apigateway.create_resource(restApiId=api, parentId=root, pathPart="v")["id"]
    v_id = apigateway.create_resource(restApiId=api, parentId=v, pathPart="{id}")["id"]
    keyed = apigateway.create_resource(restApiId=api, parentId=root, pathPart="keyed")["id"]
    loose = apigateway.create_resource(restApiId=api, parentId=root, pathPart="loose")["id"]
    fuzzed = apigateway.create_resource(restApiId=api, parentId=root, pathPart="fuzzed")["id"]
    proxy_parent = apigateway.create_resource(restApiId=api, parentId=root, pathPart="p")["id"]
    proxy = apigateway.create_resource(restApiId=api, parentId=proxy_parent, pathPart="{proxy+}")["id"]
    _mock_method(apigateway, api, v, "POST", ECHO_TEMPLATE, requestValidatorId=both,
                 requestModels={"application/json": "Order", "application/vnd.odd+json": "Node"},
                 requestParameters={"method.request.header.x-trace": True, "method.request.querystring.q": False})
    _mock_method(apigateway, api, v_id, "GET", ECHO_TEMPLATE, requestValidatorId=params,
                 requestParameters={"method.request.path.id": True, "method.request.querystring.need": True,
                                    "method.request.header.x-need": True})
    _mock_method(apigateway, api, keyed, "GET", ECHO_TEMPLATE, apiKeyRequired=True)
    _mock_method(apigateway, api, keyed, "POST", ECHO_TEMPLATE, apiKeyRequired=True, requestValidatorId=body,
                 requestModels={"application/json": "Inner"})
    _mock_method(apigateway, api, loose, "POST", ECHO_TEMPLATE, requestValidatorId=params,
                 requestModels={"application/json": "Order"})  # a model, but the validator checks no body
    _mock_method(apigateway, api, fuzzed, "PUT", ECHO_TEMPLATE, requestValidatorId=body,
                 requestModels={"application/json": "Anything"})
    strict = apigateway.create_resource(restApiId=api, parentId=root, pathPart="strict")["id"]
    _mock_method(apigateway, api, strict, "POST", ECHO_TEMPLATE)  # only application/json, else 415
    apigateway.update_integration(restApiId=api, resourceId=strict, httpMethod="POST", patchOperations=[
        {"op": "replace", "path": "/passthroughBehavior", "value": "NEVER"}])
    broken = apigateway.create_resource(restApiId=api, parentId=root, pathPart="broken")["id"]
    _mock_method(apigateway, api, broken, "GET", "#foreach($x in $input.params().header.keySet())$x")
    _mock_method(apigateway, api, broken, "POST", '$util.parseJson($input.body).a $util.base64Decode("$input.body")')
    apigateway.update_integration(restApiId=api, resourceId=broken, httpMethod="POST", patchOperations=[
        {"op": "replace", "path": "/requestTemplates/text~1plain", "value": "#if($input.path('$.a'))"}])
    apigateway.put_method(restApiId=api, resourceId=proxy, httpMethod="ANY", authorizationType="NONE")
    apigateway.put_integration(restApiId=api, resourceId=proxy, httpMethod="ANY", type="AWS_PROXY",
                               integrationHttpMethod="POST", uri=lambda_uri(fn))
    apigateway.create_deployment(restApiId=api, stageName="dev",
                                 variables={"sv": "stage-value", "weird": "a\"b'c\\d\u00e9"})
    keys, key_ids = {}, {}
    for name, enabled in (("good", True), ("metered", True), ("off", False), ("unplanned", True)):
        value = f"dpfuzz-{name}-{suffix}-0123456789"
        key_ids[name] = apigateway.create_api_key(name=f"dpfuzz-{name}-{suffix}", value=value, enabled=enabled)["id"]
        keys[name] = value
    wide = apigateway.create_usage_plan(name=f"dpfuzz-wide-{suffix}", apiStages=[{"apiId": api, "stage": "dev"}])["id"]
    quota = 3
    metered = apigateway.create_usage_plan(name=f"dpfuzz-metered-{suffix}", apiStages=[{"apiId": api, "stage": "dev"}],
                                           quota={"limit": quota, "offset": 0, "period": "DAY"})["id"]
    for plan, key in ((wide, "good"), (wide, "off"), (metered, "metered")):
        apigateway.create_usage_plan_key(usagePlanId=plan, keyId=key_ids[key], keyType="API_KEY")
    return World(api, int(server.url.rsplit(":", 1)[1]), keys, key_ids, quota, [wide, metered],
                 models=sorted(models))


def control_plane(apigateway, world: World) -> dict[str, Any]:
    """What the API, its keys and plans hold, read back over the wire."""
    api = world.api

    def clean(out: dict[str, Any]) -> Any:
        out.pop("ResponseMetadata", None)
        return out

    return {
        "api": clean(apigateway.get_rest_api(restApiId=api)),
        "resources": clean(apigateway.get_resources(restApiId=api, embed=["methods"], limit=500)),
        "models": clean(apigateway.get_models(restApiId=api, limit=500)),
        "validators": clean(apigateway.get_request_validators(restApiId=api, limit=500)),
        "responses": clean(apigateway.get_gateway_responses(restApiId=api, limit=500)),
        "stages": clean(apigateway.get_stages(restApiId=api)),
        "deployments": clean(apigateway.get_deployments(restApiId=api, limit=500)),
        "keys": sorted((k["id"], k["value"], k["enabled"]) for k in apigateway.get_api_keys(
            nameQuery="dpfuzz", includeValues=True, limit=500)["items"] if k["id"] in world.key_ids.values()),
        "plans": [clean(apigateway.get_usage_plan(usagePlanId=p)) for p in world.plans],
        "plankeys": [clean(apigateway.get_usage_plan_keys(usagePlanId=p)) for p in world.plans],
    }


# ---------------------------------------------------------------------------------------------- one request


@dataclass
class Case:
    method: str
    path: str
    headers: list[tuple[str, bytes]]
    body: bytes
    chunked: bool = False
    expect: set[int] | None = None  # statuses the case must end with (None: any AWS could send)
    function_status: bool = False  # a Lambda proxy function chooses the status (any 1xx-4xx it likes)
    why: str = ""


class Barrage:
    def __init__(self, world: World, validator_for: dict[str, Any]) -> None:
        self.world = world
        self.validators = validator_for
        self.failures: list[str] = []
        self.sent = 0
        self.statuses: collections.Counter[int] = collections.Counter()

    def send(self, case: Case) -> Answer:
        target = f"/restapis/{self.world.api}/dev/_user_request_{case.path}".encode("latin-1")
        answer = send_raw(self.world.port, case.method, target, case.headers, case.body, chunked=case.chunked)
        self.sent += 1
        self.statuses[answer.status] += 1
        self.check(case, answer)
        return answer

    def check(self, case: Case, answer: Answer) -> None:
        allowed = GATEWAY_STATUSES | self.world.custom_statuses | {200}
        problems = []
        if case.function_status:
            allowed |= set(range(100, 500))
        if answer.status not in allowed:
            problems.append(f"status {answer.status} is not one API Gateway could send here")
        text = answer.body.decode("utf-8", "replace")
        if "Traceback" in text or 'File "' in text:
            problems.append("a traceback in the body")
        if answer.status >= 500 and case.method != "HEAD":
            try:
                shape = json.loads(answer.body)
            except ValueError:
                shape = None
            if not (isinstance(shape, dict) and isinstance(shape.get("message"), str)):
                problems.append("a 5xx body that is not AWS's {\"message\": ...}")
        for name, _ in answer.headers:
            if not HEADER_NAME.fullmatch(name) or name.lower() == "a":  # ("a" from a header named "a:b")
                problems.append(f"a response header named {name!r}")
        if case.expect is not None and answer.status not in case.expect:
            problems.append(f"expected {sorted(case.expect)} ({case.why})")
        if problems:
            self.failures.append(f"{case.method} {case.path[:120]} {[(k, v[:80]) for k, v in case.headers]} "
                                 f"body={case.body[:80]!r}: {answer.status} {answer.body[:200]!r}: {problems}")


def _headers(rng: random.Random, world: World) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    ct = rng.choice(CONTENT_TYPES)
    if ct is not None:
        out.append(("Content-Type", ct.encode()))
    accept = rng.choice(ACCEPTS)
    if accept is not None:
        out.append(("Accept", accept.encode()))
    if rng.random() < 0.5:
        out.append(("x-trace", rng.choice((b"t1", b"", b" ", b"\xe9", b"a,b", b"\t"))))
    if rng.random() < 0.3:
        out.append(("X-Trace", b"second"))
    if rng.random() < 0.4:
        out.append(("x-need", rng.choice((b"1", b"", b"  "))))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        out.append(("x-api-key", rng.choice([v.encode() for k, v in world.keys.items() if k != "metered"] +
                                            [b"", b" ", b"nope", b"\xff" * 30, world.keys["good"].upper().encode()])))
    if rng.random() < 0.02:  # a header name httptools refuses: the HTTP layer's 400
        out.append(("X-Odd-\u00e9".encode("utf-8").decode("latin-1"), b"\x80\x81"))
    if rng.random() < 0.1:
        out.append(("X-Odd", b"\x80\x81\xff"))
    if rng.random() < 0.1:
        out.append(("Cookie", b"a=1; a=2; =; b"))
    return out


ROUTES = (("POST", "/v"), ("GET", "/v/{seg}"), ("GET", "/keyed"), ("POST", "/keyed"), ("POST", "/loose"),
          ("PUT", "/fuzzed"), ("POST", "/strict"), ("GET", "/broken"), ("POST", "/broken"), ("*", "/p/{segs}"),
          ("*", "/p/{segs}"), ("*", "/"), ("*", "/nope"), ("*", "/v/"), ("*", "//v"), ("*", "/V"), ("*", "/p"),
          ("*", "/p/"), ("*", "/v/{seg}/extra"))


def random_case(rng: random.Random, world: World) -> Case:
    method, path = rng.choice(ROUTES)
    if method == "*" or rng.random() < 0.1:
        method = rng.choice(ODD_METHODS)
    path = path.replace("{seg}", rng.choice(PATH_SEGMENTS)).replace(
        "{segs}", "/".join(rng.choice(PATH_SEGMENTS) for _ in range(rng.randint(1, 3))))
    path += rng.choice(QUERIES)
    if rng.random() < 0.5:
        body = rng.choice(ODD_BODIES)
    else:
        body = json.dumps(random_document(rng), ensure_ascii=rng.random() < 0.5).encode()
    headers = _headers(rng, world)
    if path.startswith("/p/") and rng.random() < 0.3:
        headers.append(("x-mode", rng.choice((b"raise", b"bad", b"status"))))
        headers.append(("x-status", rng.choice((b"1e400", b"1e300", b"99999", b"-1", b"0", b"600", b'"204"',
                                                  b"null", b"201.9", b"true", b'"x"', b"418"))))
    return Case(method, path, headers, body, chunked=rng.random() < 0.05,
                function_status=any(name == "x-mode" for name, _ in headers))


def validated_case(rng: random.Random, world: World, validators: dict[str, Any]) -> Case:
    """A clean JSON body POSTed to /v (model Order, or Node for application/vnd.odd+json): the jsonschema verdict
    is the expected answer."""
    content_type, model = rng.choice((("application/json", "Order"), ("application/json; charset=utf-8", "Order"),
                                      ("application/vnd.odd+json", "Node")))
    if rng.random() < 0.5:
        doc: Any = {"inner": {"code": rng.choice(("AB-1", "ab-1", "ABCDE-2", "ZZ-", "XY-99"))}}
        for name, pool in (("choice", ("ab", "abcd", 3, 4, -6, None)), ("any", (None, True, 0, "x")),
                           ("notNeg", (0, -1, -0.5, "x", -5)), ("mode", ({"a": 1}, {"a": 1.0}, {"b": [1, 2]},
                                                                           {"b": [2, 1]}, "plain", None, "other")),
                           ("tags", (["a", "b"], ["a", "a"], [], ["a", 1], list("abcde"))),
                           ("tree", ({"value": 1}, {"value": 1, "children": [{"value": 2, "children": []}]},
                                     {"value": 1, "children": [{"value": "x"}]}, {"children": []})),
                           ("extra", (1,))):
            if rng.random() < 0.3:
                doc[name] = rng.choice(pool)
    else:
        doc = random_document(rng)
    errors = list(validators[model].iter_errors(doc))
    headers = [("Content-Type", content_type.encode()), ("x-trace", b"t")]
    return Case("POST", "/v", headers, json.dumps(doc).encode(), expect={422 if errors else 200},
                why=f"jsonschema says {'invalid' if errors else 'valid'} for model {model}")


def key_cases(world: World) -> list[Case]:
    """/keyed: the good key always gets in; the metered one up to its quota, then 429; the others never."""
    cases = []
    for name, value in world.keys.items():
        expect = {200} if name == "good" else {403, *world.custom_statuses}
        if name == "metered":
            world.quota_used += 1
            expect = {200} if world.quota_used <= world.quota else {429, *world.custom_statuses}
        cases.append(Case("GET", "/keyed", [("x-api-key", value.encode())], b"", expect=expect,
                          why=f"key {name}, request {world.quota_used} of quota {world.quota}"))
    cases.append(Case("GET", "/keyed", [], b"", expect={403, *world.custom_statuses}, why="no key"))
    cases.append(Case("GET", "/keyed", [("x-api-key", b"")], b"", expect={403, *world.custom_statuses},
                      why="blank key"))
    return cases


# ---------------------------------------------------------------------------------------------- the test


def _schema_validators(world: World, apigateway) -> dict[str, Any]:
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    models = apigateway.get_models(restApiId=world.api, limit=500)["items"]
    schemas = {m["name"]: json.loads(m["schema"]) for m in models}
    registry = Registry().with_resources(
        (MODEL_URL.format(api=world.api, name=name), Resource.from_contents(schema, default_specification=DRAFT4))
        for name, schema in schemas.items())
    return {name: Draft4Validator(schema, registry=registry) for name, schema in schemas.items()}


def test_odd_requests_and_odd_configurations_answer_as_aws_and_lose_nothing(apigateway, world, server):
    rng = random.Random(SEED)
    log_start = server.log_path.stat().st_size
    # BAD_REQUEST_BODY answers 422 throughout, so the validation verdicts can be told from other 400s.
    apigateway.put_gateway_response(restApiId=world.api, responseType="BAD_REQUEST_BODY", statusCode="422",
                                    responseTemplates={"application/json": '{"err": "$util.escapeJavaScript('
                                                       '$context.error.validationErrorString)"}'})
    # Round 0 answers every other 4xx with header parameters read from the request.
    apigateway.put_gateway_response(restApiId=world.api, responseType="DEFAULT_4XX", responseParameters={
        "gatewayresponse.header.X-Static": "'v'", "gatewayresponse.header.X-Asked": "method.request.header.x-trace",
        "gatewayresponse.header.X-Trace": "method.request.multivalueheader.x-trace",
        "gatewayresponse.header.X-Q": "method.request.multivaluequerystring.q"})
    apigateway.create_deployment(restApiId=world.api, stageName="dev")
    world.custom_statuses.add(422)
    fuzzed_model = "Anything"
    barrage = Barrage(world, _schema_validators(world, apigateway))
    for round_number in range(ROUNDS):
        if round_number:  # odd-but-accepted control-plane changes, then a new deployment
            for _ in range(rng.randint(1, 3)):
                response = random_gateway_response(rng)
                if response["responseType"] == "BAD_REQUEST_BODY":
                    continue
                apigateway.put_gateway_response(restApiId=world.api, **response)
                if "statusCode" in response:
                    world.custom_statuses.add(int(response["statusCode"]))
            name = f"Fuzzed{round_number}"
            schema = random_schema(rng, world.api, world.models)
            apigateway.create_model(restApiId=world.api, name=name, contentType="application/json",
                                    schema=json.dumps(schema))
            world.models.append(name)
            fuzzed_model = name
            apigateway.update_method(restApiId=world.api, resourceId=_resource(apigateway, world, "/fuzzed"),
                                     httpMethod="PUT", patchOperations=[
                                         {"op": "replace", "path": "/requestModels/application~1json", "value": name}])
            apigateway.create_deployment(restApiId=world.api, stageName="dev")
            barrage.validators = _schema_validators(world, apigateway)
        before = control_plane(apigateway, world)
        for case in key_cases(world):
            barrage.send(case)
        for i in range(REQUESTS_PER_ROUND):
            if i % 4 == 0:
                barrage.send(validated_case(rng, world, barrage.validators))
            elif i % 9 == 0:
                doc = random_document(rng)
                errors = list(barrage.validators[fuzzed_model].iter_errors(doc))
                barrage.send(Case("PUT", "/fuzzed", [("Content-Type", b"application/json")], json.dumps(doc).encode(),
                                  expect={422 if errors else 200}, why=f"model {fuzzed_model}"))
            else:
                barrage.send(random_case(rng, world))
        assert control_plane(apigateway, world) == before, f"the barrage changed the control plane (seed {SEED})"
    # The barrage reached what it aims at: validators' verdicts both ways, keys refused and over quota, 415s,
    # broken templates and failing functions.
    reached = {200, 400, 403, 415, 422, 500, 502} | ({429} if ROUNDS > world.quota else set())
    assert reached <= set(barrage.statuses), (SEED, barrage.statuses)
    log = server.log_path.read_bytes()[log_start:].decode("utf-8", "replace")
    tracebacks = sorted({_traceback_tail(block) for block in log.split("Traceback")[1:]})
    assert not barrage.failures, f"seed {SEED}, {len(barrage.failures)} of {barrage.sent}:\n" + "\n".join(
        barrage.failures[:25])
    assert not tracebacks, f"seed {SEED}: the server logged {len(tracebacks)} tracebacks:\n" + "\n---\n".join(
        tracebacks[:3])


def _traceback_tail(block: str) -> str:
    """The last frames and the exception of a traceback in the server's log (up to the next log line)."""
    lines = block.splitlines()
    end = next((i for i, line in enumerate(lines[1:], 1) if re.match(r"\d\d:\d\d:\d\d ", line)), len(lines))
    return "\n".join(lines[max(1, end - 7):end])


def _resource(apigateway, world: World, path: str) -> str:
    return next(r["id"] for r in apigateway.get_resources(restApiId=world.api, limit=500)["items"] if r["path"] == path)

