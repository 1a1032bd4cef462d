"""Helpers for the API Gateway wire tests (conftest.py holds the fixtures). A module of its own, not conftest:
`from conftest import ...` finds whichever conftest.py pytest imported first when several test directories run
together."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile
from typing import Any

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/LambdaServiceRole"


def zip_source(filename: str, source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(filename, source)
    return buffer.getvalue()


def lambda_uri(function_arn: str, region: str = "us-east-1") -> str:
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


def allow_apigateway(lambda_client, function_name: str, api_id: str, region: str = "us-east-1") -> None:
    lambda_client.add_permission(
        FunctionName=function_name, StatementId=f"apigateway-{api_id}", Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com", SourceArn=f"arn:aws:execute-api:{region}:{ACCOUNT}:{api_id}/*/*/*",
    )


class Http:
    """Tiny HTTP helper over urllib (no redirects, no exceptions on 4xx/5xx)."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def url(self, api_id: str, stage: str, path: str) -> str:
        return f"{self.endpoint}/restapis/{api_id}/{stage}/_user_request_{path}"

    def request(self, method: str, url: str, body: Any = None, headers: dict[str, str] | None = None):
        data = None
        headers = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def mock_get(apigateway, api_id: str, resource_id: str, response_template: str) -> None:
    """A GET method on the resource answered by a MOCK integration: 200 with `response_template` rendered."""
    mock_method(apigateway, api_id, resource_id, "GET", response_template)


def mock_method(apigateway, api_id: str, resource_id: str, http_method: str, response_template: str,
                request_types: tuple[str, ...] = ("application/json",), **method_kwargs) -> None:
    """`http_method` on the resource (PutMethod with `method_kwargs`), answered by a MOCK integration with 200 and
    `response_template` rendered, for requests of the `request_types` content types."""
    apigateway.put_method(restApiId=api_id, resourceId=resource_id, httpMethod=http_method, authorizationType="NONE",
                          **method_kwargs)
    apigateway.put_integration(restApiId=api_id, resourceId=resource_id, httpMethod=http_method, type="MOCK",
                               requestTemplates={t: '{"statusCode": 200}' for t in request_types})
    apigateway.put_method_response(restApiId=api_id, resourceId=resource_id, httpMethod=http_method, statusCode="200")
    apigateway.put_integration_response(restApiId=api_id, resourceId=resource_id, httpMethod=http_method,
                                        statusCode="200", responseTemplates={"application/json": response_template})


def root_id(apigateway, api_id: str) -> str:
    return next(r["id"] for r in apigateway.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
