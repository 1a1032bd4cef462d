"""Fixtures for API Gateway wire tests: boto3 clients, functions from inline source, and invoke-URL helpers."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile
from typing import Any

import pytest

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/LambdaServiceRole"


@pytest.fixture(scope="session")
def apigateway(boto_session, endpoint):
    return boto_session.client("apigateway", endpoint_url=endpoint)


@pytest.fixture(scope="session")
def lambda_client(boto_session, endpoint):
    return boto_session.client("lambda", endpoint_url=endpoint)


def zip_source(filename: str, source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(filename, source)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def make_function(lambda_client):
    """make_function(name, runtime, filename, source, handler) -> function ARN."""

    def make(name: str, runtime: str, filename: str, source: str, handler: str) -> str:
        out = lambda_client.create_function(
            FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
            Code={"ZipFile": zip_source(filename, source)}, Timeout=10,
        )
        return out["FunctionArn"]

    return make


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


@pytest.fixture(scope="session")
def http(endpoint) -> Http:
    return Http(endpoint)


def root_id(apigateway, api_id: str) -> str:
    return next(r["id"] for r in apigateway.get_resources(restApiId=api_id)["items"] if r["path"] == "/")
