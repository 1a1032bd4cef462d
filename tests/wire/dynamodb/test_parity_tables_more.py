"""UpdateTable/DeleteTable behaviour checked against real DynamoDB by the dynamodb-conformance suite
(nubo-db/dynamodb-conformance tier1/updateTable/config, tier1/deleteTable) and dynalite's deleteTable suite."""
from __future__ import annotations

from test_parity_items_support import VALIDATION, call, unique


def _table(endpoint, **extra) -> str:
    name = "tm" + unique()[:12]
    status, body = call(endpoint, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], **extra})
    assert status == 200, body
    return name


def test_update_table_changes_on_demand_throughput(endpoint):
    name = _table(endpoint)
    status, body = call(endpoint, "UpdateTable", {"TableName": name,
                                                  "OnDemandThroughput": {"MaxReadRequestUnits": 20, "MaxWriteRequestUnits": 15}})
    assert status == 200 and body["TableDescription"]["TableStatus"] == "UPDATING"
    table = call(endpoint, "DescribeTable", {"TableName": name})[1]["Table"]
    assert table["OnDemandThroughput"] == {"MaxReadRequestUnits": 20, "MaxWriteRequestUnits": 15}


def test_deletion_protection_blocks_delete_table_until_switched_off(endpoint):
    name = _table(endpoint, DeletionProtectionEnabled=True)
    status, body = call(endpoint, "DeleteTable", {"TableName": name})
    assert (status, body["__type"]) == (400, VALIDATION)
    assert "protected against deletion" in body["message"]
    assert call(endpoint, "UpdateTable", {"TableName": name, "DeletionProtectionEnabled": False})[0] == 200
    status, body = call(endpoint, "DeleteTable", {"TableName": name})
    assert status == 200 and body["TableDescription"]["TableName"] == name
    assert body["TableDescription"]["TableStatus"] == "DELETING"
    status, body = call(endpoint, "DeleteTable", {"TableName": name})
    assert body == {"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                    "message": f"Requested resource not found: Table: {name} not found"}


def test_pay_per_request_to_pay_per_request_is_accepted(endpoint):
    name = _table(endpoint)
    status, body = call(endpoint, "UpdateTable", {"TableName": name, "BillingMode": "PAY_PER_REQUEST"})
    assert status == 200
    assert body["TableDescription"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
