"""Non-proxy Lambda integrations (seed 002's POST /DynamoDBManager, seed 000's VTL template), MOCK (CORS
preflight), HTTP/HTTP_PROXY, error answers and stage variables — over HTTP against deployed stages."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apigw_support import allow_apigateway, lambda_uri, mock_get, mock_method, root_id

SEED002_PY = '''
import boto3, json
def handler(event, context):
    operation = event["operation"]
    if "tableName" in event:
        table = boto3.resource("dynamodb").Table(event["tableName"])
    operations = {
        "create": lambda x: table.put_item(**x),
        "read": lambda x: table.get_item(**x),
        "update": lambda x: table.update_item(**x),
        "delete": lambda x: table.delete_item(**x),
        "list": lambda x: table.scan(**x),
        "echo": lambda x: x,
        "ping": lambda x: "pong",
    }
    if operation in operations:
        return operations[operation](event.get("payload"))
    raise ValueError('Unrecognized operation "{}"'.format(operation))
'''

# Seed 000's body mapping template, as the blog prints it (with its closing braces restored).
SEED000_TEMPLATE = '''{
  "method": "$context.httpMethod",
  "body" : $input.json('$'),
  "headers": {
    #foreach($param in $input.params().header.keySet())
    "$param": "$util.escapeJavaScript($input.params().header.get($param))" #if($foreach.hasNext),#end
    #end
  },
  "queryParams": {
    #foreach($param in $input.params().querystring.keySet())
    "$param": "$util.escapeJavaScript($input.params().querystring.get($param))" #if($foreach.hasNext),#end
    #end
  },
  "pathParams": {
    #foreach($param in $input.params().path.keySet())
    "$param": "$util.escapeJavaScript($input.params().path.get($param))" #if($foreach.hasNext),#end
    #end
  },
  "resourcePath": "$context.resourcePath"
}'''

MOVIES_JS = r"""
exports.handler = (event, context, callback) => {
  if (event.resourcePath === '/movies') return callback(null, {movies: [], method: event.method});
  if (event.resourcePath === '/movies/add-movie') return callback(null, {added: event.body.title, query: event.queryParams});
  callback(new Error('unknown path ' + event.resourcePath));
}
"""


def _new_api(apigateway, name="t"):
    api_id = apigateway.create_rest_api(name=name)["id"]
    return api_id, root_id(apigateway, api_id)


def _resource(apigateway, api_id, parent, part):
    return apigateway.create_resource(restApiId=api_id, parentId=parent, pathPart=part)["id"]


@pytest.fixture(scope="module")
def seed002(apigateway, lambda_client, make_function, dynamodb):
    table = "LambdaTable-" + uuid.uuid4().hex[:6]
    dynamodb.create_table(TableName=table, AttributeDefinitions=[{"AttributeName": "Id", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "Id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    name = "LambdaFunctionOverHttps-" + uuid.uuid4().hex[:6]
    arn = make_function(name, "python3.12", "index.py", SEED002_PY, "index.handler")
    api_id, root = _new_api(apigateway, "DynamoDBOperations")
    resource = _resource(apigateway, api_id, root, "DynamoDBManager")
    apigateway.put_method(restApiId=api_id, resourceId=resource, httpMethod="POST", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=resource, httpMethod="POST", type="AWS",
                               integrationHttpMethod="POST", uri=lambda_uri(arn))
    apigateway.put_method_response(restApiId=api_id, resourceId=resource, httpMethod="POST", statusCode="200",
                                   responseModels={"application/json": "Empty"})
    apigateway.put_integration_response(restApiId=api_id, resourceId=resource, httpMethod="POST", statusCode="200",
                                        responseTemplates={"application/json": ""})
    apigateway.create_deployment(restApiId=api_id, stageName="prod")
    allow_apigateway(lambda_client, name, api_id)
    return {"api_id": api_id, "table": table}


def test_seed_002_echo_returns_the_payload_through_an_empty_response_template(seed002, http):
    status, _, body = http.request("POST", http.url(seed002["api_id"], "prod", "/DynamoDBManager"),
                                   {"operation": "echo", "payload": {"somekey1": "somevalue1", "somekey2": "somevalue2"}})
    assert status == 200
    assert json.loads(body) == {"somekey1": "somevalue1", "somekey2": "somevalue2"}


def test_seed_002_ping_create_read_and_list_reach_dynamodb(seed002, http):
    url = http.url(seed002["api_id"], "prod", "/DynamoDBManager")
    assert http.request("POST", url, {"operation": "ping"})[2] == b'"pong"'
    status, _, _ = http.request("POST", url, {"operation": "create", "tableName": seed002["table"],
                                              "payload": {"Item": {"Id": "1", "name": "Bob"}}})
    assert status == 200
    _, _, body = http.request("POST", url, {"operation": "read", "tableName": seed002["table"],
                                            "payload": {"Key": {"Id": "1"}}})
    assert json.loads(body)["Item"] == {"Id": "1", "name": "Bob"}
    _, _, body = http.request("POST", url, {"operation": "list", "tableName": seed002["table"], "payload": {}})
    assert json.loads(body)["Count"] == 1


def test_a_function_error_with_only_a_default_integration_response_comes_back_200_with_the_error(seed002, http):
    status, _, body = http.request("POST", http.url(seed002["api_id"], "prod", "/DynamoDBManager"), {"operation": "nope"})
    assert status == 200
    assert json.loads(body)["errorMessage"] == 'Unrecognized operation "nope"'


def test_seed_000_template_routes_by_context_resource_path(apigateway, lambda_client, make_function, http):
    name = "movies-db-" + uuid.uuid4().hex[:6]
    arn = make_function(name, "nodejs18.x", "movies-dynamodb.js", MOVIES_JS, "movies-dynamodb.handler")
    api_id, root = _new_api(apigateway, "MoviesDP-API")
    movies = _resource(apigateway, api_id, root, "movies")
    add = _resource(apigateway, api_id, movies, "add-movie")
    for resource, method in ((movies, "GET"), (add, "POST")):
        apigateway.put_method(restApiId=api_id, resourceId=resource, httpMethod=method, authorizationType="NONE")
        apigateway.put_integration(restApiId=api_id, resourceId=resource, httpMethod=method, type="AWS",
                                   integrationHttpMethod="POST", uri=lambda_uri(arn),
                                   requestTemplates={"application/json": SEED000_TEMPLATE})
        apigateway.put_method_response(restApiId=api_id, resourceId=resource, httpMethod=method, statusCode="200")
        apigateway.put_integration_response(restApiId=api_id, resourceId=resource, httpMethod=method, statusCode="200",
                                            responseTemplates={"application/json": ""})
    apigateway.create_deployment(restApiId=api_id, stageName="prod")
    allow_apigateway(lambda_client, name, api_id)
    status, _, body = http.request("GET", http.url(api_id, "prod", "/movies"))
    assert status == 200, body
    assert json.loads(body) == {"movies": [], "method": "GET"}
    status, _, body = http.request("POST", http.url(api_id, "prod", "/movies/add-movie?x=1"),
                                   {"title": "Love and Friendship", "year": "2016"})
    assert status == 200, body
    assert json.loads(body) == {"added": "Love and Friendship", "query": {"x": "1"}}


def test_mock_cors_preflight_answers_the_configured_headers(apigateway, http):
    api_id, root = _new_api(apigateway)
    resource = _resource(apigateway, api_id, root, "items")
    apigateway.put_method(restApiId=api_id, resourceId=resource, httpMethod="OPTIONS", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=resource, httpMethod="OPTIONS", type="MOCK",
                               requestTemplates={"application/json": '{"statusCode": 200}'})
    allow = {f"method.response.header.Access-Control-Allow-{h}": False for h in ("Headers", "Methods", "Origin")}
    apigateway.put_method_response(restApiId=api_id, resourceId=resource, httpMethod="OPTIONS", statusCode="200",
                                   responseParameters=allow, responseModels={"application/json": "Empty"})
    apigateway.put_integration_response(
        restApiId=api_id, resourceId=resource, httpMethod="OPTIONS", statusCode="200",
        responseParameters={
            "method.response.header.Access-Control-Allow-Headers": "'Content-Type,X-Amz-Date,Authorization,X-Api-Key'",
            "method.response.header.Access-Control-Allow-Methods": "'GET,OPTIONS'",
            "method.response.header.Access-Control-Allow-Origin": "'*'",
        },
        responseTemplates={"application/json": ""})
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    status, headers, body = http.request("OPTIONS", http.url(api_id, "dev", "/items"))
    assert status == 200
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["access-control-allow-origin"] == "*"
    assert lowered["access-control-allow-methods"] == "GET,OPTIONS"
    assert "x-amz-apigw-id" in lowered
    assert body == b""


def test_mock_status_code_selects_the_matching_integration_response(apigateway, http):
    api_id, root = _new_api(apigateway)
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK",
                               requestTemplates={"application/json": '{"statusCode": 404}'})
    for code, pattern in (("200", None), ("404", "404")):
        apigateway.put_method_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode=code)
        kwargs = {"selectionPattern": pattern} if pattern else {}
        apigateway.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode=code,
                                            responseTemplates={"application/json": f'{{"code": {code}}}'}, **kwargs)
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    status, _, body = http.request("GET", http.url(api_id, "dev", "/"))
    assert (status, json.loads(body)) == (404, {"code": 404})


def test_unknown_path_method_and_stage_answer_as_aws_does(apigateway, http):
    api_id, root = _new_api(apigateway)
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK",
                               requestTemplates={"application/json": '{"statusCode": 200}'})
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    for method, url in (("GET", http.url(api_id, "dev", "/nope")), ("POST", http.url(api_id, "dev", "/")),
                        ("GET", http.url("zzzzzzzzzz", "dev", "/"))):
        status, headers, body = http.request(method, url)
        assert (status, body) == (403, b'{"message":"Missing Authentication Token"}')
    status, _, body = http.request("GET", http.url(api_id, "wrong", "/"))
    assert (status, body) == (403, b'{"message":"Forbidden"}')


def test_deployed_stage_serves_its_snapshot_until_redeployed(apigateway, http):
    api_id, root = _new_api(apigateway)
    mock_get(apigateway, api_id, root, '{"v": 1, "stage": "$stageVariables.color"}')
    apigateway.create_deployment(restApiId=api_id, stageName="dev", variables={"color": "blue"})
    apigateway.update_integration_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="200",
                                           patchOperations=[{"op": "replace", "path": "/responseTemplates/application~1json",
                                                             "value": '{"v": 2}'}])
    assert json.loads(http.request("GET", http.url(api_id, "dev", "/"))[2]) == {"v": 1, "stage": "blue"}
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    assert json.loads(http.request("GET", http.url(api_id, "dev", "/"))[2]) == {"v": 2}


def test_malformed_proxy_response_answers_502(apigateway, lambda_client, make_function, http):
    name = "bad-proxy-" + uuid.uuid4().hex[:6]
    arn = make_function(name, "python3.12", "index.py", "def handler(e, c):\n    return {'nope': 1}\n", "index.handler")
    api_id, root = _new_api(apigateway)
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="AWS_PROXY",
                               integrationHttpMethod="POST", uri=lambda_uri(arn))
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    allow_apigateway(lambda_client, name, api_id)
    status, _, body = http.request("GET", http.url(api_id, "dev", "/"))
    assert (status, body) == (502, b'{"message": "Internal server error"}')


class _Backend(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        body = json.dumps({"path": self.path, "x": self.headers.get("x-test")}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Backend", "yes")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def backend():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Backend)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_http_proxy_greedy_path_passes_request_and_response_through(apigateway, http, backend):
    api_id, root = _new_api(apigateway)
    proxy = _resource(apigateway, api_id, root, "{proxy+}")
    apigateway.put_method(restApiId=api_id, resourceId=proxy, httpMethod="ANY", authorizationType="NONE",
                          requestParameters={"method.request.path.proxy": True})
    apigateway.put_integration(restApiId=api_id, resourceId=proxy, httpMethod="ANY", type="HTTP_PROXY",
                               integrationHttpMethod="ANY", uri=backend + "/base/{proxy}",
                               requestParameters={"integration.request.path.proxy": "method.request.path.proxy"})
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    status, headers, body = http.request("GET", http.url(api_id, "dev", "/a/b?q=1"), headers={"x-test": "hi"})
    assert status == 201
    assert json.loads(body) == {"path": "/base/a/b?q=1", "x": "hi"}
    assert {k.lower(): v for k, v in headers.items()}["x-backend"] == "yes"


def test_http_integration_maps_status_with_selection_pattern(apigateway, http, backend):
    api_id, root = _new_api(apigateway)
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="HTTP",
                               integrationHttpMethod="GET", uri=backend + "/plain")
    for code, pattern in (("200", None), ("202", "2\\d\\d")):
        apigateway.put_method_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode=code)
        kwargs = {"selectionPattern": pattern} if pattern else {}
        apigateway.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode=code,
                                            responseParameters={"method.response.header.X-From": "integration.response.header.X-Backend"},
                                            **kwargs)
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    status, headers, body = http.request("GET", http.url(api_id, "dev", "/"))
    assert status == 202
    assert json.loads(body)["path"] == "/plain"
    assert {k.lower(): v for k, v in headers.items()}["x-from"] == "yes"


def test_request_parameters_map_any_context_variable(apigateway, http, backend):
    api_id, root = _new_api(apigateway)
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="HTTP_PROXY",
                               integrationHttpMethod="GET", uri=backend + "/ip",
                               requestParameters={"integration.request.header.x-test": "context.identity.sourceIp"})
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    status, _, body = http.request("GET", http.url(api_id, "dev", "/"))
    assert (status, json.loads(body)) == (201, {"path": "/ip", "x": "127.0.0.1"})


def test_a_stage_answers_at_the_aws_host_name_and_the_localhost_host_name(apigateway, http, endpoint):
    # So that scripts curling https://{api}.execute-api.{region}.amazonaws.com/{stage}/ work with --connect-to.
    api_id, root = _new_api(apigateway)
    mock_get(apigateway, api_id, root, '{"host": "$context.domainName"}')
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    for host in (f"{api_id}.execute-api.us-east-1.amazonaws.com", f"{api_id}.execute-api.localhost"):
        status, _, body = http.request("GET", f"{endpoint}/dev/", headers={"Host": host})
        assert (status, json.loads(body)) == (200, {"host": host})
    status, _, body = http.request("GET", f"{endpoint}/nope/", headers={"Host": host})
    assert (status, body) == (403, b'{"message":"Forbidden"}')


def test_create_deployment_logs_the_invoke_urls_of_the_stage(apigateway, server):
    api_id, root = _new_api(apigateway, name="logged")
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    apigateway.create_deployment(restApiId=api_id, stageName="prod")
    text = server.log_path.read_text()
    port = server.port
    assert (f"deployed {api_id} (logged) to stage prod: invoke URL http://{api_id}.execute-api.localhost:{port}/prod/ "
            f"(or http://127.0.0.1:{port}/restapis/{api_id}/prod/_user_request_/)") in text


def test_the_accept_header_picks_the_response_template_and_its_content_type(apigateway, http):
    api = apigateway.create_rest_api(name="accept")["id"]
    root = root_id(apigateway, api)
    mock_get(apigateway, api, root, '{"kind": "json"}')
    apigateway.update_integration_response(restApiId=api, resourceId=root, httpMethod="GET", statusCode="200",
                                           patchOperations=[{"op": "add", "path": "/responseTemplates/application~1xml",
                                                             "value": "<kind>xml</kind>"}])
    apigateway.create_deployment(restApiId=api, stageName="dev")
    url = http.url(api, "dev", "/")
    for accept, content_type, body in ((None, "application/json", b'{"kind": "json"}'),
                                       ("application/xml", "application/xml", b"<kind>xml</kind>"),
                                       ("text/html, application/xml;q=0.9", "application/xml", b"<kind>xml</kind>"),
                                       ("*/*", "application/json", b'{"kind": "json"}')):
        status, headers, answer = http.request("GET", url, headers={"Accept": accept} if accept else {})
        headers = {k.lower(): v for k, v in headers.items()}
        assert (status, headers["content-type"], answer) == (200, content_type, body), accept


def test_a_body_over_10_mb_answers_413(apigateway, http):
    api = apigateway.create_rest_api(name="big-body")["id"]
    root = root_id(apigateway, api)
    mock_method(apigateway, api, root, "POST", '{"ok": true}')
    apigateway.create_deployment(restApiId=api, stageName="dev")
    url = http.url(api, "dev", "/")
    assert http.request("POST", url, body=b"x" * (10 * 1024 * 1024))[0] == 200  # the quota itself is allowed
    status, _, body = http.request("POST", url, body=b"x" * (10 * 1024 * 1024 + 1))
    assert (status, json.loads(body)) == (413, {"message": "Request Too Long"})
