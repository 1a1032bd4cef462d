"""The TTL sweeper against SQLite storage: what it deletes, what it keeps, and the stream record it leaves."""

from __future__ import annotations

import pytest

from pocketcloud.config import Config
from pocketcloud.services.dynamodb.tables import index_entries, item_key, schema, ttl_value
from pocketcloud.services.dynamodb.ttl import TTL_IDENTITY, sweep_once
from pocketcloud.services.dynamodb.values import item_size
from pocketcloud.storage import open_storage

NOW = 1_700_000_000.0


@pytest.fixture
def store():
    storage = open_storage(Config(in_memory=True))
    yield storage.dynamodb
    storage.close()


def _table(store, *, ttl_enabled: bool = True):
    desc = {
        "TableName": "t", "TableArn": "arn:aws:dynamodb:us-east-1:000000000000:table/t",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "OLD_IMAGE"},
        "_indexes": {}, "_ttl": {"Enabled": ttl_enabled, "AttributeName": "exp"},
    }
    return store.create_table("000000000000", "us-east-1", "t", desc)


def _put(store, table, item):
    sch = schema(table)
    with store.write() as txn:
        txn.put(table, item_key(sch, item), item, item_size(item), index_entries(sch, item), ttl_value(sch, item))


def test_sweep_deletes_expired_items_and_keeps_the_rest(store):
    table = _table(store)
    _put(store, table, {"id": {"S": "old"}, "exp": {"N": str(NOW - 10)}})
    _put(store, table, {"id": {"S": "future"}, "exp": {"N": str(NOW + 10)}})
    _put(store, table, {"id": {"S": "none"}})
    _put(store, table, {"id": {"S": "text"}, "exp": {"S": "1"}})
    assert sweep_once(store, NOW) == 1
    sch = schema(table)
    assert store.get_item(table, item_key(sch, {"id": {"S": "old"}})) is None
    for name in ("future", "none", "text"):
        assert store.get_item(table, item_key(sch, {"id": {"S": name}})) is not None


def test_sweep_leaves_a_remove_record_naming_the_dynamodb_service(store):
    table = _table(store)
    _put(store, table, {"id": {"S": "old"}, "exp": {"N": str(NOW - 1)}})
    sweep_once(store, NOW)
    records = [r for _, r in store.changes(table, 0, 10)]
    assert records[-1]["eventName"] == "REMOVE"
    assert records[-1]["userIdentity"] == TTL_IDENTITY == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    assert records[-1]["dynamodb"]["OldImage"]["id"] == {"S": "old"}


def test_sweep_ignores_tables_whose_ttl_is_off(store):
    table = _table(store, ttl_enabled=False)
    sch = schema(table)
    item = {"id": {"S": "old"}, "exp": {"N": str(NOW - 10)}}
    with store.write() as txn:  # an expiry stored while TTL was on
        txn.put(table, item_key(sch, item), item, item_size(item), [], NOW - 10)
    assert sweep_once(store, NOW) == 0


def test_recompute_ttl_sets_the_expiry_of_existing_items(store):
    table = _table(store, ttl_enabled=False)
    _put(store, table, {"id": {"S": "old"}, "exp": {"N": str(NOW - 10)}})
    assert store.expired(table, NOW, 10) == []
    desc = {**table.description, "_ttl": {"Enabled": True, "AttributeName": "exp"}}
    table = store.save_table(table, desc)
    sch = schema(table)
    assert store.recompute_ttl(table, lambda item: ttl_value(sch, item)) == 1
    assert len(store.expired(table, NOW, 10)) == 1
