from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from pocketcloud.services.apigateway.execute.context import InvocationRequest, MatchedRoute, format_request_time
from pocketcloud.services.apigateway.execute.proxy_event import (
    MalformedProxyResponse,
    ProxyResponse,
    build_proxy_event,
    is_binary_media_type,
    parse_proxy_response,
)

FIXTURE = Path(__file__).parents[3] / "fixtures" / "events" / "apigateway_proxy_event.json"
HOST = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"


def sample_request(**overrides) -> InvocationRequest:
    values = dict(
        http_method="POST",
        path="/movies/42",
        headers=(
            ("Accept", "*/*"),
            ("Content-Type", "application/json"),
            ("Host", HOST),
            ("User-Agent", "curl/8.4.0"),
            ("X-Multi", "first"),
            ("X-Multi", "second"),
        ),
        query=(("lang", "en"), ("tag", "a"), ("tag", "b")),
        body=b'{"title": "Godzilla vs. Dynamo", "year": "2016"}',
        source_ip="203.0.113.7",
        api_id="a1b2c3d4e5",
        stage="dev",
        account_id="123456789012",
        domain_name=HOST,
        request_id="c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        extended_request_id="Q2NzJFfJoAMEbXw=",
        request_time_epoch=1795258800000,
    )
    values.update(overrides)
    return InvocationRequest(**values)


def sample_route(**overrides) -> MatchedRoute:
    values = dict(
        resource_id="x7y8z9",
        resource_path="/movies/{id}",
        path_parameters={"id": "42"},
        stage_variables={"table": "movies-dev"},
    )
    values.update(overrides)
    return MatchedRoute(**values)


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(FIXTURE.read_text())


@pytest.fixture(scope="module")
def event() -> dict:
    return build_proxy_event(sample_request(), sample_route())


def test_event_has_exactly_the_top_level_keys_of_the_aws_sample(event, expected):
    assert list(event) == list(expected)


@pytest.mark.parametrize(
    "key",
    [
        "resource",
        "path",
        "httpMethod",
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "stageVariables",
        "body",
        "isBase64Encoded",
    ],
)
def test_event_field_matches_the_aws_sample(event, expected, key):
    assert event[key] == expected[key]


def test_request_context_has_the_keys_of_the_aws_sample_in_order(event, expected):
    assert list(event["requestContext"]) == list(expected["requestContext"])


@pytest.mark.parametrize(
    "key",
    [
        "resourceId",
        "resourcePath",
        "httpMethod",
        "extendedRequestId",
        "requestTime",
        "path",
        "accountId",
        "protocol",
        "stage",
        "domainPrefix",
        "requestTimeEpoch",
        "requestId",
        "identity",
        "domainName",
        "apiId",
    ],
)
def test_request_context_field_matches_the_aws_sample(event, expected, key):
    assert event["requestContext"][key] == expected["requestContext"][key]


def test_identity_has_the_keys_of_the_aws_sample_in_order(event, expected):
    assert list(event["requestContext"]["identity"]) == list(expected["requestContext"]["identity"])


def test_request_time_is_clf_formatted_utc():
    assert format_request_time(1795258800000) == "21/Nov/2026:11:00:00 +0000"
    assert format_request_time(1795258800000 + 86_400_000 * 12) == "03/Dec/2026:11:00:00 +0000"


def test_empty_query_headers_path_and_stage_variables_are_null_not_empty_objects():
    event = build_proxy_event(
        sample_request(headers=(), query=(), body=b""),
        sample_route(path_parameters={}, stage_variables={}),
    )
    assert event["headers"] is None
    assert event["multiValueHeaders"] is None
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None
    assert event["pathParameters"] is None
    assert event["stageVariables"] is None
    assert event["body"] is None
    assert event["isBase64Encoded"] is False


def test_header_names_differing_only_in_case_are_grouped_under_the_first_spelling():
    event = build_proxy_event(sample_request(headers=(("X-A", "1"), ("x-a", "2"))), sample_route())
    assert event["headers"] == {"X-A": "2"}
    assert event["multiValueHeaders"] == {"X-A": ["1", "2"]}


def test_authorizer_context_is_included_only_when_set(event):
    assert "authorizer" not in event["requestContext"]
    with_auth = build_proxy_event(sample_request(), sample_route(authorizer={"principalId": "me", "claims": {"sub": "u1"}}))
    assert with_auth["requestContext"]["authorizer"] == {"principalId": "me", "claims": {"sub": "u1"}}


def test_deployment_id_is_included_when_known():
    event = build_proxy_event(sample_request(deployment_id="dep1"), sample_route())
    assert event["requestContext"]["deploymentId"] == "dep1"


def test_binary_body_is_base64_encoded_when_content_type_is_a_binary_media_type():
    payload = bytes(range(256))
    request = sample_request(headers=(("Content-Type", "image/png"),), body=payload)
    event = build_proxy_event(request, sample_route(), binary_media_types=["image/*"])
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == payload


def test_text_body_is_not_encoded_when_content_type_is_not_binary():
    request = sample_request(headers=(("Content-Type", "text/plain"),), body=b"hello")
    event = build_proxy_event(request, sample_route(), binary_media_types=["image/png"])
    assert event["body"] == "hello"
    assert event["isBase64Encoded"] is False


@pytest.mark.parametrize(
    "content_type, types, expected",
    [
        ("image/png", ["image/png"], True),
        ("image/png; charset=x", ["image/png"], True),
        ("image/jpeg", ["image/*"], True),
        ("application/json", ["*/*"], True),
        ("application/json", ["image/*"], False),
        (None, ["*/*"], False),
        ("IMAGE/PNG", ["image/png"], True),
    ],
)
def test_binary_media_type_matching_supports_wildcards(content_type, types, expected):
    assert is_binary_media_type(content_type, types) is expected


# ------------------------------------------------------------------------------------------- proxy responses


def parse(obj) -> ProxyResponse:
    return parse_proxy_response(json.dumps(obj).encode())


def test_response_with_status_headers_and_body_is_read():
    response = parse({"statusCode": 201, "headers": {"Access-Control-Allow-Origin": "*"}, "body": '{"RideId":"x"}'})
    assert response == ProxyResponse(201, [("Access-Control-Allow-Origin", "*")], b'{"RideId":"x"}')


def test_status_code_may_be_a_numeric_string():
    assert parse({"statusCode": "201"}).status_code == 201


def test_missing_status_code_defaults_to_200():
    assert parse({"headers": {"a": "b"}}).status_code == 200


def test_empty_object_is_an_empty_200():
    assert parse({}) == ProxyResponse(200, [], b"")


def test_null_headers_are_accepted():
    assert parse({"statusCode": 200, "headers": None}).headers == []


def test_boolean_header_values_are_written_as_true_and_false():
    assert parse({"statusCode": 200, "headers": {"x-flag": True}}).headers == [("x-flag", "true")]


def test_multi_value_headers_are_expanded():
    response = parse({"statusCode": 200, "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]}})
    assert response.headers == [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]


def test_multi_value_headers_replace_single_headers_of_the_same_name_in_any_case():
    response = parse({"statusCode": 200, "headers": {"test-multi": "solo", "x": "1"}, "multiValueHeaders": {"Test-Multi": ["multi"]}})
    assert response.headers == [("x", "1"), ("Test-Multi", "multi")]


def test_base64_encoded_body_is_decoded():
    response = parse({"statusCode": 200, "body": base64.b64encode(b"\x00\xff").decode(), "isBase64Encoded": True})
    assert response.body == b"\x00\xff"


def test_base64_looking_body_is_left_alone_without_the_flag():
    assert parse({"statusCode": 200, "body": "dGVzdA=="}).body == b"dGVzdA=="


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b'"justAString"',
        b"[1, 2]",
        b"null",
        json.dumps({"statusCode": 200, "wrongValue": "value"}).encode(),
        json.dumps({"errorMessage": "boom", "errorType": "Error"}).encode(),
        json.dumps({"statusCode": "test"}).encode(),
        json.dumps({"statusCode": 200, "body": {"hey": "dude"}}).encode(),
        json.dumps({"statusCode": 200, "multiValueHeaders": {"x": "not-a-list"}}).encode(),
        json.dumps({"statusCode": 200, "headers": {"x": 1}}).encode(),
        json.dumps({"statusCode": 200, "headers": ["x"]}).encode(),
    ],
    ids=[
        "not-json",
        "json-string",
        "json-array",
        "json-null",
        "unknown-key",
        "function-error",
        "non-numeric-status",
        "object-body",
        "multi-value-header-not-list",
        "numeric-header-value",
        "headers-not-object",
    ],
)
def test_malformed_response_raises_for_a_502(payload):
    with pytest.raises(MalformedProxyResponse):
        parse_proxy_response(payload)
