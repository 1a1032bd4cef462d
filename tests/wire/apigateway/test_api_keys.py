"""API keys, usage plans and usage plan keys through boto3 (and the aws CLI for the tutorial's flow): the control
plane with real values and AWS's errors, then what a method with apiKeyRequired lets in."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError

from apigw_support import mock_get, root_id



def error_of(call, *args, **kwargs) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    response = caught.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"], response["Error"]["Message"]


def value() -> str:
    return "k" + uuid.uuid4().hex  # 33 characters


@pytest.fixture()
def api(apigateway):
    """/items GET needs an API key (a MOCK answering the key's value and id from $context.identity), /open does not;
    deployed to dev and to other."""
    api_id = apigateway.create_rest_api(name="api-keys")["id"]
    root = root_id(apigateway, api_id)
    items = apigateway.create_resource(restApiId=api_id, parentId=root, pathPart="items")["id"]
    mock_get(apigateway, api_id, items,
             '{"apiKey": "$context.identity.apiKey", "apiKeyId": "$context.identity.apiKeyId"}')
    apigateway.update_method(restApiId=api_id, resourceId=items, httpMethod="GET",
                             patchOperations=[{"op": "replace", "path": "/apiKeyRequired", "value": "true"}])
    opened = apigateway.create_resource(restApiId=api_id, parentId=root, pathPart="open")["id"]
    mock_get(apigateway, api_id, opened, '{"apiKey": "$context.identity.apiKey"}')
    deployment = apigateway.create_deployment(restApiId=api_id, stageName="dev")["id"]
    apigateway.create_stage(restApiId=api_id, stageName="other", deploymentId=deployment)
    yield api_id
    apigateway.delete_rest_api(restApiId=api_id)


# ---------------------------------------------------------------------------------------------- API keys


def test_create_api_key_returns_its_value_and_get_shows_it_only_when_asked(apigateway):
    secret = value()
    created = apigateway.create_api_key(name="partner-a", description="for A", enabled=True, value=secret,
                                        tags={"team": "a"})
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["value"] == secret and created["enabled"] is True and created["name"] == "partner-a"
    assert created["description"] == "for A" and created["tags"] == {"team": "a"} and created["stageKeys"] == []
    assert len(created["id"]) == 10 and created["createdDate"] == created["lastUpdatedDate"]
    got = apigateway.get_api_key(apiKey=created["id"])
    assert "value" not in got and got["name"] == "partner-a"
    assert apigateway.get_api_key(apiKey=created["id"], includeValue=True)["value"] == secret
    apigateway.delete_api_key(apiKey=created["id"])


def test_a_key_without_value_gets_forty_generated_characters_and_starts_disabled(apigateway):
    created = apigateway.create_api_key(name="generated", generateDistinctId=True)
    assert len(created["value"]) == 40 and created["value"].isalnum()
    assert created["enabled"] is False
    apigateway.delete_api_key(apiKey=created["id"])


def test_a_second_key_with_the_same_value_is_a_conflict(apigateway):
    secret = value()
    first = apigateway.create_api_key(name="one", value=secret)
    assert error_of(apigateway.create_api_key, name="two", value=secret) == (409, "ConflictException",
                                                                            "API Key already exists")
    assert error_of(apigateway.create_api_key, name="short", value="tooshort")[:2] == (400, "BadRequestException")
    apigateway.delete_api_key(apiKey=first["id"])


def test_get_api_keys_filters_by_name_prefix_pages_and_includes_values_when_asked(apigateway):
    prefix = "list-" + uuid.uuid4().hex[:6]
    made = [apigateway.create_api_key(name=f"{prefix}-{i}", value=value()) for i in range(3)]
    listed = apigateway.get_api_keys(nameQuery=prefix)["items"]
    assert [k["name"] for k in listed] == [f"{prefix}-0", f"{prefix}-1", f"{prefix}-2"]
    assert all("value" not in k for k in listed)
    with_values = apigateway.get_api_keys(nameQuery=prefix, includeValues=True)["items"]
    assert [k["value"] for k in with_values] == [k["value"] for k in made]
    page = apigateway.get_api_keys(nameQuery=prefix, limit=2)
    assert len(page["items"]) == 2 and page["position"]
    rest = apigateway.get_api_keys(nameQuery=prefix, limit=2, position=page["position"])
    assert [k["name"] for k in rest["items"]] == [f"{prefix}-2"] and "position" not in rest
    for key in made:
        apigateway.delete_api_key(apiKey=key["id"])


def test_update_api_key_patches_name_description_enabled_and_stages(apigateway, api):
    key = apigateway.create_api_key(name="before", value=value())
    updated = apigateway.update_api_key(apiKey=key["id"], patchOperations=[
        {"op": "replace", "path": "/name", "value": "after"},
        {"op": "replace", "path": "/description", "value": "new words"},
        {"op": "replace", "path": "/enabled", "value": "true"},
        {"op": "add", "path": "/stages", "value": f"{api}/dev"}])
    assert updated["name"] == "after" and updated["description"] == "new words" and updated["enabled"] is True
    assert updated["stageKeys"] == [f"{api}/dev"]
    assert apigateway.get_api_key(apiKey=key["id"])["name"] == "after"
    status, code, _ = error_of(apigateway.update_api_key, apiKey=key["id"], patchOperations=[
        {"op": "replace", "path": "/enabled", "value": "maybe"}])
    assert (status, code) == (400, "BadRequestException")
    assert error_of(apigateway.update_api_key, apiKey=key["id"], patchOperations=[
        {"op": "replace", "path": "/nope", "value": "x"}])[:2] == (400, "BadRequestException")
    apigateway.delete_api_key(apiKey=key["id"])


def test_unknown_api_keys_are_not_found(apigateway):
    missing = (404, "NotFoundException", "Invalid API Key identifier specified")
    assert error_of(apigateway.get_api_key, apiKey="nope000000") == missing
    assert error_of(apigateway.update_api_key, apiKey="nope000000", patchOperations=[]) == missing
    assert error_of(apigateway.delete_api_key, apiKey="nope000000") == missing
    key = apigateway.create_api_key(name="gone", value=value())
    assert apigateway.delete_api_key(apiKey=key["id"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert error_of(apigateway.get_api_key, apiKey=key["id"]) == missing


# ---------------------------------------------------------------------------------------------- usage plans


def test_usage_plan_crud_with_stages_throttle_and_quota(apigateway, api):
    plan = apigateway.create_usage_plan(
        name="basic", description="the basic plan", apiStages=[{"apiId": api, "stage": "dev"}],
        throttle={"burstLimit": 10, "rateLimit": 5.0}, quota={"limit": 1000, "offset": 0, "period": "MONTH"})
    assert plan["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert plan["apiStages"] == [{"apiId": api, "stage": "dev"}]
    assert plan["throttle"] == {"burstLimit": 10, "rateLimit": 5.0}
    assert plan["quota"] == {"limit": 1000, "offset": 0, "period": "MONTH"}
    got = apigateway.get_usage_plan(usagePlanId=plan["id"])
    assert got["name"] == "basic" and got["description"] == "the basic plan"
    assert plan["id"] in [p["id"] for p in apigateway.get_usage_plans(limit=500)["items"]]

    updated = apigateway.update_usage_plan(usagePlanId=plan["id"], patchOperations=[
        {"op": "add", "path": "/apiStages", "value": f"{api}:other"},
        {"op": "remove", "path": "/apiStages", "value": f"{api}:dev"},
        {"op": "replace", "path": "/quota/limit", "value": "50"},
        {"op": "replace", "path": "/quota/period", "value": "DAY"},
        {"op": "replace", "path": "/throttle/rateLimit", "value": "2.5"},
        {"op": "replace", "path": "/name", "value": "renamed"}])
    assert updated["apiStages"] == [{"apiId": api, "stage": "other"}]
    assert updated["quota"] == {"limit": 50, "offset": 0, "period": "DAY"}
    assert updated["throttle"] == {"burstLimit": 10, "rateLimit": 2.5} and updated["name"] == "renamed"
    assert apigateway.delete_usage_plan(usagePlanId=plan["id"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert error_of(apigateway.get_usage_plan, usagePlanId=plan["id"]) == (
        404, "NotFoundException", "Invalid Usage Plan ID specified")


def test_a_usage_plan_refuses_stages_that_do_not_exist(apigateway, api):
    assert error_of(apigateway.create_usage_plan, name="bad", apiStages=[{"apiId": api, "stage": "nope"}]) == (
        400, "BadRequestException", f"API Stage not found: {api}:nope")
    plan = apigateway.create_usage_plan(name="ok")
    assert plan["apiStages"] == []
    assert error_of(apigateway.update_usage_plan, usagePlanId=plan["id"], patchOperations=[
        {"op": "add", "path": "/apiStages", "value": "nosuchapi:dev"}])[:2] == (400, "BadRequestException")
    assert error_of(apigateway.create_usage_plan, name="q", quota={"limit": 1, "period": "YEAR"})[:2] == (
        400, "BadRequestException")
    apigateway.delete_usage_plan(usagePlanId=plan["id"])


def test_usage_plan_keys_attach_list_filter_and_detach(apigateway, api):
    plan = apigateway.create_usage_plan(name="with-keys", apiStages=[{"apiId": api, "stage": "dev"}])
    other = apigateway.create_usage_plan(name="without-keys")
    secret = value()
    key = apigateway.create_api_key(name="member", value=secret, enabled=True)
    attached = apigateway.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    assert attached["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert {k: attached[k] for k in ("id", "type", "value", "name")} == {
        "id": key["id"], "type": "API_KEY", "value": secret, "name": "member"}
    assert apigateway.get_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"])["value"] == secret
    assert [k["id"] for k in apigateway.get_usage_plan_keys(usagePlanId=plan["id"])["items"]] == [key["id"]]
    assert [p["id"] for p in apigateway.get_usage_plans(keyId=key["id"])["items"]] == [plan["id"]]
    assert error_of(apigateway.create_usage_plan_key, usagePlanId=plan["id"], keyId=key["id"],
                    keyType="API_KEY")[:2] == (409, "ConflictException")
    assert error_of(apigateway.get_usage_plan_key, usagePlanId=other["id"], keyId=key["id"])[:2] == (
        404, "NotFoundException")
    assert error_of(apigateway.create_usage_plan_key, usagePlanId="nope00", keyId=key["id"], keyType="API_KEY") == (
        404, "NotFoundException", "Invalid Usage Plan ID specified")
    assert error_of(apigateway.create_usage_plan_key, usagePlanId=plan["id"], keyId="nope000000",
                    keyType="API_KEY") == (404, "NotFoundException", "Invalid API Key identifier specified")
    deleted = apigateway.delete_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert apigateway.get_usage_plan_keys(usagePlanId=plan["id"])["items"] == []
    # Deleting a key takes it out of its plans.
    apigateway.create_usage_plan_key(usagePlanId=other["id"], keyId=key["id"], keyType="API_KEY")
    apigateway.delete_api_key(apiKey=key["id"])
    assert apigateway.get_usage_plan_keys(usagePlanId=other["id"])["items"] == []
    for p in (plan, other):
        apigateway.delete_usage_plan(usagePlanId=p["id"])


def test_a_key_can_be_in_only_one_plan_per_stage(apigateway, api):
    first = apigateway.create_usage_plan(name="first", apiStages=[{"apiId": api, "stage": "dev"}])
    second = apigateway.create_usage_plan(name="second", apiStages=[{"apiId": api, "stage": "dev"}])
    key = apigateway.create_api_key(name="one-plan", value=value(), enabled=True)
    apigateway.create_usage_plan_key(usagePlanId=first["id"], keyId=key["id"], keyType="API_KEY")
    assert error_of(apigateway.create_usage_plan_key, usagePlanId=second["id"], keyId=key["id"],
                    keyType="API_KEY")[:2] == (409, "ConflictException")
    apigateway.delete_api_key(apiKey=key["id"])
    for p in (first, second):
        apigateway.delete_usage_plan(usagePlanId=p["id"])


# ---------------------------------------------------------------------------------------------- the data plane


def fetch(http, api: str, path: str, key: str | None = None, stage: str = "dev") -> tuple[int, dict]:
    headers = {} if key is None else {"x-api-key": key}
    status, _, body = http.request("GET", http.url(api, stage, path), headers=headers)
    return status, json.loads(body)


@pytest.fixture()
def member(apigateway, api):
    """An enabled key in a plan for (api, dev): (key, plan)."""
    plan = apigateway.create_usage_plan(name="member-plan", apiStages=[{"apiId": api, "stage": "dev"}])
    key = apigateway.create_api_key(name="member-key", value=value(), enabled=True)
    apigateway.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
    yield key, plan
    apigateway.delete_api_key(apiKey=key["id"])
    apigateway.delete_usage_plan(usagePlanId=plan["id"])


def test_the_right_key_gets_in_and_is_in_context_identity(http, api, member):
    key, _ = member
    assert fetch(http, api, "/items", key["value"]) == (200, {"apiKey": key["value"], "apiKeyId": key["id"]})
    # A method without apiKeyRequired sees no key, sent or not.
    assert fetch(http, api, "/open", key["value"]) == (200, {"apiKey": ""})


def test_no_unknown_or_misplaced_key_is_forbidden(http, api, member, apigateway):
    key, _ = member
    forbidden = (403, {"message": "Forbidden"})
    assert fetch(http, api, "/items") == forbidden
    assert fetch(http, api, "/items", "not-a-key-of-anyone-at-all") == forbidden
    assert fetch(http, api, "/items", key["value"], stage="other") == forbidden  # the plan lists dev only
    outsider = apigateway.create_api_key(name="outsider", value=value(), enabled=True)  # in no plan
    assert fetch(http, api, "/items", outsider["value"]) == forbidden
    apigateway.delete_api_key(apiKey=outsider["id"])


def test_disabling_the_key_or_dropping_the_stage_closes_the_door(http, api, member, apigateway):
    key, plan = member
    assert fetch(http, api, "/items", key["value"])[0] == 200
    apigateway.update_api_key(apiKey=key["id"], patchOperations=[{"op": "replace", "path": "/enabled", "value": "false"}])
    assert fetch(http, api, "/items", key["value"]) == (403, {"message": "Forbidden"})
    apigateway.update_api_key(apiKey=key["id"], patchOperations=[{"op": "replace", "path": "/enabled", "value": "true"}])
    assert fetch(http, api, "/items", key["value"])[0] == 200
    apigateway.update_usage_plan(usagePlanId=plan["id"], patchOperations=[
        {"op": "remove", "path": "/apiStages", "value": f"{api}:dev"}])
    assert fetch(http, api, "/items", key["value"]) == (403, {"message": "Forbidden"})


def test_a_key_over_its_plans_quota_gets_limit_exceeded(http, api, member, apigateway):
    key, plan = member
    apigateway.update_usage_plan(usagePlanId=plan["id"], patchOperations=[
        {"op": "replace", "path": "/quota/limit", "value": "2"},
        {"op": "replace", "path": "/quota/period", "value": "DAY"}])
    assert [fetch(http, api, "/items", key["value"])[0] for _ in range(2)] == [200, 200]
    assert fetch(http, api, "/items", key["value"]) == (429, {"message": "Limit Exceeded"})


def test_the_tutorial_flow_with_the_aws_cli(aws_cli, api, http):
    def cli(*args: str) -> dict:
        return json.loads(aws_cli("apigateway", *args, "--output", "json").stdout)

    key = cli("create-api-key", "--name", "cli-key", "--enabled")
    plan = cli("create-usage-plan", "--name", "cli-plan", "--api-stages", f"apiId={api},stage=dev",
               "--throttle", "burstLimit=10,rateLimit=5", "--quota", "limit=100,offset=0,period=DAY")
    attached = cli("create-usage-plan-key", "--usage-plan-id", plan["id"], "--key-id", key["id"],
                   "--key-type", "API_KEY")
    assert attached["value"] == key["value"] and key["enabled"] is True
    assert fetch(http, api, "/items", key["value"])[0] == 200
    assert fetch(http, api, "/items", key["value"][:-1] + "!")[0] == 403
    aws_cli("apigateway", "delete-api-key", "--api-key", key["id"])
    aws_cli("apigateway", "delete-usage-plan", "--usage-plan-id", plan["id"])
