"""The aws CLI, typed as seed 001 types it, against a running pocketcloud."""

from __future__ import annotations

import json
from pathlib import Path


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


def test_create_table_from_cli_input_json_as_seed_000_types_it(aws_cli, unique_name, tmp_path):
    """Seed 000: `aws dynamodb create-table --cli-input-json file://movies-table.json --provisioned-throughput ...`;
    the flag overrides the file's throughput."""
    movies = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "dynamodb" / "movies-table.json").read_text())
    movies["TableName"] = unique_name
    (tmp_path / "movies-table.json").write_text(json.dumps(movies))
    proc = aws_cli(
        "dynamodb", "create-table", "--cli-input-json", "file://movies-table.json",
        "--provisioned-throughput", "ReadCapacityUnits=5,WriteCapacityUnits=5", cwd=str(tmp_path),
    )
    desc = json.loads(proc.stdout)["TableDescription"]
    assert desc["KeySchema"] == [{"AttributeName": "year", "KeyType": "HASH"}, {"AttributeName": "title", "KeyType": "RANGE"}]
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    aws_cli("dynamodb", "put-item", "--table-name", unique_name, "--item",
            '{"year": {"N": "2016"}, "title": {"S": "Love and Friendship"}}')
    got = json.loads(aws_cli("dynamodb", "get-item", "--table-name", unique_name, "--key",
                             '{"year": {"N": "2016"}, "title": {"S": "Love and Friendship"}}').stdout)
    assert got["Item"]["title"] == {"S": "Love and Friendship"}
