"""Fixtures for the Lambda wire tests: clients, zips made in memory, and functions created per test."""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Callable

import pytest

ROLE = "arn:aws:iam::000000000000:role/LambdaServiceRole"

ECHO_PY = """
import json, os, time

def handler(event, context):
    print("event", json.dumps(event))
    if event.get("fail"):
        raise ValueError(event["fail"])
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {"echo": event, "greeting": os.environ.get("GREETING"), "version": context.function_version}
"""


def make_zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, textwrap.dedent(text))
    return buf.getvalue()


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
