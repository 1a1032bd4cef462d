"""method_request.check_api_key against keys and plans in a real (in-memory) store: who gets in, what the request
then carries ($context.identity.apiKey / apiKeyId), the quota count, and the index kept per generation."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from pocketcloud.config import Config
from pocketcloud.server.state import AppState
from pocketcloud.services.apigateway import store as apistore
from pocketcloud.services.apigateway.execute.context import InvocationRequest
from pocketcloud.services.apigateway.execute.errors import GatewayError
from pocketcloud.services.apigateway.execute.method_request import check_api_key, period_start
from pocketcloud.services.apigateway.execute.proxy_event import build_identity
from pocketcloud.services.apigateway.keys import KeyStore, key_index

ACCOUNT, REGION, API = "000000000000", "us-east-1", "api1"
REQUIRED = {"apiKeyRequired": True}


@pytest.fixture
def state():
    st = AppState(Config(in_memory=True))
    keys = KeyStore(st, ACCOUNT, REGION)
    for key_id, value, enabled in (("k1", "value-one-0123456789", True), ("k2", "value-two-0123456789", False),
                                   ("k3", "value-three-012345678", True)):
        keys.create_key({"id": key_id, "value": value, "enabled": enabled, "createdDate": 0})
    keys.create_plan({"id": "p1", "name": "p", "apiStages": [{"apiId": API, "stage": "dev"}], "_keys": ["k1", "k2"]})
    keys.create_plan({"id": "p2", "name": "q", "apiStages": [{"apiId": API, "stage": "prod"}], "_keys": ["k3"]})
    yield st


def deployed(stage: str = "dev", source: str = "HEADER") -> SimpleNamespace:
    return SimpleNamespace(api={"apiKeySource": source}, account_id=ACCOUNT, region=REGION, api_id=API,
                           stage_name=stage)


def request(key: str | None) -> InvocationRequest:
    return InvocationRequest("GET", "/", headers=(("X-API-Key", key),) if key is not None else ())


def refused(state, key: str | None, stage: str = "dev") -> GatewayError:
    with pytest.raises(GatewayError) as caught:
        check_api_key(REQUIRED, request(key), state, deployed(stage))
    return caught.value


def test_an_enabled_key_in_a_plan_for_the_stage_gets_in_and_is_noted_on_the_request(state):
    req = request("value-one-0123456789")
    check_api_key(REQUIRED, req, state, deployed())
    assert req.api_key == ("value-one-0123456789", "k1")
    identity = build_identity(req)
    assert identity["apiKey"] == "value-one-0123456789" and identity["apiKeyId"] == "k1"
    assert list(identity)[4] == "apiKey" and list(identity)[11] == "apiKeyId"


def test_missing_unknown_disabled_and_other_stage_keys_are_invalid_api_key(state):
    for key, stage in ((None, "dev"), ("", "dev"), ("nobody-0123456789abc", "dev"), ("value-two-0123456789", "dev"),
                       ("value-three-012345678", "dev"), ("value-one-0123456789", "prod")):
        error = refused(state, key, stage)
        assert (error.status, error.message, error.response_type) == (403, "Forbidden", "INVALID_API_KEY")


def test_a_method_without_api_key_required_lets_anyone_in_and_notes_no_key(state):
    req = request("value-one-0123456789")
    check_api_key({}, req, state, deployed())
    assert req.api_key is None and "apiKey" not in build_identity(req)


def test_a_control_plane_write_is_seen_by_the_next_request(state):
    first = key_index(state, ACCOUNT, REGION)
    assert key_index(state, ACCOUNT, REGION) is first  # no rebuild without a write
    keys = KeyStore(state, ACCOUNT, REGION)
    key = keys.get_key("k1")
    key["enabled"] = False
    keys.put_key(key)
    assert refused(state, "value-one-0123456789").response_type == "INVALID_API_KEY"


def test_the_quota_counts_requests_and_answers_limit_exceeded(state):
    keys = KeyStore(state, ACCOUNT, REGION)
    plan = keys.get_plan("p1")
    plan["quota"] = {"limit": 2, "offset": 0, "period": "DAY"}
    keys.put_plan(plan)
    for _ in range(2):
        check_api_key(REQUIRED, request("value-one-0123456789"), state, deployed())
    error = refused(state, "value-one-0123456789")
    assert (error.status, error.body, error.response_type) == (429, b'{"message":"Limit Exceeded"}', "QUOTA_EXCEEDED")


def test_an_authorizer_key_source_is_not_checked_here(state):
    check_api_key(REQUIRED, request(None), state, deployed(source="AUTHORIZER"))


@pytest.mark.parametrize("period, offset, today, start", [
    ("DAY", 0, "2026-11-21", "2026-11-21"),
    ("WEEK", 0, "2026-11-21", "2026-11-15"),  # a Saturday; the week starts on Sunday the 15th
    ("WEEK", 1, "2026-11-21", "2026-11-16"),  # offset 1: Monday
    ("WEEK", 6, "2026-11-21", "2026-11-21"),
    ("MONTH", 0, "2026-11-21", "2026-11-01"),
    ("MONTH", 24, "2026-11-21", "2026-10-25"),
    ("MONTH", 20, "2026-03-21", "2026-03-21"),
])
def test_quota_periods_start_where_the_offset_says(period, offset, today, start):
    got = period_start({"period": period, "offset": offset}, datetime.date.fromisoformat(today))
    assert got == datetime.date.fromisoformat(start)


def test_keys_belong_to_the_account_and_region(state):
    assert key_index(state, ACCOUNT, "eu-west-1").grants == {}
    assert apistore.generation(state) > 0
