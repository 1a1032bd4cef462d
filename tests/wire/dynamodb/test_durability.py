"""An acknowledged write survives `kill -9` of the server, and the data is there after a restart."""

from __future__ import annotations

import boto3

from server import Server


def _client(url):
    return boto3.client("dynamodb", endpoint_url=url, region_name="eu-west-1")


def test_acknowledged_writes_survive_kill_9_and_restart(tmp_path):
    data = tmp_path / "data"
    first = Server(data, log_path=tmp_path / "first.log")
    try:
        ddb = _client(first.url)
        ddb.create_table(
            TableName="durable",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                  {"AttributeName": "g", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}],
            BillingMode="PAY_PER_REQUEST",
        )
        for i in range(200):
            ddb.put_item(TableName="durable", Item={"id": {"S": f"k{i}"}, "g": {"S": "all"}, "n": {"N": str(i)}})
        ddb.update_item(TableName="durable", Key={"id": {"S": "k7"}}, UpdateExpression="SET n = n + :one",
                        ExpressionAttributeValues={":one": {"N": "1"}})
        ddb.delete_item(TableName="durable", Key={"id": {"S": "k9"}})
    finally:
        first.stop(kill=True)  # SIGKILL: no shutdown hook, no checkpoint

    second = Server(data, log_path=tmp_path / "second.log")
    try:
        ddb = _client(second.url)
        assert ddb.get_item(TableName="durable", Key={"id": {"S": "k199"}})["Item"]["n"] == {"N": "199"}
        assert ddb.get_item(TableName="durable", Key={"id": {"S": "k7"}})["Item"]["n"] == {"N": "8"}
        assert "Item" not in ddb.get_item(TableName="durable", Key={"id": {"S": "k9"}})
        count = ddb.query(TableName="durable", IndexName="by-g", KeyConditionExpression="g = :g",
                          ExpressionAttributeValues={":g": {"S": "all"}}, Select="COUNT")["Count"]
        assert count == 199
    finally:
        second.stop()
