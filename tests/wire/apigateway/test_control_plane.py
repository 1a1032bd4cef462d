"""Control-plane behaviour: AWS defaults, errors and messages, patch operations, import/export, TestInvokeMethod."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from apigw_support import root_id

SWAGGER = {
    "swagger": "2.0",
    "info": {"title": "MoviesImported", "version": "2016-06-01"},
    "paths": {
        "/movies": {
            "get": {
                "produces": ["application/json"],
                "responses": {"200": {"description": "ok", "headers": {"Access-Control-Allow-Origin": {"type": "string"}}}},
                "x-amazon-apigateway-integration": {
                    "type": "mock", "passthroughBehavior": "when_no_match",
                    "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
                    "responses": {"default": {"statusCode": "200",
                                              "responseParameters": {"method.response.header.Access-Control-Allow-Origin": "'*'"},
                                              "responseTemplates": {"application/json": "{\"imported\": true}"}}},
                },
            }
        },
        "/movies/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
            "x-amazon-apigateway-any-method": {
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": {
                    "type": "mock", "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
                    "responses": {"default": {"statusCode": "200",
                                              "responseTemplates": {"application/json": "{\"id\": \"$input.params('id')\"}"}}},
                },
            },
        },
    },
    "definitions": {"Movie": {"type": "object", "properties": {"title": {"type": "string"}}}},
}


def error_of(call, *args, **kwargs) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as info:
        call(*args, **kwargs)
    err = info.value.response
    return err["Error"]["Code"], err["Error"]["Message"], err["ResponseMetadata"]["HTTPStatusCode"]


def test_create_rest_api_has_ten_char_id_root_resource_and_default_models(apigateway):
    api = apigateway.create_rest_api(name="defaults", binaryMediaTypes=["image/png"],
                                     endpointConfiguration={"types": ["REGIONAL"]})
    assert len(api["id"]) == 10 and api["id"].isalnum()
    assert api["endpointConfiguration"]["types"] == ["REGIONAL"]
    assert api["binaryMediaTypes"] == ["image/png"]
    assert api["apiKeySource"] == "HEADER"
    resources = apigateway.get_resources(restApiId=api["id"])["items"]
    assert [r["path"] for r in resources] == ["/"] and resources[0]["id"] == api["rootResourceId"]
    assert sorted(m["name"] for m in apigateway.get_models(restApiId=api["id"])["items"]) == ["Empty", "Error"]
    assert api["id"] in [a["id"] for a in apigateway.get_rest_apis(limit=500)["items"]]


def test_unknown_api_answers_not_found_with_the_account_in_the_message(apigateway):
    assert error_of(apigateway.get_rest_api, restApiId="abc") == (
        "NotFoundException", "Invalid API identifier specified 000000000000:abc", 404)


def test_unknown_resource_method_and_stage_answer_not_found(apigateway):
    api_id = apigateway.create_rest_api(name="nf")["id"]
    root = root_id(apigateway, api_id)
    assert error_of(apigateway.get_resource, restApiId=api_id, resourceId="nope")[:2] == (
        "NotFoundException", "Invalid Resource identifier specified")
    assert error_of(apigateway.get_method, restApiId=api_id, resourceId=root, httpMethod="GET")[:2] == (
        "NotFoundException", "Invalid Method identifier specified")
    assert error_of(apigateway.get_stage, restApiId=api_id, stageName="x")[:2] == (
        "NotFoundException", "Invalid Stage identifier specified")


def test_a_method_without_integration_answers_invalid_integration_identifier(apigateway):
    # As AWS answers GetIntegration, and PutIntegrationResponse (a Terraform apply racing its integration).
    api_id = apigateway.create_rest_api(name="no-integration")["id"]
    root = root_id(apigateway, api_id)
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_method_response(restApiId=api_id, resourceId=root, httpMethod="GET", statusCode="200")
    expected = ("NotFoundException", "Invalid Integration identifier specified", 404)
    assert error_of(apigateway.get_integration, restApiId=api_id, resourceId=root, httpMethod="GET") == expected
    assert error_of(apigateway.put_integration_response, restApiId=api_id, resourceId=root, httpMethod="GET",
                    statusCode="200") == expected
    assert error_of(apigateway.delete_integration, restApiId=api_id, resourceId=root, httpMethod="GET") == expected


def test_update_integration_patches_cache_namespace_and_tls_config(apigateway):
    api_id = apigateway.create_rest_api(name="patch-integration")["id"]
    root = root_id(apigateway, api_id)
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="HTTP_PROXY",
                               integrationHttpMethod="GET", uri="https://example.com/")
    integration = apigateway.update_integration(restApiId=api_id, resourceId=root, httpMethod="GET", patchOperations=[
        {"op": "replace", "path": "/cacheNamespace", "value": "shared"},
        {"op": "replace", "path": "/tlsConfig/insecureSkipVerification", "value": "true"},
        {"op": "add", "path": "/cacheKeyParameters/method.request.path.id"}])
    assert integration["cacheNamespace"] == "shared"
    assert integration["tlsConfig"] == {"insecureSkipVerification": True}
    assert integration["cacheKeyParameters"] == ["method.request.path.id"]
    again = apigateway.get_integration(restApiId=api_id, resourceId=root, httpMethod="GET")
    assert again["tlsConfig"] == {"insecureSkipVerification": True}


def test_duplicate_resource_and_method_answer_conflict(apigateway):
    api_id = apigateway.create_rest_api(name="conflict")["id"]
    root = root_id(apigateway, api_id)
    apigateway.create_resource(restApiId=api_id, parentId=root, pathPart="a")
    assert error_of(apigateway.create_resource, restApiId=api_id, parentId=root, pathPart="a") == (
        "ConflictException", "Another resource with the same parent already has this name: a", 409)
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    assert error_of(apigateway.put_method, restApiId=api_id, resourceId=root, httpMethod="GET",
                    authorizationType="NONE") == ("ConflictException", "Method already exists for this resource", 409)


def test_path_part_rules_and_greedy_children_are_refused(apigateway):
    api_id = apigateway.create_rest_api(name="paths")["id"]
    root = root_id(apigateway, api_id)
    assert error_of(apigateway.create_resource, restApiId=api_id, parentId=root, pathPart="a/b")[0] == "BadRequestException"
    proxy = apigateway.create_resource(restApiId=api_id, parentId=root, pathPart="{proxy+}")
    assert proxy["path"] == "/{proxy+}"
    code, message, _ = error_of(apigateway.create_resource, restApiId=api_id, parentId=proxy["id"], pathPart="x")
    assert (code, message) == ("BadRequestException", "Cannot create a child of a resource with a greedy path variable: {proxy+}")


def test_delete_resource_deletes_its_children(apigateway):
    api_id = apigateway.create_rest_api(name="tree")["id"]
    root = root_id(apigateway, api_id)
    a = apigateway.create_resource(restApiId=api_id, parentId=root, pathPart="a")["id"]
    apigateway.create_resource(restApiId=api_id, parentId=a, pathPart="b")
    apigateway.delete_resource(restApiId=api_id, resourceId=a)
    assert [r["path"] for r in apigateway.get_resources(restApiId=api_id)["items"]] == ["/"]


def test_create_deployment_without_methods_answers_bad_request(apigateway):
    api_id = apigateway.create_rest_api(name="empty")["id"]
    assert error_of(apigateway.create_deployment, restApiId=api_id, stageName="dev") == (
        "BadRequestException", "The REST API doesn't contain any methods", 400)


def test_patch_operations_update_api_method_integration_and_stage(apigateway):
    api_id = apigateway.create_rest_api(name="patch")["id"]
    root = root_id(apigateway, api_id)
    api = apigateway.update_rest_api(restApiId=api_id, patchOperations=[
        {"op": "replace", "path": "/name", "value": "renamed"},
        {"op": "add", "path": "/binaryMediaTypes/image~1png"}])
    assert (api["name"], api["binaryMediaTypes"]) == ("renamed", ["image/png"])
    apigateway.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    method = apigateway.update_method(restApiId=api_id, resourceId=root, httpMethod="GET", patchOperations=[
        {"op": "replace", "path": "/apiKeyRequired", "value": "true"}])
    assert method["apiKeyRequired"] is True
    apigateway.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    integration = apigateway.update_integration(restApiId=api_id, resourceId=root, httpMethod="GET", patchOperations=[
        {"op": "add", "path": "/requestTemplates/application~1json", "value": '{"statusCode": 200}'}])
    assert integration["requestTemplates"] == {"application/json": '{"statusCode": 200}'}
    apigateway.create_deployment(restApiId=api_id, stageName="dev")
    stage = apigateway.update_stage(restApiId=api_id, stageName="dev", patchOperations=[
        {"op": "replace", "path": "/variables/color", "value": "red"},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "INFO"}])
    assert stage["variables"] == {"color": "red"}
    assert stage["methodSettings"]["*/*"]["loggingLevel"] == "INFO"
    assert error_of(apigateway.update_rest_api, restApiId=api_id,
                    patchOperations=[{"op": "replace", "path": "/nope", "value": "x"}])[:2] == (
        "BadRequestException", "Invalid patch path /nope")


def test_import_swagger_builds_resources_and_serves_after_deployment(apigateway, http):
    api = apigateway.import_rest_api(body=json.dumps(SWAGGER).encode())
    assert api["name"] == "MoviesImported"
    paths = sorted(r["path"] for r in apigateway.get_resources(restApiId=api["id"])["items"])
    assert paths == ["/", "/movies", "/movies/{id}"]
    assert "Movie" in [m["name"] for m in apigateway.get_models(restApiId=api["id"])["items"]]
    apigateway.create_deployment(restApiId=api["id"], stageName="v1")
    status, headers, body = http.request("GET", http.url(api["id"], "v1", "/movies"))
    assert (status, json.loads(body)) == (200, {"imported": True})
    assert {k.lower(): v for k, v in headers.items()}["access-control-allow-origin"] == "*"
    assert json.loads(http.request("DELETE", http.url(api["id"], "v1", "/movies/42"))[2]) == {"id": "42"}


def test_export_round_trips_through_put_rest_api_overwrite(apigateway):
    api = apigateway.import_rest_api(body=json.dumps(SWAGGER).encode())
    apigateway.create_deployment(restApiId=api["id"], stageName="v1")
    exported = apigateway.get_export(restApiId=api["id"], stageName="v1", exportType="swagger",
                                     parameters={"extensions": "integrations"}, accepts="application/json")
    doc = json.loads(exported["body"].read())
    assert doc["swagger"] == "2.0" and doc["basePath"] == "/v1"
    assert exported["contentType"] == "application/octet-stream"  # as AWS answers, JSON or YAML
    assert exported["contentDisposition"].startswith('attachment; filename="swagger_')
    assert doc["paths"]["/movies"]["get"]["x-amazon-apigateway-integration"]["type"] == "mock"
    yaml_export = apigateway.get_export(restApiId=api["id"], stageName="v1", exportType="oas30",
                                        accepts="application/yaml")["body"].read()
    assert b"openapi: 3.0.1" in yaml_export
    other = apigateway.create_rest_api(name="target")["id"]
    apigateway.put_rest_api(restApiId=other, mode="overwrite", body=json.dumps(doc).encode())
    paths = sorted(r["path"] for r in apigateway.get_resources(restApiId=other)["items"])
    assert paths == ["/", "/movies", "/movies/{id}"]


def test_export_of_an_unknown_type_answers_bad_request(apigateway):
    api = apigateway.import_rest_api(body=json.dumps(SWAGGER).encode())
    apigateway.create_deployment(restApiId=api["id"], stageName="v1")
    assert error_of(apigateway.get_export, restApiId=api["id"], stageName="v1", exportType="postman") == (
        "BadRequestException", "No API exporter for type 'postman'", 400)


def test_test_invoke_method_runs_the_undeployed_api(apigateway):
    api = apigateway.import_rest_api(body=json.dumps(SWAGGER).encode())
    resources = {r["path"]: r["id"] for r in apigateway.get_resources(restApiId=api["id"])["items"]}
    out = apigateway.test_invoke_method(restApiId=api["id"], resourceId=resources["/movies/{id}"], httpMethod="ANY",
                                        pathWithQueryString="/movies/7")
    assert out["status"] == 200
    assert json.loads(out["body"]) == {"id": "7"}
    assert "Received response. Status: 200, Integration latency: 0 ms\nSuccessfully completed execution\n" \
           "Method completed with status: 200" in out["log"]


def test_test_invoke_method_takes_null_header_values_as_none(apigateway, http):
    # JSON nulls in `headers` / `multiValueHeaders` (which boto3 lets through with parameter validation off) used
    # to answer 500.
    api = apigateway.import_rest_api(body=json.dumps(SWAGGER).encode())
    resources = {r["path"]: r["id"] for r in apigateway.get_resources(restApiId=api["id"])["items"]}
    path = f"/restapis/{api['id']}/resources/{resources['/movies/{id}']}/methods/ANY"
    body = {"pathWithQueryString": "/movies/7", "headers": {"a": None},
            "multiValueHeaders": {"k": None, "j": ["x", None]}}
    status, _, answer = http.request("POST", http.endpoint + path, body=body, headers={
        "Authorization": "AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/apigateway/aws4_request, "
                         "SignedHeaders=host, Signature=x"})
    assert status == 200, answer
    assert json.loads(answer)["status"] == 200
