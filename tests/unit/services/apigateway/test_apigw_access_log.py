"""Access log formats: compiling a stage's accessLogSettings, rendering `$context` variables, UpdateStage's checks."""

from __future__ import annotations

import pytest
from test_apigw_proxy_event import sample_request, sample_route

from pocketcloud.services.apigateway.execute.access_log import (
    NEEDS_REQUEST_ID,
    SINGLE_LINE,
    compile_access_log,
    context_values,
    format_problem,
)
from pocketcloud.services.apigateway.execute.context import MatchedRoute

GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:API-Gateway-Access-Logs_a1b2c3d4e5/dev"
# The CLF example of https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
CLF = ('$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] '
       '"$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength '
       '$context.requestId')


def stage(format_: str, arn: str = GROUP_ARN) -> dict:
    return {"stageName": "dev", "accessLogSettings": {"destinationArn": arn, "format": format_}}


def render(format_: str, route: MatchedRoute | None = sample_route(), **extra: str) -> str:
    access_log = compile_access_log("a1b2c3d4e5", stage(format_))
    assert access_log is not None
    values = context_values(sample_request(), route)
    values.update(extra)
    return access_log.line(values)


def test_clf_format_renders_the_request_with_dashes_for_values_it_does_not_have():
    line = render(CLF, status="200", responseLength="42")
    assert line == ('203.0.113.7 - - [21/Nov/2026:11:00:00 +0000] "POST /movies/{id} HTTP/1.1" 200 42 '
                    'c6af9ac6-7b61-11e6-9a41-93e8deadbeef')


def test_json_format_with_braced_and_nested_variables():
    line = render('{"requestId":"${context.requestId}","ip":"$context.identity.sourceIp",'
                  '"path":"$context.path","stage":"$context.stage","epoch":"$context.requestTimeEpoch",'
                  '"ua":"$context.identity.userAgent","err":"$context.error.message"}')
    assert line == ('{"requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","ip":"203.0.113.7","path":"/dev/movies/42",'
                    '"stage":"dev","epoch":"1795258800000","ua":"curl/8.4.0","err":"-"}')


def test_a_trailing_dot_is_not_part_of_the_variable_name():
    assert render("id $context.requestId.") == "id c6af9ac6-7b61-11e6-9a41-93e8deadbeef."


def test_a_request_that_matched_no_resource_logs_a_dash_for_the_resource_path():
    line = render("$context.requestId $context.resourcePath $context.resourceId", route=None)
    assert line == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef - -"


def test_the_log_group_is_taken_from_the_destination_arn_with_or_without_a_trailing_star():
    for arn in (GROUP_ARN, GROUP_ARN + ":*"):
        access_log = compile_access_log("a1b2c3d4e5", stage(CLF, arn))
        assert access_log is not None
        assert (access_log.account, access_log.region, access_log.group) == (
            "123456789012", "us-east-1", "API-Gateway-Access-Logs_a1b2c3d4e5/dev")


@pytest.mark.parametrize("settings", [
    {},
    {"destinationArn": GROUP_ARN},
    {"format": CLF},
    {"destinationArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-x", "format": CLF},
])
def test_no_access_log_without_a_cloudwatch_logs_group_and_a_format(settings):
    assert compile_access_log("a1b2c3d4e5", {"stageName": "dev", "accessLogSettings": settings}) is None


def test_update_stage_refuses_a_format_of_several_lines_but_allows_a_final_newline():
    assert format_problem("$context.requestId\n$context.status") == SINGLE_LINE
    assert format_problem("$context.requestId $context.status\n") is None


def test_update_stage_refuses_a_format_without_a_request_id():
    assert format_problem("$context.status $context.path") == NEEDS_REQUEST_ID
    assert format_problem("${context.extendedRequestId} $context.status") is None
