"""The aws CLI, typed as seed 001 types it, against a running pocketcloud."""

from __future__ import annotations

import json


def test_create_table_as_seed_001_types_it_returns_the_table_description(aws_cli, unique_name):
    proc = aws_cli(
        "dynamodb", "create-table", "--table-name", unique_name,
        "--attribute-definitions", "AttributeName=id,AttributeType=S",
        "--key-schema", "AttributeName=id,KeyType=HASH",
        "--provisioned-throughput", "ReadCapacityUnits=5,WriteCapacityUnits=5",
    )
    desc = json.loads(proc.stdout)["TableDescription"]
    assert desc["TableName"] == unique_name
    assert desc["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert desc["TableArn"].endswith(f":table/{unique_name}")


def test_describe_table_and_list_tables_show_the_new_table(aws_cli, unique_name):
    aws_cli(
        "dynamodb", "create-table", "--table-name", unique_name,
        "--attribute-definitions", "AttributeName=id,AttributeType=S",
        "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST",
    )
    aws_cli("dynamodb", "wait", "table-exists", "--table-name", unique_name)
    desc = json.loads(aws_cli("dynamodb", "describe-table", "--table-name", unique_name).stdout)["Table"]
    assert desc["TableStatus"] == "ACTIVE"
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    names = json.loads(aws_cli("dynamodb", "list-tables").stdout)["TableNames"]
    assert unique_name in names


def test_describe_table_of_a_missing_table_fails_with_resource_not_found(aws_cli):
    proc = aws_cli("dynamodb", "describe-table", "--table-name", "no-such-table", check=False)
    assert proc.returncode != 0
    assert "ResourceNotFoundException" in proc.stderr
