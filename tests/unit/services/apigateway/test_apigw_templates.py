from __future__ import annotations

import json

import pytest

from pocketcloud.services.apigateway.execute.templates import (
    NEVER,
    WHEN_NO_MATCH,
    WHEN_NO_TEMPLATES,
    NoMatchingIntegrationResponse,
    UnsupportedMediaType,
    map_response_parameters,
    select_integration_response,
    select_request_template,
    select_response_template,
)

JSON_TEMPLATES = {"application/json": "json-template"}


# ------------------------------------------------------------------------------------------ request templates


def test_template_matching_the_content_type_is_selected():
    templates = {"application/json": "j", "application/xml": "x"}
    assert select_request_template(templates, "application/xml") == "x"


def test_missing_content_type_selects_the_application_json_template():
    assert select_request_template(JSON_TEMPLATES, None) == "json-template"


def test_content_type_parameters_and_case_do_not_prevent_a_match():
    assert select_request_template(JSON_TEMPLATES, "Application/JSON; charset=utf-8") == "json-template"


@pytest.mark.parametrize(
    "templates, content_type, behavior, expected",
    [
        (JSON_TEMPLATES, "text/plain", WHEN_NO_MATCH, None),
        ({}, "text/plain", WHEN_NO_MATCH, None),
        ({}, "text/plain", WHEN_NO_TEMPLATES, None),
        (None, None, WHEN_NO_TEMPLATES, None),
    ],
)
def test_unmatched_content_type_passes_the_body_through_when_allowed(templates, content_type, behavior, expected):
    assert select_request_template(templates, content_type, behavior) is expected


@pytest.mark.parametrize(
    "templates, content_type, behavior",
    [
        (JSON_TEMPLATES, "text/plain", WHEN_NO_TEMPLATES),
        (JSON_TEMPLATES, "text/plain", NEVER),
        ({}, "text/plain", NEVER),
    ],
)
def test_unmatched_content_type_is_unsupported_media_type_when_passthrough_is_forbidden(templates, content_type, behavior):
    with pytest.raises(UnsupportedMediaType) as error:
        select_request_template(templates, content_type, behavior)
    assert error.value.status_code == 415
    assert json.loads(error.value.body) == {"message": "Unsupported Media Type"}


def test_matching_template_is_used_even_with_never():
    assert select_request_template(JSON_TEMPLATES, "application/json", NEVER) == "json-template"


def test_empty_template_means_passthrough():
    assert select_request_template({"application/json": ""}, "application/json") is None


# ------------------------------------------------------------------------------------------ response templates


def test_response_template_follows_the_accept_header():
    templates = {"application/json": "j", "application/xml": "x"}
    assert select_response_template(templates, "application/xml") == "x"


def test_response_template_defaults_to_application_json():
    templates = {"application/xml": "x", "application/json": "j"}
    assert select_response_template(templates, None) == "j"
    assert select_response_template(templates, "*/*") == "j"


def test_response_template_falls_back_to_the_first_one_defined():
    assert select_response_template({"text/html": "h"}, "application/json") == "h"


def test_empty_response_template_passes_the_integration_body_through():
    assert select_response_template({"application/json": ""}, None) is None
    assert select_response_template({}, None) is None


# ------------------------------------------------------------------------------------------ integration responses

RESPONSES = {
    "200": {},
    "400": {"selectionPattern": ".*\\[BadRequest\\].*"},
    "405": {"selectionPattern": ".*4\\d\\d.*"},
    "502": {"selectionPattern": ".*5\\d\\d.*"},
}


def test_successful_lambda_call_selects_the_default_response():
    assert select_integration_response(RESPONSES)[0] == "200"


def test_function_error_selects_the_response_whose_pattern_matches_the_error_message():
    assert select_integration_response(RESPONSES, error_message="failed with 500")[0] == "502"
    assert select_integration_response(RESPONSES, error_message="[BadRequest] missing id")[0] == "400"


def test_selection_pattern_must_match_the_whole_error_message():
    responses = {"200": {}, "400": {"selectionPattern": "Bad"}}
    assert select_integration_response(responses, error_message="Bad request")[0] == "200"
    assert select_integration_response(responses, error_message="Bad")[0] == "400"


def test_function_error_with_only_a_default_response_comes_back_as_that_response():
    code, _ = select_integration_response({"200": {"responseTemplates": {}}}, error_message="boom")
    assert code == "200"


def test_http_integration_status_code_is_matched_against_patterns():
    responses = {"200": {}, "404": {"selectionPattern": "404"}, "500": {"selectionPattern": "5\\d{2}"}}
    assert select_integration_response(responses, status_code=404)[0] == "404"
    assert select_integration_response(responses, status_code=503)[0] == "500"
    assert select_integration_response(responses, status_code=201)[0] == "200"


def test_no_match_and_no_default_is_an_internal_server_error():
    with pytest.raises(NoMatchingIntegrationResponse) as error:
        select_integration_response({"400": {"selectionPattern": "x"}}, error_message="y")
    assert error.value.status_code == 500


def test_invalid_selection_pattern_is_ignored():
    responses = {"200": {}, "400": {"selectionPattern": "("}}
    assert select_integration_response(responses, error_message="(")[0] == "200"


# ------------------------------------------------------------------------------------------ response parameters


def test_literal_and_integration_header_are_mapped_to_method_response_headers():
    mapped = map_response_parameters(
        {
            "method.response.header.Access-Control-Allow-Origin": "'*'",
            "method.response.header.X-Id": "integration.response.header.x-backend-id",
        },
        integration_headers=[("X-Backend-Id", "b-1")],
    )
    assert mapped == [("Access-Control-Allow-Origin", "*"), ("X-Id", "b-1")]


def test_body_json_path_is_mapped_and_strings_stay_unquoted():
    body = json.dumps({"errorMessage": "boom", "detail": {"code": 7}}).encode()
    mapped = map_response_parameters(
        {
            "method.response.header.X-Error": "integration.response.body.errorMessage",
            "method.response.header.X-Detail": "integration.response.body.detail",
        },
        integration_body=body,
    )
    assert mapped == [("X-Error", "boom"), ("X-Detail", '{"code":7}')]


def test_whole_body_and_multivalue_header_sources():
    mapped = map_response_parameters(
        {
            "method.response.header.X-Body": "integration.response.body",
            "method.response.header.X-All": "integration.response.multivalueheader.x-v",
        },
        integration_headers=[("x-v", "1"), ("X-V", "2")],
        integration_body=b"plain",
    )
    assert mapped == [("X-Body", "plain"), ("X-All", "1,2")]


def test_stage_variable_and_context_sources():
    mapped = map_response_parameters(
        {"method.response.header.X-Env": "stageVariables.env", "method.response.header.X-Req": "context.requestId"},
        stage_variables={"env": "dev"},
        context={"requestId": "r-1"},
    )
    assert mapped == [("X-Env", "dev"), ("X-Req", "r-1")]


def test_source_without_a_value_sets_no_header():
    mapped = map_response_parameters(
        {
            "method.response.header.X-A": "integration.response.header.absent",
            "method.response.header.X-B": "integration.response.body.absent",
        },
        integration_body=b"not json",
    )
    assert mapped == []
