"""Shared fixtures: one pocketcloud server per test session, and real AWS clients pointed at it."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from server import Server  # noqa: E402

# Nothing in the tests may reach AWS: any client that is not pointed at pocketcloud fails fast.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIDPOCKETCLOUDTEST")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "pocketcloud-test-secret")
os.environ["AWS_DEFAULT_REGION"] = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
os.environ.pop("AWS_PROFILE", None)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Server:
    base = tmp_path_factory.mktemp("pocketcloud")
    srv = Server(base / "data", log_path=base / "server.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def endpoint(server: Server) -> str:
    return server.url


@pytest.fixture(scope="session")
def aws_env(endpoint: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"AWS_ENDPOINT_URL": endpoint, "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": ""})
    return env


@pytest.fixture(scope="session")
def boto_session():
    import boto3

    return boto3.session.Session(region_name="us-east-1")


@pytest.fixture(scope="session")
def dynamodb(boto_session, endpoint):
    return boto_session.client("dynamodb", endpoint_url=endpoint)


@pytest.fixture(scope="session")
def dynamodb_resource(boto_session, endpoint):
    return boto_session.resource("dynamodb", endpoint_url=endpoint)


@pytest.fixture
def unique_name() -> str:
    return "t" + uuid.uuid4().hex[:12]


@pytest.fixture(scope="session")
def aws_cli(aws_env):
    """Run the aws CLI against pocketcloud: aws_cli("dynamodb", "list-tables") -> CompletedProcess."""

    def run(*args: str, check: bool = True, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "awscli", *args], env=aws_env, capture_output=True, text=True, timeout=60, cwd=cwd
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
        return proc

    return run
