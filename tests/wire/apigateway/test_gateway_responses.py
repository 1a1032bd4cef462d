"""Gateway responses through boto3 and HTTP: the control plane (Put/Get/GetAll/Update/Delete, defaults as AWS lists
them) and what a deployed stage answers with a customisation (CORS headers on DEFAULT_4XX is the common case)."""

from __future__ import annotations

import json

import pytest
from apigw_support import mock_get, root_id
from botocore.exceptions import ClientError

DEFAULT_TEMPLATES = {"application/json": '{"message":$context.error.messageString}'}


def fetch(http, method: str, api: str, path: str, **kwargs):
    """(status, headers with lower-case names, body) of a request to stage dev."""
    status, headers, body = http.request(method, http.url(api, "dev", path), **kwargs)
    return status, {k.lower(): v for k, v in headers.items()}, body


@pytest.fixture()
def api(apigateway):
    api_id = apigateway.create_rest_api(name="gateway-responses")["id"]
    root = root_id(apigateway, api_id)
    items = apigateway.create_resource(restApiId=api_id, parentId=root, pathPart="items")["id"]
    mock_get(apigateway, api_id, items, '{"ok": true}')
    apigateway.put_method(restApiId=api_id, resourceId=items, httpMethod="POST", authorizationType="NONE",
                          apiKeyRequired=True)
    apigateway.put_integration(restApiId=api_id, resourceId=items, httpMethod="POST", type="MOCK",
                               requestTemplates={"application/json": '{"statusCode": 200}'})
    yield api_id
    apigateway.delete_rest_api(restApiId=api_id)


def test_an_api_starts_with_every_default_response(apigateway, api):
    items = apigateway.get_gateway_responses(restApiId=api, limit=500)["items"]
    by_type = {item["responseType"]: item for item in items}
    assert len(items) == 21
    assert by_type["MISSING_AUTHENTICATION_TOKEN"] == {
        "responseType": "MISSING_AUTHENTICATION_TOKEN", "statusCode": "403", "responseParameters": {},
        "responseTemplates": DEFAULT_TEMPLATES, "defaultResponse": True}
    assert "statusCode" not in by_type["DEFAULT_4XX"] and by_type["DEFAULT_4XX"]["defaultResponse"] is True
    assert by_type["INTEGRATION_TIMEOUT"]["statusCode"] == "504"
    assert by_type["THROTTLED"]["statusCode"] == "429"
    page = apigateway.get_gateway_responses(restApiId=api, limit=5)
    assert len(page["items"]) == 5 and page["position"] == "5"


def test_put_get_update_delete(apigateway, api):
    put = apigateway.put_gateway_response(
        restApiId=api, responseType="DEFAULT_4XX",
        responseParameters={"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"})
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert put["responseType"] == "DEFAULT_4XX" and put["defaultResponse"] is False
    assert put["responseParameters"] == {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}
    got = apigateway.get_gateway_response(restApiId=api, responseType="DEFAULT_4XX")
    assert got["defaultResponse"] is False and "statusCode" not in got

    updated = apigateway.update_gateway_response(restApiId=api, responseType="UNAUTHORIZED", patchOperations=[
        {"op": "replace", "path": "/statusCode", "value": "418"},
        {"op": "add", "path": "/responseTemplates/application~1json", "value": '{"error":"$context.error.message"}'},
    ])
    assert updated["statusCode"] == "418" and updated["defaultResponse"] is False
    assert updated["responseTemplates"] == {"application/json": '{"error":"$context.error.message"}'}

    deleted = apigateway.delete_gateway_response(restApiId=api, responseType="UNAUTHORIZED")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert apigateway.get_gateway_response(restApiId=api, responseType="UNAUTHORIZED")["defaultResponse"] is True
    with pytest.raises(ClientError) as caught:
        apigateway.delete_gateway_response(restApiId=api, responseType="UNAUTHORIZED")
    assert caught.value.response["Error"]["Code"] == "NotFoundException"


@pytest.mark.parametrize("kwargs", [
    {"responseType": "NOT_A_TYPE"},
    {"responseType": "DEFAULT_4XX", "statusCode": "600"},
    {"responseType": "DEFAULT_4XX", "responseParameters": {"method.response.header.X": "'a'"}},
    {"responseType": "DEFAULT_4XX", "responseParameters": {"gatewayresponse.header.X": "integration.response.body"}},
    {"responseType": "DEFAULT_4XX", "responseParameters": {"gatewayresponse.header.a:b": "'v'"}},
    {"responseType": "DEFAULT_4XX", "responseParameters": {"gatewayresponse.header.a b": "'v'"}},
    {"responseType": "DEFAULT_4XX", "responseParameters": {"gatewayresponse.header.é": "'v'"}},
])
def test_bad_puts_are_refused_and_change_nothing(apigateway, api, kwargs):
    with pytest.raises(ClientError) as caught:
        apigateway.put_gateway_response(restApiId=api, **kwargs)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert all(item["defaultResponse"] for item in apigateway.get_gateway_responses(restApiId=api, limit=500)["items"])


def test_a_patch_to_a_bad_status_code_is_refused(apigateway, api):
    with pytest.raises(ClientError) as caught:
        apigateway.update_gateway_response(restApiId=api, responseType="DEFAULT_5XX", patchOperations=[
            {"op": "replace", "path": "/statusCode", "value": "99"}])
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert apigateway.get_gateway_response(restApiId=api, responseType="DEFAULT_5XX")["defaultResponse"] is True


def test_a_deployed_customisation_shapes_the_errors_of_its_class(apigateway, api, http):
    apigateway.create_deployment(restApiId=api, stageName="dev", variables={"team": "blue"})
    status, headers, body = fetch(http, "GET", api, "/nowhere")
    assert (status, json.loads(body)) == (403, {"message": "Missing Authentication Token"})
    assert "access-control-allow-origin" not in headers

    apigateway.put_gateway_response(
        restApiId=api, responseType="DEFAULT_4XX",
        responseParameters={"gatewayresponse.header.Access-Control-Allow-Origin": "'*'",
                            "gatewayresponse.header.X-Team": "stageVariables.team",
                            "gatewayresponse.header.X-Asked": "method.request.header.x-asked",
                            "gatewayresponse.header.X-Type": "context.error.responseType"},
        responseTemplates={"application/json": '{"error":$context.error.messageString,'
                                               '"type":"$context.error.responseType","path":"$context.path"}'})
    # Not served before the API is deployed again, as on AWS.
    assert "access-control-allow-origin" not in fetch(http, "GET", api, "/nowhere")[1]
    apigateway.create_deployment(restApiId=api, stageName="dev")

    status, headers, body = fetch(http, "GET", api, "/nowhere", headers={"x-asked": "yes"})
    assert status == 403
    assert headers["access-control-allow-origin"] == "*"
    assert (headers["x-team"], headers["x-asked"], headers["x-type"]) == ("blue", "yes", "MISSING_AUTHENTICATION_TOKEN")
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": "Missing Authentication Token", "type": "MISSING_AUTHENTICATION_TOKEN",
                                "path": "/dev/nowhere"}
    # Another 4XX type takes the same fallback, with its own status.
    status, headers, body = fetch(http, "POST", api, "/items", body={})
    assert status == 403 and json.loads(body)["type"] == "INVALID_API_KEY"
    assert headers["access-control-allow-origin"] == "*"
    # Successful requests are untouched.
    status, headers, body = fetch(http, "GET", api, "/items")
    assert (status, json.loads(body)) == (200, {"ok": True}) and "access-control-allow-origin" not in headers


def test_a_type_of_its_own_and_status_codes(apigateway, api, http):
    apigateway.put_gateway_response(restApiId=api, responseType="DEFAULT_4XX", statusCode="400",
                                    responseTemplates={"application/json": '{"from":"default"}'})
    apigateway.put_gateway_response(restApiId=api, responseType="INVALID_API_KEY",
                                    responseTemplates={"text/plain": "no key for $context.resourcePath"})
    apigateway.create_deployment(restApiId=api, stageName="dev")
    # DEFAULT_4XX's status code replaces every 4XX type's that sets none of its own...
    status, _, body = fetch(http, "GET", api, "/nowhere")
    assert (status, json.loads(body)) == (400, {"from": "default"})
    # ... and a type customised on its own uses its own template and content type.
    status, headers, body = fetch(http, "POST", api, "/items", body={})
    assert (status, body) == (400, b"no key for /items")
    assert headers["content-type"] == "text/plain"


def test_gateway_responses_go_through_import_and_export(apigateway, api):
    document = {
        "swagger": "2.0", "info": {"title": "imported", "version": "1"},
        "paths": {"/": {"get": {"responses": {"200": {"description": "ok"}},
                                "x-amazon-apigateway-integration": {
                                    "type": "mock", "requestTemplates": {"application/json": '{"statusCode": 200}'},
                                    "responses": {"default": {"statusCode": "200"}}}}}},
        "x-amazon-apigateway-gateway-responses": {
            "DEFAULT_5XX": {"responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
                            "responseTemplates": {"application/json": '{"message":$context.error.messageString}'}},
            "UNAUTHORIZED": {"statusCode": 401, "responseTemplates": {"application/json": '{"m":"no"}'}},
        },
    }
    imported = apigateway.import_rest_api(body=json.dumps(document).encode())["id"]
    try:
        got = apigateway.get_gateway_response(restApiId=imported, responseType="UNAUTHORIZED")
        assert (got["statusCode"], got["defaultResponse"]) == ("401", False)
        apigateway.create_deployment(restApiId=imported, stageName="v1")
        exported = json.loads(apigateway.get_export(restApiId=imported, stageName="v1", exportType="swagger",
                                                    accepts="application/json")["body"].read())
        assert exported["x-amazon-apigateway-gateway-responses"] == {
            "DEFAULT_5XX": document["x-amazon-apigateway-gateway-responses"]["DEFAULT_5XX"],
            "UNAUTHORIZED": {"statusCode": "401", "responseParameters": {},
                             "responseTemplates": {"application/json": '{"m":"no"}'}},
        }
    finally:
        apigateway.delete_rest_api(restApiId=imported)
    bad = dict(document, **{"x-amazon-apigateway-gateway-responses": {"NOPE": {}}})
    with pytest.raises(ClientError) as caught:
        apigateway.import_rest_api(body=json.dumps(bad).encode())
    assert caught.value.response["Error"]["Code"] == "BadRequestException"


def test_copying_a_whole_map_into_one_of_its_entries_is_refused(apigateway, api):
    # A map's entries are strings; `copy` from the map itself used to store an object there (and answer 500).
    with pytest.raises(ClientError) as caught:
        apigateway.update_gateway_response(restApiId=api, responseType="THROTTLED", patchOperations=[
            {"op": "copy", "path": "/responseTemplates/application~1json", "from": "/responseTemplates"}])
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert apigateway.get_gateway_response(restApiId=api, responseType="THROTTLED")["defaultResponse"] is True
