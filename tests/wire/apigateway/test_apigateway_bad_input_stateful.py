"""Bad input against REAL API Gateway resources gets a 4xx AWS error, never a 500, and loses nothing.

tests/wire/test_bad_input_never_500.py feeds every operation placeholder path ids, so most requests stop at
404. Here one REST API is built for real (resources, methods, MOCK and AWS_PROXY integrations, responses, a
model, a deployment, stages) and every operation the server implements is sent wrong-typed, out-of-range and
missing members with those real ids; every Update* operation gets a catalogue of patch operations; ImportRestApi
and PutRestApi get malformed documents. Every 4xx must parse (with botocore's own rest-json parser) into an error
code the operation's model lists or a common one, and a request answered 4xx must leave the API as it was.
Seeded and bounded: the same few thousand requests every run.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests
from botocore import parsers

from apigw_support import lambda_uri, root_id
from pocketcloud.protocols.specs import service_model
from pocketcloud.services.apigateway.operations import OPERATIONS

SIGNED = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=0"
COMMON = {"BadRequestException", "NotFoundException", "ConflictException", "TooManyRequestsException",
          "UnauthorizedException", "LimitExceededException"}
MODEL = service_model("apigateway")
PARSER = parsers.create_parser("rest-json")
MUTATING = ("Create", "Update", "Put", "Delete", "Import", "Tag", "Untag")

WRONG_JSON: list[Any] = [None, True, -1, 1.5, "", "x" * 300, [], [1, "a"], {}, {"nested": {"deep": [None]}},
                         10**20, "true", '{"a": 1}', "NOPE", "\u00e9\u4e2d\U0001f600", "\x00"]
WRONG_INT: list[Any] = [-1, 0, 2**31, 10**20, 1e300, "12", "abc", None]
WRONG_MAP: list[Any] = [{"k": 1}, {"k": None}, {"": ""}, {"k": {"x": 1}}, {"method.request.querystring.q": "maybe"},
                        {"method.request.path.nope": True}, {"application/json": "#if("}, {"x" * 300: "v"}, "notamap"]
WRONG_LIST: list[Any] = [[None], ["x" * 1000], [{}], "notalist", [[]], ["a"] * 200]
WRONG_WIRE: list[str] = ["", "-1", "abc", "999999999999999999999", "x" * 1000, "%zz", "true", "1.5", "\u00e9"]
WRONG_ID: list[str] = ["", "nonexistent", "x" * 300, "a b", "%25", "\u00e9", "GET", "0", "*"]


def _param_value_pool(shape: Any, location: str | None) -> list[Any]:
    if location in ("uri",):
        return WRONG_ID
    if location in ("querystring", "header"):
        return WRONG_WIRE
    return {"integer": WRONG_INT + WRONG_JSON[:6], "long": WRONG_INT, "map": WRONG_MAP + WRONG_JSON[:8],
            "list": WRONG_LIST + WRONG_JSON[:8], "structure": WRONG_MAP[:4] + WRONG_JSON,
            "blob": ["", "{", "swagger: [", "\x00\xff"]}.get(shape.type_name, WRONG_JSON)


class Client:
    """Raw rest-json requests built from botocore's model, answers parsed by botocore's parser."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.session = requests.Session()
        self.failures: list[tuple[Any, ...]] = []

    def call(self, op: str, params: dict[str, Any]) -> tuple[int, str | None, dict[str, Any]]:
        om = MODEL.operation_model(op)
        uri, _, fixed_query = om.http["requestUri"].partition("?")
        query: list[tuple[str, str]] = [tuple(fixed_query.split("=", 1))] if fixed_query else []  # type: ignore[list-item]
        headers = {"Authorization": SIGNED, "Content-Type": "application/json"}
        body: dict[str, Any] = {}
        payload: Any = None
        payload_name = om.input_shape.serialization.get("payload")
        for name, shape in om.input_shape.members.items():
            if name not in params:
                continue
            value, where, wire = params[name], shape.serialization.get("location"), shape.serialization.get("name", name)
            text = value if isinstance(value, str) else json.dumps(value)
            if where == "uri":
                uri = uri.replace("{%s}" % wire, quote(text, safe=""))
            elif where == "querystring":
                if isinstance(value, dict):
                    query += [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in value.items()]
                elif isinstance(value, list):
                    query += [(wire, v if isinstance(v, str) else json.dumps(v)) for v in value]
                else:
                    query.append((wire, text))
            elif where == "header":
                headers[wire] = text.encode("utf-8", "replace").decode("latin-1")
            elif name == payload_name:
                payload = value
            else:
                body[wire] = value
        for placeholder in ("restapi_id", "resource_id", "parent_id", "http_method", "status_code", "deployment_id",
                            "stage_name", "model_name", "export_type"):
            uri = uri.replace("{%s}" % placeholder, "missing")
        data = payload if payload is not None else json.dumps(body, allow_nan=True)
        response = self.session.request(om.http["method"], self.endpoint + uri, params=query, headers=headers,
                                        data=data.encode() if isinstance(data, str) else data, timeout=30)
        status = response.status_code
        try:
            parsed = PARSER.parse({"status_code": status, "headers": response.headers, "body": response.content},
                                  om.output_shape)
        except Exception as error:  # noqa: BLE001 - an answer boto3 cannot read is a failure like a 500
            self.failures.append((op, params, status, f"botocore cannot parse the answer ({error!r}): {response.text[:200]}"))
            return status, None, {}
        code = parsed.get("Error", {}).get("Code") if status >= 300 else None
        allowed = {e.name for e in om.error_shapes} | COMMON
        if "//" in uri or uri.endswith("/"):  # an empty path id names no operation at all
            allowed.add("UnknownOperationException")
        if status >= 500 and status != 501 or "Traceback" in response.text:
            self.failures.append((op, params, status, response.text[:300]))
        elif status >= 400 and (code not in allowed or not parsed.get("Error", {}).get("Message")):
            self.failures.append((op, params, status, f"unexpected error code {code!r}: {response.text[:300]}"))
        return status, code, parsed


# ---------------------------------------------------------------------------------------------- the world


@pytest.fixture(scope="module")
def world(apigateway, make_function, endpoint) -> dict[str, Any]:
    suffix = uuid.uuid4().hex[:8]
    fn = make_function(f"fuzz-{suffix}", "python3.12", "h.py",
                       "def handler(e, c):\n    return {'statusCode': 200, 'body': 'ok'}\n", "h.handler")
    api = apigateway.create_rest_api(name=f"fuzz-{suffix}", description="original")["id"]
    root = root_id(apigateway, api)
    child = apigateway.create_resource(restApiId=api, parentId=root, pathPart="things")["id"]
    leaf = apigateway.create_resource(restApiId=api, parentId=child, pathPart="{id}")["id"]
    apigateway.put_method(restApiId=api, resourceId=child, httpMethod="GET", authorizationType="NONE",
                          requestParameters={"method.request.querystring.q": False})
    apigateway.put_integration(restApiId=api, resourceId=child, httpMethod="GET", type="MOCK",
                               requestTemplates={"application/json": '{"statusCode": 200}'})
    apigateway.put_method_response(restApiId=api, resourceId=child, httpMethod="GET", statusCode="200",
                                   responseParameters={"method.response.header.X-A": False})
    apigateway.put_integration_response(restApiId=api, resourceId=child, httpMethod="GET", statusCode="200",
                                        responseTemplates={"application/json": '{"q": "$input.params(\'q\')"}'})
    apigateway.put_method(restApiId=api, resourceId=leaf, httpMethod="POST", authorizationType="NONE")
    apigateway.put_integration(restApiId=api, resourceId=leaf, httpMethod="POST", type="AWS_PROXY",
                               integrationHttpMethod="POST", uri=lambda_uri(fn))
    apigateway.create_model(restApiId=api, name="Thing", contentType="application/json",
                            schema=json.dumps({"type": "object"}))
    validator = apigateway.create_request_validator(restApiId=api, name="params",
                                                    validateRequestParameters=True)["id"]
    deployment = apigateway.create_deployment(restApiId=api, stageName="dev", variables={"v": "1"})["id"]
    apigateway.create_stage(restApiId=api, stageName="prod", deploymentId=deployment)
    key = apigateway.create_api_key(name=f"fuzz-{suffix}", value=f"fuzz-value-{suffix}-0123456789", enabled=True)["id"]
    spare_key = apigateway.create_api_key(name=f"fuzz-{suffix}-spare")["id"]
    plan = apigateway.create_usage_plan(name=f"fuzz-{suffix}", apiStages=[{"apiId": api, "stage": "dev"}],
                                        quota={"limit": 100, "offset": 0, "period": "DAY"})["id"]
    apigateway.create_usage_plan_key(usagePlanId=plan, keyId=key, keyType="API_KEY")
    return {"api": api, "root": root, "child": child, "leaf": leaf, "deployment": deployment, "fn": fn,
            "validator": validator, "key": key, "spare_key": spare_key, "plan": plan, "client": Client(endpoint)}


def _base_params(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """For each operation, a request naming real things (Delete* name nothing real: they would succeed)."""
    api, child, leaf, dep = world["api"], world["child"], world["leaf"], world["deployment"]
    method = {"restApiId": api, "resourceId": child, "httpMethod": "GET"}
    response = {**method, "statusCode": "200"}
    return {
        "CreateRestApi": {"name": "fuzz-created", "endpointConfiguration": {"types": ["REGIONAL"]}},
        "GetRestApis": {"limit": 5},
        "GetRestApi": {"restApiId": api},
        "UpdateRestApi": {"restApiId": api, "patchOperations": []},
        "DeleteRestApi": {"restApiId": "nonexistent"},
        "GetResources": {"restApiId": api, "embed": ["methods"]},
        "GetResource": {"restApiId": api, "resourceId": child},
        "CreateResource": {"restApiId": api, "parentId": leaf, "pathPart": "sub"},
        "UpdateResource": {"restApiId": api, "resourceId": leaf, "patchOperations": []},
        "DeleteResource": {"restApiId": api, "resourceId": "nonexistent"},
        "PutMethod": {"restApiId": api, "resourceId": child, "httpMethod": "PATCH", "authorizationType": "NONE"},
        "GetMethod": method,
        "UpdateMethod": {**method, "patchOperations": []},
        "DeleteMethod": {**method, "httpMethod": "TRACE"},
        "PutMethodResponse": {**response, "statusCode": "404"},
        "GetMethodResponse": response,
        "UpdateMethodResponse": {**response, "patchOperations": []},
        "DeleteMethodResponse": {**response, "statusCode": "599"},
        "PutIntegration": {**method, "type": "MOCK", "requestTemplates": {"application/json": '{"statusCode": 200}'}},
        "GetIntegration": method,
        "UpdateIntegration": {**method, "patchOperations": []},
        "DeleteIntegration": {**method, "resourceId": "nonexistent"},
        "PutIntegrationResponse": {**response, "responseTemplates": {"application/json": '{"q": "$input.params(\'q\')"}'}},
        "GetIntegrationResponse": response,
        "UpdateIntegrationResponse": {**response, "patchOperations": []},
        "DeleteIntegrationResponse": {**response, "statusCode": "599"},
        "CreateDeployment": {"restApiId": api, "description": "d"},
        "GetDeployments": {"restApiId": api},
        "GetDeployment": {"restApiId": api, "deploymentId": dep},
        "UpdateDeployment": {"restApiId": api, "deploymentId": dep, "patchOperations": []},
        "DeleteDeployment": {"restApiId": api, "deploymentId": "nonexistent"},
        "CreateStage": {"restApiId": api, "stageName": "fuzzstage", "deploymentId": dep},
        "GetStage": {"restApiId": api, "stageName": "dev"},
        "GetStages": {"restApiId": api, "deploymentId": dep},
        "UpdateStage": {"restApiId": api, "stageName": "dev", "patchOperations": []},
        "DeleteStage": {"restApiId": api, "stageName": "nonexistent"},
        "GetModels": {"restApiId": api},
        "GetModel": {"restApiId": api, "modelName": "Thing"},
        "CreateModel": {"restApiId": api, "name": "Other", "contentType": "application/json"},
        "UpdateModel": {"restApiId": api, "modelName": "Thing", "patchOperations": []},
        "DeleteModel": {"restApiId": api, "modelName": "Nonexistent"},
        "ImportRestApi": {"body": json.dumps({"swagger": "2.0", "info": {"title": "imp", "version": "1"}, "paths": {}})},
        "PutRestApi": {"restApiId": api, "mode": "merge",
                       "body": json.dumps({"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}})},
        "GetExport": {"restApiId": api, "stageName": "dev", "exportType": "swagger", "accepts": "application/json"},
        "TestInvokeMethod": {**method, "pathWithQueryString": "/things?q=1"},
        "PutGatewayResponse": {"restApiId": api, "responseType": "DEFAULT_4XX", "statusCode": "400",
                               "responseParameters": {"gatewayresponse.header.A": "'*'"},
                               "responseTemplates": {"application/json": "{}"}},
        "GetGatewayResponse": {"restApiId": api, "responseType": "UNAUTHORIZED"},
        "GetGatewayResponses": {"restApiId": api},
        "UpdateGatewayResponse": {"restApiId": api, "responseType": "THROTTLED", "patchOperations": []},
        "DeleteGatewayResponse": {"restApiId": api, "responseType": "WAF_FILTERED"},
        "GetAccount": {},
        "UpdateAccount": {"patchOperations": []},
        "TagResource": {"resourceArn": f"arn:aws:apigateway:us-east-1::/restapis/{api}", "tags": {"t": "1"}},
        "UntagResource": {"resourceArn": f"arn:aws:apigateway:us-east-1::/restapis/{api}/stages/dev",
                          "tagKeys": ["t"]},
        "GetTags": {"resourceArn": f"arn:aws:apigateway:us-east-1::/usageplans/{world['plan']}"},
        "CreateRequestValidator": {"restApiId": api, "name": "v", "validateRequestBody": True},
        "GetRequestValidator": {"restApiId": api, "requestValidatorId": world["validator"]},
        "GetRequestValidators": {"restApiId": api},
        "UpdateRequestValidator": {"restApiId": api, "requestValidatorId": world["validator"], "patchOperations": []},
        "DeleteRequestValidator": {"restApiId": api, "requestValidatorId": "nonexistent"},
        "CreateApiKey": {"name": "fuzz-created", "value": f"fuzz-created-{uuid.uuid4().hex}", "enabled": True,
                         "stageKeys": [{"restApiId": api, "stageName": "dev"}]},
        "GetApiKey": {"apiKey": world["key"], "includeValue": True},
        "GetApiKeys": {"nameQuery": "fuzz", "includeValues": True, "limit": 5},
        "UpdateApiKey": {"apiKey": world["key"], "patchOperations": []},
        "DeleteApiKey": {"apiKey": "nonexistent"},
        "CreateUsagePlan": {"name": "fuzz-created", "apiStages": [{"apiId": api, "stage": "prod"}],
                            "throttle": {"burstLimit": 5, "rateLimit": 1.5},
                            "quota": {"limit": 10, "offset": 1, "period": "WEEK"}},
        "GetUsagePlan": {"usagePlanId": world["plan"]},
        "GetUsagePlans": {"keyId": world["key"]},
        "UpdateUsagePlan": {"usagePlanId": world["plan"], "patchOperations": []},
        "DeleteUsagePlan": {"usagePlanId": "nonexistent"},
        "CreateUsagePlanKey": {"usagePlanId": world["plan"], "keyId": world["spare_key"], "keyType": "API_KEY"},
        "GetUsagePlanKey": {"usagePlanId": world["plan"], "keyId": world["key"]},
        "GetUsagePlanKeys": {"usagePlanId": world["plan"]},
        "DeleteUsagePlanKey": {"usagePlanId": world["plan"], "keyId": "nonexistent"},
    }


READS: dict[str, tuple[str, dict[str, Any]]] = {
    "api": ("GetRestApi", {}), "resources": ("GetResources", {"embed": ["methods"], "limit": 500}),
    "models": ("GetModels", {"limit": 500}), "deployments": ("GetDeployments", {"limit": 500}),
    "stages": ("GetStages", {}), "apis": ("GetRestApis", {"limit": 500}),
    "gatewayresponses": ("GetGatewayResponses", {"limit": 500}),
    "validators": ("GetRequestValidators", {"limit": 500}),
    # API keys and usage plans are the account's, shared with tests running beside this one: read back only the
    # fuzz world's (its keys are named fuzz-*, its plan is world["plan"]).
    "apikeys": ("GetApiKeys", {"nameQuery": "fuzz", "includeValues": True, "limit": 500}),
    "usageplan": ("GetUsagePlan", {}), "plankeys": ("GetUsagePlanKeys", {"limit": 500}),
    "account": ("GetAccount", {}),
}


def _reads_for(op: str) -> tuple[str, ...]:
    """What a (failed) write of `op` could have damaged, read back cheaply after each case."""
    if op in ("CreateRestApi", "ImportRestApi", "DeleteRestApi"):
        return ("apis",)
    if op in ("UpdateRestApi", "PutRestApi"):
        return ("api", "resources", "models", "gatewayresponses", "validators")
    if op in ("TagResource", "UntagResource"):
        return ("api", "stages", "apikeys", "usageplan")
    if op == "UpdateAccount":
        return ("account",)
    for noun, reads in (("Deployment", ("deployments", "stages")), ("Stage", ("stages", "deployments")),
                        ("Model", ("models",)), ("GatewayResponse", ("gatewayresponses",)),
                        ("RequestValidator", ("validators",)), ("ApiKey", ("apikeys", "plankeys")),
                        ("UsagePlan", ("usageplan",)), ("UsagePlanKey", ("plankeys",))):
        if op.endswith(noun):
            return reads
    return ("resources",)


def snapshot(world: dict[str, Any], parts: tuple[str, ...] = tuple(READS)) -> dict[str, Any]:
    """What the API holds (the parts asked for), read back over the wire."""
    client, api = world["client"], world["api"]
    out = {}
    for part in parts:
        op, params = READS[part]
        status, _, parsed = client.call(op, {"restApiId": api, "usagePlanId": world["plan"], **params}
                                        if part != "apis" else params)
        assert status == 200, (op, status, parsed)
        parsed.pop("ResponseMetadata", None)
        out[part] = sorted(item["id"] for item in parsed["items"]) if part == "apis" else parsed
    return out


class Barrage:
    """Sends cases; after every 4xx to a mutating operation, what it could have touched must read back as before."""

    def __init__(self, world: dict[str, Any]) -> None:
        self.world = world
        self.client: Client = world["client"]
        self.client.failures.clear()
        self.before = snapshot(world)
        self.lost: list[tuple[Any, ...]] = []

    def send(self, op: str, params: dict[str, Any]) -> int:
        status, _, _ = self.client.call(op, params)
        if op.startswith(MUTATING):
            parts = _reads_for(op)
            after = snapshot(self.world, parts)
            if 400 <= status < 500 and any(after[p] != self.before[p] for p in parts):
                self.lost.append((op, params, status, _diff(self.before, after)))
            self.before.update(after)
        return status

    def check(self) -> None:
        seen: dict[tuple[Any, ...], Any] = {}
        for failure in self.client.failures:
            seen.setdefault((failure[0], failure[2], failure[3][:60]), failure)
        assert not seen, "\n".join(repr(f)[:600] for f in seen.values())
        assert not self.lost, "\n".join(repr(f)[:600] for f in self.lost[:5])
        # Every part still reads back as the last successful write left it.
        assert snapshot(self.world) == self.before


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [key for key in after if before.get(key) != after[key]]


# ---------------------------------------------------------------------------------------------- members


def member_cases(op: str, base: dict[str, Any], rng: random.Random, limit: int = 40) -> Iterator[dict[str, Any]]:
    shape = MODEL.operation_model(op).input_shape
    cases: list[dict[str, Any]] = []
    for name in shape.required_members:
        cases.append({k: v for k, v in base.items() if k != name})
    for name, member in shape.members.items():
        if op.startswith("Delete") and member.serialization.get("location") != "uri":
            continue
        pool = _param_value_pool(member, member.serialization.get("location"))
        for value in rng.sample(pool, min(4, len(pool))):
            cases.append({**base, name: value})
    wrong_all = {name: rng.choice(_param_value_pool(m, m.serialization.get("location")))
                 for name, m in shape.members.items() if m.serialization.get("location") != "uri"}
    cases.append({**base, **wrong_all})
    yield from cases[:limit]


def test_every_operation_answers_wrong_members_on_real_resources_with_aws_errors(world):
    barrage = Barrage(world)
    rng = random.Random(20260101)
    bases = _base_params(world)
    for op in OPERATIONS:
        for params in member_cases(op, bases[op], rng):
            barrage.send(op, params)
    barrage.check()


# ---------------------------------------------------------------------------------------------- patch operations

PATCH_OPS: list[Any] = ["add", "remove", "replace", "move", "copy", "test", "frob", "", None, 5, "REPLACE"]
GENERIC_PATHS: list[Any] = ["/", "", "~1", "/~1", "/~", "/a~2b", "/nope", "/a" * 200, "//", "/name/", None, 7,
                            "/requestParameters/method.request.querystring.x", "/requestTemplates/application~1json",
                            "/variables/x", "/*/*/logging/loglevel", "/accessLogSettings/format",
                            "/responseTemplates/application~1json", "/responseParameters/method.response.header.X-A"]
PATCH_VALUES: list[Any] = [None, "", "true", "x" * 5000, '{"a": 1}', "12", "-1", "1e400", "NaN", "FALSE", "0",
                           "99999999999999999999999", "$context.requestId", "application/json"]


def _patch_paths(world: dict[str, Any]) -> dict[str, list[str]]:
    return {
        "UpdateRestApi": ["/name", "/description", "/version", "/policy", "/apiKeySource", "/minimumCompressionSize",
                          "/disableExecuteApiEndpoint", "/binaryMediaTypes/image~1png", "/binaryMediaTypes",
                          "/endpointConfiguration/types/EDGE", "/endpointConfiguration/types/REGIONAL",
                          "/endpointConfiguration/types", "/endpointConfiguration", "/id", "/rootResourceId",
                          "/createdDate", "/resources", "/models", "/tags/x", "/_endpointTypes"],
        "UpdateResource": ["/pathPart", "/parentId", "/path", "/id", "/resourceMethods", "/resourceMethods/GET"],
        "UpdateMethod": ["/authorizationType", "/authorizerId", "/apiKeyRequired", "/operationName",
                         "/requestValidatorId", "/requestParameters/method.request.querystring.q",
                         "/requestParameters/method.request.header.h", "/requestModels/application~1json",
                         "/authorizationScopes/s", "/authorizationScopes", "/methodIntegration", "/httpMethod",
                         "/methodResponses/200", "/requestParameters"],
        "UpdateMethodResponse": ["/responseParameters/method.response.header.X-A", "/responseParameters/x",
                                 "/responseModels/application~1json", "/statusCode", "/responseParameters"],
        "UpdateIntegration": ["/uri", "/type", "/httpMethod", "/passthroughBehavior", "/credentials",
                              "/timeoutInMillis", "/contentHandling", "/connectionType", "/connectionId",
                              "/cacheNamespace", "/tlsConfig/insecureSkipVerification", "/tlsConfig",
                              "/requestTemplates/application~1json", "/requestTemplates/text~1plain",
                              "/requestParameters/integration.request.header.x", "/cacheKeyParameters/q",
                              "/integrationResponses/200", "/integrationResponses", "/requestTemplates"],
        "UpdateIntegrationResponse": ["/selectionPattern", "/contentHandling", "/responseTemplates/application~1json",
                                      "/responseParameters/method.response.header.X-A", "/statusCode",
                                      "/responseTemplates"],
        "UpdateStage": ["/deploymentId", "/description", "/cacheClusterEnabled", "/cacheClusterSize",
                        "/tracingEnabled", "/clientCertificateId", "/documentationVersion", "/webAclArn",
                        "/variables/v", "/variables/new", "/variables", "/stageVariables/v",
                        "/*/*/metrics/enabled", "/*/*/logging/dataTrace", "/*/*/throttling/burstLimit",
                        "/*/*/throttling/rateLimit", "/*/*/caching/ttlInSeconds", "/~1things/GET/logging/loglevel",
                        "/~1things/GET", "/*/*", "/accessLogSettings", "/accessLogSettings/destinationArn",
                        "/accessLogSettings/nope", "/methodSettings", "/stageName", "/canarySettings/percentTraffic",
                        "/*/*/caching/unauthorizedCacheControlHeaderStrategy", "/*/*/nope/x"],
        "UpdateDeployment": ["/description", "/id", "/apiSummary", "/createdDate", "/_snapshot"],
        "UpdateModel": ["/description", "/schema", "/name", "/contentType", "/id"],
        "UpdateAccount": ["/cloudwatchRoleArn", "/features", "/throttleSettings/burstLimit", "/apiKeyVersion"],
        "UpdateRequestValidator": ["/name", "/validateRequestBody", "/validateRequestParameters", "/id", "/nope"],
        "UpdateGatewayResponse": ["/statusCode", "/responseType", "/defaultResponse", "/responseParameters",
                                  "/responseParameters/gatewayresponse.header.A", "/responseParameters/x",
                                  "/responseTemplates/application~1json", "/responseTemplates"],
        "UpdateApiKey": ["/name", "/description", "/enabled", "/customerId", "/stages", "/value", "/id",
                         "/stageKeys", "/tags/x", "/createdDate"],
        "UpdateUsagePlan": ["/name", "/description", "/productCode", "/apiStages", "/throttle", "/throttle/burstLimit",
                            "/throttle/rateLimit", "/quota", "/quota/limit", "/quota/offset", "/quota/period",
                            f"/apiStages/{world['api']}:dev/throttle",
                            f"/apiStages/{world['api']}:dev/throttle/~1things/GET/rateLimit",
                            f"/apiStages/{world['api']}:prod/throttle/~1things/GET/burstLimit", "/id", "/_keys"],
    }


def patch_cases(op: str, paths: list[Any], values: list[Any], rng: random.Random,
                limit: int = 160) -> Iterator[list[Any]]:
    cases: list[list[Any]] = []
    for kind in PATCH_OPS:
        for path in paths:
            entry: dict[str, Any] = {"op": kind, "path": path}
            value = rng.choice(values)
            if value is not None or rng.random() < 0.3:
                entry["value"] = value
            if kind in ("move", "copy") or rng.random() < 0.1:
                entry["from"] = rng.choice(paths)
            if kind is None and rng.random() < 0.5:
                del entry["op"]
            cases.append([entry])
    yield from rng.sample(cases, min(limit, len(cases)))
    # Malformed lists of operations, and many operations in one request.
    yield from ([None], [1], ["replace"], [{}], [{"op": "replace"}], [{"path": "/description"}], [[]])
    yield [{"op": "replace", "path": rng.choice(paths), "value": rng.choice(values)} for _ in range(30)]


def test_every_update_operation_answers_a_catalogue_of_patches_with_aws_errors(world):
    barrage = Barrage(world)
    rng = random.Random(7)
    bases = _base_params(world)
    real_ids = [world["root"], world["child"], world["leaf"], world["deployment"], world["api"]]
    stage_refs = [f"{world['api']}:dev", f"{world['api']}/prod", "WEEK"]  # what API key and usage plan paths take
    for op, paths in _patch_paths(world).items():
        values = PATCH_VALUES + real_ids + paths[:3] + (stage_refs if op in ("UpdateApiKey", "UpdateUsagePlan") else [])
        for operations in patch_cases(op, paths + GENERIC_PATHS, values, rng):
            barrage.send(op, {**bases[op], "patchOperations": operations})
    for resource, parent in ((world["leaf"], world["leaf"]), (world["child"], world["leaf"])):  # a cycle
        barrage.send("UpdateResource", {**bases["UpdateResource"], "resourceId": resource,
                                        "patchOperations": [{"op": "replace", "path": "/parentId", "value": parent}]})
    for op in _patch_paths(world):  # patchOperations itself of the wrong type
        for value in ("x", 1, {"op": "add"}, None, True):
            barrage.send(op, {**bases[op], "patchOperations": value})
    barrage.check()


# ---------------------------------------------------------------------------------------------- import and export

def _swagger(paths: Any = None, **extra: Any) -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "imported", "version": "1"}, "paths": paths or {}, **extra}


def _op(integration: Any = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"responses": {"200": {"description": "ok"}}, **extra}
    if integration is not None:
        out["x-amazon-apigateway-integration"] = integration
    return out


def malformed_documents() -> Iterator[Any]:
    """Bodies ImportRestApi and PutRestApi must refuse (or accept) without a 500."""
    yield from ("", " ", "{", "null", "[]", "42", '"swagger"', "\x00\xff\xfe", "swagger: [", "a: b: c",
                "- a\n- b", "{swagger: 2.0}", "swagger: '2.0'\ninfo: !!python/object:os.system {}\n")
    yield "a: &a [1, 2]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\nswagger: '2.0'\n"
    yield from (json.dumps(d) for d in [
        {"swagger": "2.0"}, {"openapi": "3.0.1"}, {"swagger": None, "paths": {}}, {"swagger": "2.0", "info": None},
        {"swagger": "2.0", "info": "title"}, {"swagger": "2.0", "info": {"title": 5}},
        {"swagger": "2.0", "info": {"title": ["a"]}, "paths": {}},
        {"swagger": "2.0", "info": {"title": "t", "description": {"a": 1}, "version": [1]}, "paths": {}},
        _swagger([]), _swagger("paths"), _swagger({"/a": None}), _swagger({"/a": []}), _swagger({"/a": "get"}),
        _swagger({"a": {"get": _op()}}), _swagger({"": {"get": _op()}}), _swagger({"/a//b": {"get": _op()}}),
        _swagger({"/a/{b": {"get": _op()}}), _swagger({"/a b/é": {"get": _op()}}),
        _swagger({"/a/{p+}/c": {"get": _op()}}), _swagger({"/a/{x}": {"get": _op()}, "/a/{y}": {"get": _op()}}),
        _swagger({"/" + "a/" * 300: {"get": _op()}}),
        _swagger({"/a": {"get": None}}), _swagger({"/a": {"get": []}}), _swagger({"/a": {"get": "x"}}),
        _swagger({"/a": {"frob": _op()}}), _swagger({"/a": {"parameters": "x", "get": _op()}}),
        _swagger({"/a": {"parameters": [None, 1, {"in": 5, "name": []}], "get": _op()}}),
        _swagger({"/a": {"get": _op(parameters="x")}}), _swagger({"/a": {"get": _op(parameters=[None, "x"])}}),
        _swagger({"/a": {"get": _op(parameters=[{"in": "query", "name": {"x": 1}}])}}),
        _swagger({"/a": {"get": _op(responses=None)}}), _swagger({"/a": {"get": _op(responses=[])}}),
        _swagger({"/a": {"get": _op(responses={"200": "ok"})}}),
        _swagger({"/a": {"get": _op(responses={"200": {"headers": []}})}}),
        _swagger({"/a": {"get": _op(responses={"999": {}, "abc": {}, "2000": {}})}}),
        _swagger({"/a": {"get": _op(security="x")}}), _swagger({"/a": {"get": _op(security=[None, "api_key"])}}),
        _swagger({"/a": {"get": _op(operationId={"a": 1})}}),
        _swagger({"/a": {"get": _op("mock")}}), _swagger({"/a": {"get": _op([])}}),
        _swagger({"/a": {"get": _op({})}}), _swagger({"/a": {"get": _op({"type": "frob"})}}),
        _swagger({"/a": {"get": _op({"type": None})}}), _swagger({"/a": {"get": _op({"type": ["mock"]})}}),
        _swagger({"/a": {"get": _op({"type": "aws_proxy"})}}),
        _swagger({"/a": {"get": _op({"type": "aws_proxy", "httpMethod": "POST", "uri": "nope"})}}),
        _swagger({"/a": {"get": _op({"type": "http", "httpMethod": "GET", "uri": 5})}}),
        _swagger({"/a": {"get": _op({"type": "http", "httpMethod": ["GET"], "uri": "http://x"})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "timeoutInMillis": "soon"})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "timeoutInMillis": 10**30})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "passthroughBehavior": 5})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "requestTemplates": "x"})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "requestTemplates": {"application/json": 5}})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "requestParameters": ["x"]})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "cacheKeyParameters": "x"})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "responses": "x"})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "responses": {"default": None}})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "responses": {"default": {"statusCode": "abc"}}})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "responses": {"default": {"statusCode": None}}})}}),
        _swagger({"/a": {"get": _op({"type": "mock", "responses": {"default": {"responseTemplates": 5}}})}}),
        _swagger({"/a": {"get": {"$ref": "#/nowhere"}}}), _swagger({"/a": {"$ref": "#/definitions/Nope"}}),
        _swagger({"/a": {"get": _op(parameters=[{"$ref": "#/parameters/nope"}])}}),
        _swagger(definitions="x"), _swagger(definitions={"A": None, "B b": {}, "": {}, "C": {"$ref": "#/x"}}),
        _swagger(definitions={"A": {"type": "object", "x": 10**30}}),
        _swagger(**{"x-amazon-apigateway-binary-media-types": "image/png"}),
        _swagger(**{"x-amazon-apigateway-binary-media-types": [5, None]}),
        _swagger(**{"x-amazon-apigateway-request-validators": "x"}),
        _swagger(**{"x-amazon-apigateway-request-validators": {"a": None}}),
        _swagger(**{"x-amazon-apigateway-request-validator": "missing"}),
        _swagger(**{"x-amazon-apigateway-request-validator": ["a"], "x-amazon-apigateway-request-validators": {"a": {}}}),
        _swagger({"/a": {"post": _op(parameters=[{"in": "body", "schema": "x"}])}}),
        _swagger({"/a": {"post": _op(parameters=[{"in": "body", "schema": {"$ref": "#/definitions/Nope"}}])}}),
        _swagger({"/a": {"post": _op(requestBody="x")}}), _swagger({"/a": {"post": _op(requestBody={"content": [1]})}}),
        _swagger({"/a": {"post": _op(**{"x-amazon-apigateway-request-validator": "nope"})}}),
        _swagger(**{"x-amazon-apigateway-gateway-responses": "x"}),
        _swagger(**{"x-amazon-apigateway-gateway-responses": {"DEFAULT_4XX": None, "NOPE": {}}}),
        _swagger(**{"x-amazon-apigateway-gateway-responses": {"DEFAULT_4XX": {"statusCode": "777"}}}),
        _swagger(**{"x-amazon-apigateway-gateway-responses": {"DEFAULT_4XX": {"statusCode": [4]}}}),
        _swagger(**{"x-amazon-apigateway-gateway-responses": {"DEFAULT_5XX": {"responseTemplates": [1]}}}),
        _swagger(**{"x-amazon-apigateway-gateway-responses": {"DEFAULT_5XX": {"responseParameters": {"a": "b"}}}}),
        {"openapi": "3.0.1", "info": {"title": "t"}, "paths": {}, "components": "x"},
        {"openapi": "3.0.1", "info": {"title": "t"}, "paths": {}, "components": {"schemas": ["a"]}},
        {"openapi": "3.0.1", "info": {"title": "t"}, "paths": {"/a": {"get": _op({"type": "mock"})}}},
    ])


def test_import_and_put_rest_api_answer_malformed_documents_with_aws_errors(world):
    barrage = Barrage(world)
    api = world["api"]
    query_params: list[dict[str, Any]] = [{}, {"failOnWarnings": "maybe"}, {"failOnWarnings": "true"},
                                          {"parameters": {"endpointConfigurationTypes": "NOPE"}},
                                          {"parameters": {"ignore": "documentation", "basepath": "prepend"}}]
    for i, document in enumerate(malformed_documents()):
        extra = query_params[i % len(query_params)]
        barrage.send("ImportRestApi", {"body": document, **extra})
        for mode in ("merge", "overwrite", "frob", "", "MERGE"):
            if (i + len(mode)) % 3 == 0:  # a bounded third of the document × mode grid
                barrage.send("PutRestApi", {"restApiId": api, "mode": mode, "body": document, **extra})
    barrage.check()


def test_get_export_answers_odd_types_and_accept_headers_with_aws_errors(world):
    barrage = Barrage(world)
    api = world["api"]
    for export_type in ("swagger", "oas30", "SWAGGER", "postman", "", "x" * 300, "swagger.json"):
        for accepts in ("application/json", "application/yaml", "text/html", "*/*", "", "application/x-yaml;q=0.1"):
            for parameters in ({}, {"extensions": "integrations,authorizers"}, {"extensions": 5},
                               {"extensions": ""}, {"frob": "x"}):
                barrage.send("GetExport", {"restApiId": api, "stageName": "dev", "exportType": export_type,
                                           "accepts": accepts, "parameters": parameters})
    barrage.check()
