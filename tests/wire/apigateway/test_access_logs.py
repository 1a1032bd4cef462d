"""Access logs per stage (UpdateStage /accessLogSettings): one line per served request in CloudWatch Logs."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from apigw_support import ACCOUNT, allow_apigateway, lambda_uri, mock_get, root_id

FORMAT = ('{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","httpMethod":"$context.httpMethod",'
          '"resourcePath":"$context.resourcePath","path":"$context.path","status":"$context.status",'
          '"responseLength":"$context.responseLength","error":"$context.error.message"}')


@pytest.fixture(scope="module")
def logs(boto_session, endpoint):
    return boto_session.client("logs", endpoint_url=endpoint)


def _mock_api(apigateway) -> str:
    api_id = apigateway.create_rest_api(name="access-logged")["id"]
    root = root_id(apigateway, api_id)
    mock_get(apigateway, api_id, root, '{"ok": true}')
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    return api_id


def _log_lines(logs, group: str) -> list[dict]:
    events = logs.filter_log_events(logGroupName=group)["events"]
    return [json.loads(e["message"]) for e in events]


def test_a_stage_with_access_log_settings_writes_a_line_per_request(apigateway, logs, http):
    api_id = _mock_api(apigateway)
    group = f"API-Gateway-Access-Logs_{api_id}/dev"
    logs.create_log_group(logGroupName=group)
    arn = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"
    stage = apigateway.update_stage(restApiId=api_id, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": arn},
        {"op": "replace", "path": "/accessLogSettings/format", "value": FORMAT}])
    assert stage["accessLogSettings"] == {"destinationArn": arn, "format": FORMAT}
    ok = http.request("GET", http.url(api_id, "dev", "/"))
    missing = http.request("GET", http.url(api_id, "dev", "/nope"))
    assert (ok[0], missing[0]) == (200, 403)
    lines = _log_lines(logs, group)
    assert len(lines) == 2
    first, second = sorted(lines, key=lambda line: line["status"])
    request_id = {k.lower(): v for k, v in ok[1].items()}["x-amzn-requestid"]
    assert first == {"requestId": request_id, "ip": "127.0.0.1", "httpMethod": "GET",
                     "resourcePath": "/", "path": "/dev/", "status": "200", "responseLength": str(len(ok[2])),
                     "error": "-"}
    assert (second["status"], second["resourcePath"], second["path"], second["error"]) == (
        "403", "-", "/dev/nope", "Missing Authentication Token")


def test_removing_access_log_settings_stops_the_lines(apigateway, logs, http):
    api_id = _mock_api(apigateway)
    group = f"access-{api_id}"
    apigateway.update_stage(restApiId=api_id, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn",
         "value": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"},
        {"op": "replace", "path": "/accessLogSettings/format", "value": "$context.requestId $context.status"}])
    http.request("GET", http.url(api_id, "dev", "/"))
    stage = apigateway.update_stage(restApiId=api_id, stageName="dev",
                                    patchOperations=[{"op": "remove", "path": "/accessLogSettings"}])
    assert "accessLogSettings" not in stage
    http.request("GET", http.url(api_id, "dev", "/"))
    messages = [e["message"] for e in logs.filter_log_events(logGroupName=group)["events"]]
    assert len(messages) == 1 and messages[0].endswith(" 200")


@pytest.mark.parametrize("format_, message", [
    ("$context.status $context.path",
     "Access Log format must include either $context.requestId or $context.extendedRequestId"),
    ("$context.requestId\n$context.status",
     "Access Log format must be single line, new line character is allowed only at end of the format"),
])
def test_update_stage_refuses_an_access_log_format_aws_refuses(apigateway, format_, message):
    api_id = _mock_api(apigateway)
    with pytest.raises(ClientError) as info:
        apigateway.update_stage(restApiId=api_id, stageName="dev", patchOperations=[
            {"op": "replace", "path": "/accessLogSettings/format", "value": format_}])
    assert (info.value.response["Error"]["Code"], info.value.response["Error"]["Message"]) == (
        "BadRequestException", message)
    assert "accessLogSettings" not in apigateway.get_stage(restApiId=api_id, stageName="dev")


def test_the_access_log_has_the_authorizer_context_of_the_request(apigateway, logs, http):
    api_id = apigateway.create_rest_api(name="authorized")["id"]
    root = root_id(apigateway, api_id)
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="CUSTOM",
                          authorizerId="abc123")
    apigateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK",
                               requestTemplates={"application/json": '{"statusCode": 200}'})
    apigateway.put_method_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="200")
    apigateway.put_integration_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="200",
                                        responseTemplates={"application/json": "{}"})
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    group = f"access-{api_id}"
    apigateway.update_stage(restApiId=api_id, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn",
         "value": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"},
        {"op": "replace", "path": "/accessLogSettings/format",
         "value": "$context.requestId $context.resourcePath $context.authorizer.principalId $context.status"}])
    assert http.request("GET", http.url(api_id, "dev", "/"), headers={"Authorization": "token"})[0] == 200
    assert http.request("GET", http.url(api_id, "dev", "/"))[0] == 401  # no token: the authorizer refuses it
    messages = sorted(e["message"].split(" ", 1)[1] for e in logs.filter_log_events(logGroupName=group)["events"])
    # (pocketcloud does not run custom authorizers yet: a request with a token gets principalId "user")
    assert messages == ["/ - 401", "/ user 200"]


PROXY_FUNCTION = '''
def handler(event, context):
    if event["path"].endswith("/fail"):
        raise ValueError("no such movie")
    return {"statusCode": 201, "body": context.aws_request_id}
'''
INTEGRATION_FORMAT = ("$context.requestId $context.integrationLatency $context.integration.latency "
                      "$context.integration.status $context.integrationStatus $context.integration.integrationStatus "
                      "$context.integration.requestId $context.awsEndpointRequestId $context.responseLatency "
                      "$context.error.responseType $context.integration.error")


def test_the_access_log_has_what_the_integration_did(apigateway, lambda_client, make_function, logs, http):
    arn = make_function("access-log-proxy", "python3.12", "index.py", PROXY_FUNCTION, "index.handler")
    api_id = apigateway.create_rest_api(name="access-logged-proxy")["id"]
    proxy = apigateway.create_resource(restApiId=api_id, parentId=root_id(apigateway, api_id), pathPart="{proxy+}")
    apigateway.put_method(restApiId=api_id, resourceId=proxy["id"], httpMethod="ANY", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=proxy["id"], httpMethod="ANY", type="AWS_PROXY",
                               integrationHttpMethod="POST", uri=lambda_uri(arn))
    allow_apigateway(lambda_client, "access-log-proxy", api_id)
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    group = f"access-{api_id}"
    apigateway.update_stage(restApiId=api_id, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn",
         "value": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{group}"},
        {"op": "replace", "path": "/accessLogSettings/format", "value": INTEGRATION_FORMAT}])
    created = http.request("GET", http.url(api_id, "dev", "/movies"))
    failed = http.request("GET", http.url(api_id, "dev", "/movies/fail"))
    missing = http.request("GET", http.url(api_id, "dev", "/"))
    assert (created[0], failed[0], missing[0]) == (201, 502, 403)
    lines = {}
    for event in logs.filter_log_events(logGroupName=group)["events"]:
        request_id, *fields = event["message"].split(" ", 10)
        lines[request_id] = fields
    ids = [{k.lower(): v for k, v in r[1].items()}["x-amzn-requestid"] for r in (created, failed, missing)]
    ok, error, no_route = (lines[i] for i in ids)
    lambda_request_id = created[2].decode()
    # integrationLatency and integration.latency are the same whole number of ms, within the response's latency
    assert ok[0] == ok[1] and 0 <= int(ok[0]) <= int(ok[7])
    assert ok[2:7] == ["201", "200", "200", lambda_request_id, lambda_request_id]
    assert ok[8:] == ["-", "-"]
    # a function error: Lambda answered 200, the function gave no statusCode; the gateway answered its default 5XX
    assert error[2:5] == ["-", "200", "200"]
    assert error[5] == error[6] != "-"
    assert error[8:] == ["DEFAULT_5XX", "no such movie"]
    # no route: no integration ran
    assert no_route[:7] == ["-"] * 7 and no_route[8:] == ["MISSING_AUTHENTICATION_TOKEN", "-"]
