"""GetAccount/UpdateAccount (the CloudWatch role step of AWS's logging guide) and TagResource/UntagResource/GetTags
on REST APIs, stages, API keys and usage plans, through boto3."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

REGION = "us-east-1"


def test_the_account_reports_defaults_and_keeps_the_cloudwatch_role(apigateway):
    account = apigateway.get_account()
    assert account["throttleSettings"] == {"burstLimit": 5000, "rateLimit": 10000.0}
    assert account["features"] == ["UsagePlans"] and account["apiKeyVersion"] == "4"
    role = "arn:aws:iam::000000000000:role/APIGatewayCloudWatchLogs"
    updated = apigateway.update_account(patchOperations=[
        {"op": "replace", "path": "/cloudwatchRoleArn", "value": role}])
    assert updated["cloudwatchRoleArn"] == role
    assert apigateway.get_account()["cloudwatchRoleArn"] == role
    for bad in ([{"op": "replace", "path": "/cloudwatchRoleArn", "value": "not-an-arn"}],
                [{"op": "replace", "path": "/apiKeyVersion", "value": "5"}]):
        with pytest.raises(ClientError) as caught:
            apigateway.update_account(patchOperations=bad)
        assert caught.value.response["Error"]["Code"] == "BadRequestException"
    assert apigateway.get_account()["cloudwatchRoleArn"] == role


def _arn(path: str) -> str:
    return f"arn:aws:apigateway:{REGION}::{path}"


def test_tags_on_each_kind_of_resource(apigateway):
    api = apigateway.create_rest_api(name="tagged", tags={"team": "blue"})["id"]
    root = apigateway.get_resources(restApiId=api)["items"][0]["id"]
    apigateway.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigateway.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    apigateway.create_deployment(restApiId=api, stageName="dev")
    key = apigateway.create_api_key(name="tagged-key")["id"]
    plan = apigateway.create_usage_plan(name="tagged-plan")["id"]
    try:
        for path, read in ((f"/restapis/{api}", lambda: apigateway.get_rest_api(restApiId=api)),
                           (f"/restapis/{api}/stages/dev", lambda: apigateway.get_stage(restApiId=api, stageName="dev")),
                           (f"/apikeys/{key}", lambda: apigateway.get_api_key(apiKey=key)),
                           (f"/usageplans/{plan}", lambda: apigateway.get_usage_plan(usagePlanId=plan))):
            before = dict(read().get("tags") or {})
            assert apigateway.tag_resource(resourceArn=_arn(path), tags={"env": "test", "cost": "1"})[
                "ResponseMetadata"]["HTTPStatusCode"] == 204
            apigateway.untag_resource(resourceArn=_arn(path), tagKeys=["cost", "absent"])
            expected = {**before, "env": "test"}
            assert apigateway.get_tags(resourceArn=_arn(path))["tags"] == expected
            assert read()["tags"] == expected
        assert apigateway.get_tags(resourceArn=_arn(f"/restapis/{api}"))["tags"] == {"team": "blue", "env": "test"}
    finally:
        apigateway.delete_rest_api(restApiId=api)
        apigateway.delete_api_key(apiKey=key)
        apigateway.delete_usage_plan(usagePlanId=plan)


@pytest.mark.parametrize(("arn", "code"), [
    ("not-an-arn", "BadRequestException"),
    (_arn("/restapis/abc/resources/x"), "BadRequestException"),
    ("arn:aws:apigateway:eu-west-1::/restapis/abc", "BadRequestException"),
    (_arn("/restapis/nosuchapi0"), "NotFoundException"),
    (_arn("/apikeys/nosuchkey0"), "NotFoundException"),
])
def test_tagging_an_unknown_or_unsupported_resource(apigateway, arn, code):
    for call in (lambda: apigateway.get_tags(resourceArn=arn),
                 lambda: apigateway.tag_resource(resourceArn=arn, tags={"a": "b"})):
        with pytest.raises(ClientError) as caught:
            call()
        assert caught.value.response["Error"]["Code"] == code


def test_at_most_50_tags(apigateway):
    api = apigateway.create_rest_api(name="many-tags")["id"]
    try:
        apigateway.tag_resource(resourceArn=_arn(f"/restapis/{api}"), tags={f"k{i}": "v" for i in range(50)})
        with pytest.raises(ClientError) as caught:
            apigateway.tag_resource(resourceArn=_arn(f"/restapis/{api}"), tags={"one-more": "v"})
        assert caught.value.response["Error"]["Code"] == "BadRequestException"
        assert len(apigateway.get_tags(resourceArn=_arn(f"/restapis/{api}"))["tags"]) == 50
    finally:
        apigateway.delete_rest_api(restApiId=api)
