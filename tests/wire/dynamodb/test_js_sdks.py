"""The JavaScript SDKs (v3 DocumentClient, v2 DocumentClient, dynamodb-doc) against a running pocketcloud.

Each test runs one script of tests/wire/js with `node`; the script asserts and prints "ok". The modules come
from `npm install` in tests/wire/js (./scripts/test runs it); without node or them the tests skip.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS_DIR = Path(__file__).resolve().parents[1] / "js"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (JS_DIR / "node_modules" / "aws-sdk").is_dir(),
    reason="node or the JS SDKs (npm install in tests/wire/js) are not available",
)


def _run(script: str, aws_env: dict[str, str], table: str) -> None:
    env = {**aws_env, "TABLE": table, "AWS_EC2_METADATA_DISABLED": "true"}
    env.pop("AWS_SDK_LOAD_CONFIG", None)  # aws-sdk v2 would read ~/.aws/config, which need not exist
    proc = subprocess.run(["node", script], cwd=JS_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"{script} failed:\n{proc.stdout}\n{proc.stderr}"
    assert proc.stdout.strip().endswith("ok")


@pytest.fixture
def movies_table(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return unique_name


@pytest.fixture
def messages_table(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    return unique_name


def test_v3_document_client_puts_gets_queries_updates_and_deletes(aws_env, movies_table):
    _run("sdk_v3_document_client.mjs", aws_env, movies_table)


def test_v2_document_client_puts_gets_queries_updates_and_deletes(aws_env, movies_table):
    _run("sdk_v2_document_client.mjs", aws_env, movies_table)


def test_dynamodb_doc_as_seed_001_uses_it_puts_scans_updates_and_deletes(aws_env, messages_table):
    _run("dynamodb_doc.mjs", aws_env, messages_table)
