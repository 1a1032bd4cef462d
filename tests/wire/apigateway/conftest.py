"""Fixtures for API Gateway wire tests: boto3 clients, functions from inline source, the invoke-URL helper
(plain helpers live in apigw_support.py)."""

from __future__ import annotations

import pytest
from apigw_support import ROLE, Http, zip_source


@pytest.fixture(scope="session")
def apigateway(boto_session, endpoint):
    return boto_session.client("apigateway", endpoint_url=endpoint)


@pytest.fixture(scope="session")
def lambda_client(boto_session, endpoint):
    return boto_session.client("lambda", endpoint_url=endpoint)


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


@pytest.fixture(scope="session")
def http(endpoint) -> Http:
    return Http(endpoint)
