"""The invoker API Gateway calls: name/ARN resolution and the resource-policy gate, on an in-memory state."""

from __future__ import annotations

import asyncio

import pytest

from pocketcloud.config import Config
from pocketcloud.server.state import AppState
from pocketcloud.services.lambda_ import invoker
from pocketcloud.services.lambda_.models import empty_policy, scope
from pocketcloud.services.lambda_.operations._policy import build_statement

ACCOUNT, REGION = "000000000000", "us-east-1"
API = "arn:aws:execute-api:us-east-1:000000000000:api1"


@pytest.fixture
def state():
    st = AppState(Config(in_memory=True))
    policy = empty_policy()
    policy["Statement"].append(build_statement(ACCOUNT, REGION, "fn", {
        "StatementId": "s", "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com",
        "SourceArn": f"{API}/*/POST/items",
    }))
    st.storage.resources.put(scope(ACCOUNT, REGION), "function", "fn", {
        "config": {"FunctionName": "fn"}, "code_dir": "/nonexistent", "policies": {"": policy}, "concurrency": None,
    })
    yield st
    asyncio.run(st.close())


def _invoke(state, function, **kwargs):
    return asyncio.run(invoker.invoke(state, account_id=ACCOUNT, region=REGION, function=function, qualifier=None,
                                      payload=b"{}", **kwargs))


def test_a_missing_function_raises_function_not_found_a_resource_not_found_exception(state):
    with pytest.raises(invoker.FunctionNotFound) as exc:
        _invoke(state, "nope")
    assert exc.value.code == "ResourceNotFoundException" and exc.value.status_code == 404


def test_a_missing_function_by_full_arn_raises_function_not_found(state):
    with pytest.raises(invoker.FunctionNotFound):
        _invoke(state, f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:nope:prod")


def test_a_source_arn_outside_the_policy_raises_permission_denied(state):
    with pytest.raises(invoker.PermissionDenied):
        _invoke(state, f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:fn", principal="apigateway.amazonaws.com",
                source_arn=f"{API}/prod/GET/items")


def test_a_principal_the_policy_does_not_name_raises_permission_denied(state):
    with pytest.raises(invoker.PermissionDenied):
        _invoke(state, "fn", principal="s3.amazonaws.com", source_arn=f"{API}/prod/POST/items")
