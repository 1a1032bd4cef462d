"""JSON the data plane reads from requests and functions — nested deeper than Python's parser goes, numbers no float
holds, NaN — is answered as AWS answers bad JSON (400 / 502), never by an exception out of the chain. Cases found
by tests/wire/apigateway/test_apigateway_data_plane_fuzz.py; so is the last one, a response parameter whose header name
is no HTTP header name."""

from __future__ import annotations

import json

import pytest

from pocketcloud.services.apigateway.execute.context import InvocationRequest, MatchedRoute
from pocketcloud.services.apigateway.execute.deployment import compile_stage
from pocketcloud.services.apigateway.execute.errors import GatewayError
from pocketcloud.services.apigateway.execute.integrations import _error_message, call_mock
from pocketcloud.services.apigateway.execute.proxy_event import MalformedProxyResponse, parse_proxy_response
from pocketcloud.services.apigateway.execute.request_validation import validate_request
from pocketcloud.services.apigateway.execute.vtl import InvalidRequestBody, render_request_template

DEEP = b"[" * 5000 + b"]" * 5000
NODE = {"type": "object", "properties": {
    "n": {"type": "number", "multipleOf": 0.5},
    "children": {"type": "array", "items": {"$ref": "https://apigateway.amazonaws.com/restapis/a1/models/Node"}}}}


def _validate(body: bytes) -> GatewayError | None:
    snapshot = {"models": {"Node": {"name": "Node", "schema": json.dumps(NODE)}},
                "requestValidators": {"v1": {"id": "v1", "validateRequestBody": True}}}
    deployed = compile_stage("a1", "000000000000", "us-east-1", {"stageName": "dev", "deploymentId": "d1"}, snapshot)
    method = {"requestValidatorId": "v1", "requestModels": {"application/json": "Node"}}
    request = InvocationRequest("POST", "/", headers=(("Content-Type", "application/json"),), body=body)
    try:
        validate_request(deployed, method, request, MatchedRoute("r", "/"))
    except GatewayError as error:
        return error
    return None


@pytest.mark.parametrize("body", [DEEP, b'{"children": ' + b'[{"children": ' * 400 + b"[]" + b"}]" * 400 + b"}",
                                  b'{"n": 1e400}', b'{"n": -1e400}', b'{"n": ' + b"9" * 400 + b"}", b'{"n": NaN}',
                                  b'{"n": Infinity}'])
def test_a_body_too_deep_or_with_numbers_no_float_holds_is_an_invalid_request_body(body):
    error = _validate(body)
    assert error is not None and (error.status, error.message) == (400, "Invalid request body")


def test_a_body_with_ordinary_numbers_still_validates():
    assert _validate(b'{"n": 1.5, "children": [{"n": 2}]}') is None
    assert _validate(b'{"n": 1.25}').message == "Invalid request body"


def test_a_template_reading_a_body_too_deep_answers_could_not_parse():
    request = InvocationRequest("POST", "/", body=DEEP)
    with pytest.raises(InvalidRequestBody, match="Could not parse request body into json"):
        render_request_template("$input.json('$')", request, MatchedRoute("r", "/"))


@pytest.mark.parametrize("body", [DEEP, b'{"statusCode": 1e400}', b'{"statusCode": NaN}', b'{"statusCode": "x"}'])
def test_a_mock_passes_through_any_body_and_answers_200(body):
    assert call_mock(body).status == 200


@pytest.mark.parametrize("payload", [DEEP, b'{"statusCode": 1e400}', b'{"statusCode": -1e400}',
                                     b'{"statusCode": 1e300}', b'{"statusCode": 99999}', b'{"statusCode": 0}',
                                     b'{"statusCode": 600}', b'{"statusCode": "-1"}'])
def test_a_proxy_response_too_deep_or_with_no_http_status_is_malformed(payload):
    with pytest.raises(MalformedProxyResponse):
        parse_proxy_response(payload)


def test_a_proxy_response_status_in_range_is_kept():
    assert parse_proxy_response(b'{"statusCode": 599}').status_code == 599
    assert parse_proxy_response(b'{"statusCode": "100"}').status_code == 100


def test_a_function_error_too_deep_to_read_is_its_raw_text():
    assert _error_message(DEEP) == DEEP.decode()


def test_an_integration_response_parameter_naming_no_http_header_sets_none():
    from pocketcloud.services.apigateway.execute.templates import map_response_parameters

    headers = map_response_parameters({"method.response.header.a:b": "'v'", "method.response.header.a b": "'v'",
                                       "method.response.header.X-\u00e9": "'v'", "method.response.header.X-Ok": "'v'"})
    assert headers == [("X-Ok", "v")]
