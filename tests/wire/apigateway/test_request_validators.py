"""Request validators through boto3 and HTTP: the control plane, and what a deployed method with a validator lets
through (required parameters present and not blank; a body its model's JSON schema accepts)."""

from __future__ import annotations

import json

import pytest
from apigw_support import mock_method, root_id
from botocore.exceptions import ClientError

PET = {"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["name", "tag"],
       "properties": {"name": {"type": "string", "minLength": 1}, "tag": {"$ref": "TAG"},
                      "price": {"type": "number", "minimum": 0}}}
TAG = {"type": "string", "enum": ["cat", "dog"]}


@pytest.fixture()
def api(apigateway):
    api_id = apigateway.create_rest_api(name="validated")["id"]
    yield api_id
    apigateway.delete_rest_api(restApiId=api_id)


def _echo_method(apigateway, api_id: str, resource_id: str, http_method: str, **method_kwargs) -> None:
    """A method answered by a MOCK integration with 200 {"ok": true} (JSON and plain-text requests)."""
    mock_method(apigateway, api_id, resource_id, http_method, '{"ok": true}', ("application/json", "text/plain"),
                **method_kwargs)


def test_crud(apigateway, api):
    created = apigateway.create_request_validator(restApiId=api, name="body-only", validateRequestBody=True)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert (created["name"], created["validateRequestBody"], created["validateRequestParameters"]) == (
        "body-only", True, False)
    plain = apigateway.create_request_validator(restApiId=api)
    assert plain["validateRequestBody"] is False and plain["validateRequestParameters"] is False
    listed = apigateway.get_request_validators(restApiId=api)["items"]
    assert sorted(v["id"] for v in listed) == sorted([created["id"], plain["id"]])
    updated = apigateway.update_request_validator(restApiId=api, requestValidatorId=created["id"], patchOperations=[
        {"op": "replace", "path": "/validateRequestParameters", "value": "true"},
        {"op": "replace", "path": "/name", "value": "both"}])
    assert (updated["name"], updated["validateRequestParameters"]) == ("both", True)
    got = apigateway.get_request_validator(restApiId=api, requestValidatorId=created["id"])
    assert {k: v for k, v in got.items() if k != "ResponseMetadata"} == {
        "id": created["id"], "name": "both", "validateRequestBody": True, "validateRequestParameters": True}
    assert apigateway.delete_request_validator(
        restApiId=api, requestValidatorId=plain["id"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    for call in (apigateway.get_request_validator, apigateway.delete_request_validator):
        with pytest.raises(ClientError) as caught:
            call(restApiId=api, requestValidatorId=plain["id"])
        assert caught.value.response["Error"] == {
            "Code": "NotFoundException", "Message": "Invalid Request Validator identifier specified"}


def test_a_method_may_only_name_a_validator_of_its_api(apigateway, api):
    root = root_id(apigateway, api)
    with pytest.raises(ClientError) as caught:
        apigateway.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE",
                              requestValidatorId="nope12")
    assert caught.value.response["Error"]["Code"] == "BadRequestException"
    apigateway.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    with pytest.raises(ClientError):
        apigateway.update_method(restApiId=api, resourceId=root, httpMethod="GET", patchOperations=[
            {"op": "replace", "path": "/requestValidatorId", "value": "nope12"}])
    assert "requestValidatorId" not in apigateway.get_method(restApiId=api, resourceId=root, httpMethod="GET")


@pytest.fixture()
def validated(apigateway, api):
    """/pets/{id}: GET needs ?q and the x-trace header (parameters validator); POST's JSON body must be a Pet."""
    apigateway.create_model(restApiId=api, name="TAG", contentType="application/json", schema=json.dumps(TAG))
    pet_schema = json.dumps(PET).replace('"TAG"', f'"https://apigateway.amazonaws.com/restapis/{api}/models/TAG"')
    apigateway.create_model(restApiId=api, name="Pet", contentType="application/json", schema=pet_schema)
    params = apigateway.create_request_validator(restApiId=api, name="params", validateRequestParameters=True)["id"]
    body = apigateway.create_request_validator(restApiId=api, name="body", validateRequestBody=True)["id"]
    root = root_id(apigateway, api)
    pets = apigateway.create_resource(restApiId=api, parentId=root, pathPart="pets")["id"]
    pet = apigateway.create_resource(restApiId=api, parentId=pets, pathPart="{id}")["id"]
    _echo_method(apigateway, api, pet, "GET", requestValidatorId=params,
                 requestParameters={"method.request.querystring.q": True, "method.request.header.x-trace": True,
                                    "method.request.querystring.optional": False, "method.request.path.id": True})
    _echo_method(apigateway, api, pets, "POST", requestValidatorId=body, requestModels={"application/json": "Pet"})
    apigateway.create_deployment(restApiId=api, stageName="dev")
    return api


def test_required_parameters(http, validated):
    url = http.url(validated, "dev", "/pets/7")
    assert http.request("GET", url + "?q=1", headers={"x-trace": "t"})[0] == 200
    status, _, body = http.request("GET", url)
    assert (status, json.loads(body)) == (400, {"message": "Missing required request parameters: [q, x-trace]"})
    status, _, body = http.request("GET", url + "?q=%20", headers={"x-trace": "t"})  # blank counts as missing
    assert (status, json.loads(body)) == (400, {"message": "Missing required request parameters: [q]"})


@pytest.mark.parametrize(("body", "expected"), [
    ({"name": "rex", "tag": "dog"}, 200),
    ({"name": "rex", "tag": "dog", "price": 3.5, "extra": [1]}, 200),
    ({"name": "rex"}, 400),                      # a required property missing
    ({"name": "", "tag": "dog"}, 400),           # minLength
    ({"name": "rex", "tag": "cow"}, 400),        # the referenced model's enum
    ({"name": "rex", "tag": "dog", "price": -1}, 400),
    (["name"], 400),
    (b"{not json", 400),
    (b"", 400),                                  # validated as {}: the required properties are missing
])
def test_the_body_must_match_its_model(http, validated, body, expected):
    status, _, answer = http.request("POST", http.url(validated, "dev", "/pets"), body=body,
                                     headers={"Content-Type": "application/json"})
    assert status == expected, answer
    if expected == 400:
        assert json.loads(answer) == {"message": "Invalid request body"}


def test_an_empty_body_is_validated_as_an_empty_object(apigateway, http, validated):
    root = root_id(apigateway, validated)
    body = apigateway.get_request_validators(restApiId=validated)["items"]
    body_id = next(v["id"] for v in body if v["name"] == "body")
    _echo_method(apigateway, validated, root, "POST", requestValidatorId=body_id,
                 requestModels={"application/json": "Empty"})
    apigateway.create_deployment(restApiId=validated, stageName="dev")
    assert http.request("POST", http.url(validated, "dev", "/"), body=b"")[0] == 200
    assert http.request("POST", http.url(validated, "dev", "/"), body=b"[]")[0] == 400


def test_a_content_type_without_a_model_is_not_validated(http, validated):
    status, _, _ = http.request("POST", http.url(validated, "dev", "/pets"), body=b"anything",
                                headers={"Content-Type": "text/plain"})
    assert status == 200


def test_a_gateway_response_can_show_what_failed(apigateway, http, validated):
    apigateway.put_gateway_response(restApiId=validated, responseType="BAD_REQUEST_BODY", responseTemplates={
        "application/json": '{"message":$context.error.messageString,"detail":"$context.error.validationErrorString"}'})
    apigateway.create_deployment(restApiId=validated, stageName="dev")
    status, _, body = http.request("POST", http.url(validated, "dev", "/pets"), body={"name": "rex"})
    answer = json.loads(body)
    assert status == 400 and answer["message"] == "Invalid request body"
    assert "'tag' is a required property" in answer["detail"]


def test_validators_and_body_models_come_with_an_imported_document(apigateway, http):
    document = {
        "swagger": "2.0", "info": {"title": "imported-validated", "version": "1"},
        "x-amazon-apigateway-request-validators": {"all": {"validateRequestBody": True,
                                                           "validateRequestParameters": True}},
        "x-amazon-apigateway-request-validator": "all",
        "paths": {"/pets": {"post": {
            "parameters": [{"in": "body", "name": "pet", "required": True, "schema": {"$ref": "#/definitions/Pet"}},
                           {"in": "query", "name": "q", "required": True, "type": "string"}],
            "responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": {
                "type": "mock", "requestTemplates": {"application/json": '{"statusCode": 200}'},
                "responses": {"default": {"statusCode": "200"}}}}}},
        "definitions": {"Pet": {"type": "object", "required": ["name"],
                                "properties": {"name": {"type": "string"}, "owner": {"$ref": "#/definitions/Owner"}}},
                        "Owner": {"type": "object", "required": ["id"]}},
    }
    api = apigateway.import_rest_api(body=json.dumps(document).encode())["id"]
    try:
        apigateway.create_deployment(restApiId=api, stageName="dev")
        url = http.url(api, "dev", "/pets")
        assert http.request("POST", url + "?q=1", body={"name": "rex", "owner": {"id": 1}})[0] == 200
        assert http.request("POST", url, body={"name": "rex"})[0] == 400
        assert http.request("POST", url + "?q=1", body={"owner": {"id": 1}})[0] == 400
        assert http.request("POST", url + "?q=1", body={"name": "rex", "owner": {}})[0] == 400
        exported = json.loads(apigateway.get_export(restApiId=api, stageName="dev", exportType="swagger",
                                                    accepts="application/json")["body"].read())
        assert exported["x-amazon-apigateway-request-validators"] == document["x-amazon-apigateway-request-validators"]
        assert exported["paths"]["/pets"]["post"]["x-amazon-apigateway-request-validator"] == "all"
    finally:
        apigateway.delete_rest_api(restApiId=api)


@pytest.mark.parametrize(("schema", "errors"), [
    ("{not json", "Invalid model schema specified"),
    ('{"type": "object", "required": []}', "Invalid model schema specified"),  # draft 4: at least one name
    ('{"type": 5}', "Invalid model schema specified"),
    ('{"properties": {"a": {"$ref": "#/definitions/A"}}}', None),
    ('{"properties": {"a": {"$ref": "Other"}}}',
     "Invalid model schema specified, Model reference must be in canonical form"),
    ('{"properties": {"a": {"$ref": "https://apigateway.amazonaws.com/restapis/abc/models/Other"}}}', None),
])
def test_a_model_schema_must_be_a_draft_4_schema(apigateway, api, schema, errors):
    if errors is None:
        apigateway.create_model(restApiId=api, name="M", contentType="application/json", schema=schema)
        return
    with pytest.raises(ClientError) as caught:
        apigateway.create_model(restApiId=api, name="M", contentType="application/json", schema=schema)
    assert caught.value.response["Error"] == {
        "Code": "BadRequestException",
        "Message": f"Invalid model specified: Validation Result: warnings : [], errors : [{errors}]"}
    apigateway.create_model(restApiId=api, name="M", contentType="application/json", schema='{"type": "object"}')
    with pytest.raises(ClientError):
        apigateway.update_model(restApiId=api, modelName="M", patchOperations=[
            {"op": "replace", "path": "/schema", "value": schema}])
    assert apigateway.get_model(restApiId=api, modelName="M")["schema"] == '{"type": "object"}'


def test_a_java_only_pattern_is_accepted_and_constrains_nothing(apigateway, http, api):
    # AWS checks patterns as Java regular expressions: \p{L} is valid there, not in Python's re.
    schema = {"type": "object", "properties": {"name": {"type": "string", "pattern": "^\\p{L}+$"},
                                               "age": {"type": "integer"}},
              "patternProperties": {"^\\p{Lu}": {"type": "string"}}}
    apigateway.create_model(restApiId=api, name="Person", contentType="application/json", schema=json.dumps(schema))
    body = apigateway.create_request_validator(restApiId=api, name="body", validateRequestBody=True)["id"]
    root = root_id(apigateway, api)
    _echo_method(apigateway, api, root, "POST", requestValidatorId=body, requestModels={"application/json": "Person"})
    apigateway.create_deployment(restApiId=api, stageName="dev")
    url = http.url(api, "dev", "/")
    assert http.request("POST", url, body={"name": "Zoë", "Upper": 5})[0] == 200
    assert http.request("POST", url, body={"name": "x", "age": "old"})[0] == 400  # the rest of the schema still holds
