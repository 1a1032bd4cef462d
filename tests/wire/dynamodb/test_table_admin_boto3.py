"""UpdateTable, TTL, tags, limits, endpoints and continuous backups through boto3."""

from __future__ import annotations

import time

import pytest
from botocore.exceptions import ClientError


def _error(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as err:
        call(*args, **kwargs)
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


@pytest.fixture
def table(dynamodb, unique_name):
    dynamodb.create_table(
        TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    return unique_name


def test_update_table_without_changes_names_every_updatable_member(dynamodb, table):
    code, message = _error(dynamodb.update_table, TableName=table)
    assert code == "ValidationException"
    assert message.startswith("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled")


def test_update_table_changes_throughput_and_records_the_increase(dynamodb, table):
    out = dynamodb.update_table(TableName=table, ProvisionedThroughput={"ReadCapacityUnits": 7, "WriteCapacityUnits": 9})
    assert out["TableDescription"]["TableStatus"] == "UPDATING"
    tp = dynamodb.describe_table(TableName=table)["Table"]["ProvisionedThroughput"]
    assert (tp["ReadCapacityUnits"], tp["WriteCapacityUnits"]) == (7, 9)
    assert "LastIncreaseDateTime" in tp


def test_update_table_with_the_same_throughput_says_it_will_not_change(dynamodb, table):
    code, message = _error(
        dynamodb.update_table, TableName=table, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    )
    assert code == "ValidationException"
    assert message.startswith("The provisioned throughput for the table will not change.")


def test_update_table_switches_to_pay_per_request(dynamodb, table):
    dynamodb.update_table(TableName=table, BillingMode="PAY_PER_REQUEST")
    desc = dynamodb.describe_table(TableName=table)["Table"]
    assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 0


def test_update_table_enables_then_disables_a_stream_keeping_the_latest_arn(dynamodb, table):
    out = dynamodb.update_table(TableName=table, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    arn = out["TableDescription"]["LatestStreamArn"]
    assert arn.startswith(out["TableDescription"]["TableArn"] + "/stream/")
    code, message = _error(
        dynamodb.update_table, TableName=table, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    )
    assert message == f"Table already has an enabled stream: TableName: {table}"
    dynamodb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    desc = dynamodb.describe_table(TableName=table)["Table"]
    assert "StreamSpecification" not in desc and desc["LatestStreamArn"] == arn
    code, message = _error(dynamodb.update_table, TableName=table, StreamSpecification={"StreamEnabled": False})
    assert message == f"Table has no stream to disable: TableName: {table}"


def test_update_table_creating_a_gsi_backfills_existing_items(dynamodb, table):
    for i in range(5):
        dynamodb.put_item(TableName=table, Item={"id": {"S": f"i{i}"}, "color": {"S": "red" if i % 2 else "blue"}})
    dynamodb.put_item(TableName=table, Item={"id": {"S": "nocolor"}})
    out = dynamodb.update_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "color", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "by-color", "KeySchema": [{"AttributeName": "color", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        }}],
    )
    assert out["TableDescription"]["GlobalSecondaryIndexes"][0]["IndexStatus"] == "CREATING"
    desc = dynamodb.describe_table(TableName=table)["Table"]
    assert {a["AttributeName"] for a in desc["AttributeDefinitions"]} == {"id", "color"}
    index = desc["GlobalSecondaryIndexes"][0]
    assert index["IndexStatus"] == "ACTIVE" and index["ItemCount"] == 5


def test_update_table_deleting_a_gsi_removes_it_and_a_missing_one_is_not_found(dynamodb, table):
    dynamodb.update_table(
        TableName=table, AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "N"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "gidx", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        }}],
    )
    dynamodb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "gidx"}}])
    assert "GlobalSecondaryIndexes" not in dynamodb.describe_table(TableName=table)["Table"]
    code, _ = _error(dynamodb.update_table, TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "gidx"}}])
    assert code == "ResourceNotFoundException"


def test_update_table_of_a_missing_table_names_it_in_the_message(dynamodb, unique_name):
    code, message = _error(dynamodb.update_table, TableName=unique_name, BillingMode="PAY_PER_REQUEST")
    assert (code, message) == ("ResourceNotFoundException", f"Requested resource not found: Table: {unique_name} not found")


def test_delete_table_with_deletion_protection_is_refused(dynamodb, table):
    dynamodb.update_table(TableName=table, DeletionProtectionEnabled=True)
    code, message = _error(dynamodb.delete_table, TableName=table)
    assert code == "ValidationException"
    assert message.startswith("Resource cannot be deleted as it is currently protected against deletion.")
    dynamodb.update_table(TableName=table, DeletionProtectionEnabled=False)
    assert dynamodb.delete_table(TableName=table)["TableDescription"]["TableStatus"] == "DELETING"


def test_create_table_with_an_enabled_stream_but_no_view_type_is_rejected(dynamodb, unique_name):
    code, message = _error(
        dynamodb.create_table, TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True},
    )
    assert message == (
        "One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required"
    )


def test_create_table_with_an_unused_attribute_definition_and_an_index_lists_them(dynamodb, unique_name):
    code, message = _error(
        dynamodb.create_table, TableName=unique_name,
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("id", "extra", "g")],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[{"IndexName": "gidx", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "ALL"}}],
    )
    assert message == (
        "One or more parameter values were invalid: Some AttributeDefinitions are not used. "
        "AttributeDefinitions: [id, extra, g], keys used: [id, g]"
    )


def test_time_to_live_enable_describe_and_repeat(dynamodb, table):
    assert dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}
    out = dynamodb.update_time_to_live(TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    assert out["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "exp"}
    desc = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert desc == {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}
    code, message = _error(
        dynamodb.update_time_to_live, TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
    )
    assert (code, message) == ("ValidationException", "TimeToLive is already enabled")


def test_disabling_time_to_live_that_is_off_is_refused(dynamodb, table):
    code, message = _error(
        dynamodb.update_time_to_live, TableName=table, TimeToLiveSpecification={"Enabled": False, "AttributeName": "exp"}
    )
    assert message == "TimeToLive is already disabled"


def test_tags_are_added_listed_and_removed_by_table_arn(dynamodb, table):
    arn = dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    dynamodb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "a"}])
    tags = dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "dev"), ("team", "a")]
    dynamodb.untag_resource(ResourceArn=arn, TagKeys=["env"])
    assert dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "a"}]


def test_tagging_with_more_than_fifty_tags_or_an_aws_prefix_is_refused(dynamodb, table):
    arn = dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    _, message = _error(dynamodb.tag_resource, ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])
    assert message == "Number of Tags exceed the current limit for the provided ResourceArn"
    _, message = _error(dynamodb.tag_resource, ResourceArn=arn, Tags=[{"Key": "aws:x", "Value": "v"}])
    assert message == "Tag Key cannot be prefixed with aws:, Key: aws:x"


def test_tagging_a_missing_table_is_resource_not_found(dynamodb, table):
    arn = dynamodb.describe_table(TableName=table)["Table"]["TableArn"] + "x"
    code, message = _error(dynamodb.list_tags_of_resource, ResourceArn=arn)
    assert code == "ResourceNotFoundException"


def test_describe_limits_and_endpoints_answer_like_aws(dynamodb):
    limits = dynamodb.describe_limits()
    assert limits["TableMaxReadCapacityUnits"] == 40000 and limits["AccountMaxWriteCapacityUnits"] == 80000
    endpoints = dynamodb.describe_endpoints()["Endpoints"]
    assert endpoints == [{"Address": "dynamodb.us-east-1.amazonaws.com", "CachePeriodInMinutes": 1440}]


def test_continuous_backups_can_be_described_and_enabled(dynamodb, table):
    desc = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert desc["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    out = dynamodb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    assert out["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    code, _ = _error(dynamodb.describe_continuous_backups, TableName=table + "-missing")
    assert code == "TableNotFoundException"
