"""The TTL sweeper as a background task of a running server (its own server, sweeping every 0.2 s)."""

from __future__ import annotations

import time

import pytest

from server import Server


@pytest.fixture(scope="module")
def fast_sweep_client(tmp_path_factory, boto_session):
    srv = Server(None, extra_env={"POCKETCLOUD_TTL_SWEEP_SECONDS": "0.2"})
    try:
        yield boto_session.client("dynamodb", endpoint_url=srv.url)
    finally:
        srv.stop()


def test_expired_items_disappear_once_ttl_is_enabled(fast_sweep_client, unique_name):
    ddb = fast_sweep_client
    ddb.create_table(
        TableName=unique_name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
    )
    past, future = str(int(time.time()) - 60), str(int(time.time()) + 3600)
    ddb.put_item(TableName=unique_name, Item={"id": {"S": "old"}, "exp": {"N": past}})
    ddb.put_item(TableName=unique_name, Item={"id": {"S": "new"}, "exp": {"N": future}})
    # Written before TTL was on: enabling it must recompute their expiry.
    ddb.update_time_to_live(TableName=unique_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "Item" in ddb.get_item(TableName=unique_name, Key={"id": {"S": "old"}}):
        time.sleep(0.1)
    assert "Item" not in ddb.get_item(TableName=unique_name, Key={"id": {"S": "old"}})
    assert "Item" in ddb.get_item(TableName=unique_name, Key={"id": {"S": "new"}})
