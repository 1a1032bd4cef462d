"""REST routing and binding from botocore's requestUri templates."""

from __future__ import annotations

import json

import pytest

from pocketcloud.protocols.base import Request
from pocketcloud.protocols.errors import NotFound
from pocketcloud.protocols.query import QueryProtocol
from pocketcloud.protocols.rest_json import RestJsonProtocol
from pocketcloud.protocols.specs import service_model


def request(method, path, *, query="", headers=None, body=b""):
    return Request(method, path, path, query, {k.lower(): v for k, v in (headers or {}).items()}, body)


@pytest.fixture(scope="module")
def lam():
    return RestJsonProtocol(service_model("lambda"))


@pytest.fixture(scope="module")
def apigw():
    return RestJsonProtocol(service_model("apigateway"))


def test_invoke_binds_uri_header_query_and_raw_payload(lam):
    parsed = lam.parse(request(
        "POST", "/2015-03-31/functions/my-fn/invocations", query="Qualifier=prod",
        headers={"X-Amz-Invocation-Type": "Event", "X-Amz-Log-Type": "Tail"}, body=b'{"a": 1}',
    ))
    assert parsed.operation == "Invoke"
    assert parsed.params == {
        "FunctionName": "my-fn", "InvocationType": "Event", "LogType": "Tail", "Qualifier": "prod", "Payload": b'{"a": 1}',
    }


def test_uri_parameters_are_percent_decoded(lam):
    parsed = lam.parse(request("GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/configuration"))
    assert parsed.operation == "GetFunctionConfiguration"
    assert parsed.params["FunctionName"] == "arn:aws:lambda:us-east-1:000000000000:function:f"


def test_literal_routes_win_over_parameter_routes(apigw):
    parsed = apigw.parse(request("GET", "/restapis/abc/resources/r1/methods/GET/integration"))
    assert parsed.operation == "GetIntegration"
    assert parsed.params == {"restApiId": "abc", "resourceId": "r1", "httpMethod": "GET"}


def test_json_body_members_are_read_beside_uri_members(apigw):
    parsed = apigw.parse(request("POST", "/restapis/abc/resources/root", body=json.dumps({"pathPart": "db-api"}).encode()))
    assert parsed.operation == "CreateResource"
    assert parsed.params == {"restApiId": "abc", "parentId": "root", "pathPart": "db-api"}


def test_integer_query_parameters_are_converted(lam):
    parsed = lam.parse(request("GET", "/2015-03-31/functions/", query="MaxItems=5"))
    assert parsed.operation == "ListFunctions"
    assert parsed.params["MaxItems"] == 5


def test_unknown_route_is_not_found(lam):
    with pytest.raises(NotFound):
        lam.parse(request("GET", "/nowhere"))


def test_rest_json_output_puts_header_members_in_headers_and_payload_in_the_body(lam):
    response = lam.serialize("Invoke", {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": b'{"x":1}'}, "rid")
    assert response.status == 200
    assert response.headers["x-amz-function-error"] == "Unhandled"
    assert response.body == b'{"x":1}'


def test_rest_json_errors_carry_the_code_in_a_header(lam):
    from pocketcloud.protocols.errors import ServiceError

    class ResourceNotFoundException(ServiceError):
        status_code = 404

    response = lam.serialize_error(ResourceNotFoundException("Function not found"), "rid")
    assert response.status == 404
    assert response.headers["x-amzn-errortype"] == "ResourceNotFoundException"
    assert json.loads(response.body)["message"] == "Function not found"


def test_query_protocol_reads_nested_lists_and_writes_xml():
    iam = QueryProtocol(service_model("iam"))
    body = b"Action=CreateRole&Version=2010-05-08&RoleName=r&AssumeRolePolicyDocument=%7B%7D&Tags.member.1.Key=k&Tags.member.1.Value=v"
    parsed = iam.parse(request("POST", "/", headers={"Content-Type": "application/x-www-form-urlencoded"}, body=body))
    assert parsed.operation == "CreateRole"
    assert parsed.params == {"RoleName": "r", "AssumeRolePolicyDocument": "{}", "Tags": [{"Key": "k", "Value": "v"}]}
    out = iam.serialize("GetRole", {"Role": {"RoleName": "r", "Path": "/"}}, "rid").body.decode()
    assert "<GetRoleResult><Role><Path>/</Path><RoleName>r</RoleName></Role></GetRoleResult>" in out
