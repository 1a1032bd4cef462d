"""Fixtures for the Lambda wire tests: clients and functions created per test."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lambda_helpers import ECHO_PY, ROLE, make_zip


@pytest.fixture(scope="session")
def lambda_client(boto_session, endpoint):
    from botocore.config import Config

    # Invokes that time out on purpose take seconds; never retry them.
    return boto_session.client("lambda", endpoint_url=endpoint,
                               config=Config(retries={"max_attempts": 1}, read_timeout=30))


@pytest.fixture(scope="session")
def logs_client(boto_session, endpoint):
    return boto_session.client("logs", endpoint_url=endpoint)


@pytest.fixture
def create_function(lambda_client, unique_name) -> Callable[..., dict]:
    """create_function(code=ECHO_PY, **overrides) -> the CreateFunction response, name = unique_name."""

    def create(code: str = ECHO_PY, *, filename: str = "app.py", handler: str = "app.handler",
               runtime: str = "python3.12", **kwargs) -> dict:
        return lambda_client.create_function(
            FunctionName=kwargs.pop("FunctionName", unique_name), Runtime=runtime, Role=ROLE, Handler=handler,
            Code={"ZipFile": make_zip({filename: code})}, **kwargs,
        )

    return create
