"""Control-plane operations the conformance captures of real DynamoDB exercise: on-demand backups and restore,
Contributor Insights settings, resource-based policies, and tagging calls that name another account's table.
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/BackupRestore.html"""
from __future__ import annotations

import json
import uuid

import pytest
from test_parity_items_support import call

PREFIX = "com.amazonaws.dynamodb.v20120810#"


def _table(endpoint: str, **extra) -> tuple[str, str]:
    name = "cp-" + uuid.uuid4().hex[:10]
    status, body = call(endpoint, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "g", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "GlobalSecondaryIndexes": [{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "ALL"}}], **extra})
    assert status == 200, body
    return name, body["TableDescription"]["TableArn"]


def test_backup_lifecycle_and_restore(endpoint):
    name, arn = _table(endpoint)
    for pk, g in (("a", "x"), ("b", "y")):
        call(endpoint, "PutItem", {"TableName": name, "Item": {"pk": {"S": pk}, "g": {"S": g}}})
    status, body = call(endpoint, "CreateBackup", {"TableName": name, "BackupName": "nightly"})
    assert status == 200 and body["BackupDetails"]["BackupStatus"] == "CREATING", body
    backup = body["BackupDetails"]["BackupArn"]
    assert backup.startswith(arn + "/backup/")
    status, body = call(endpoint, "DescribeBackup", {"BackupArn": backup})
    desc = body["BackupDescription"]
    assert desc["BackupDetails"]["BackupStatus"] == "AVAILABLE"
    assert (desc["SourceTableDetails"]["TableName"], desc["SourceTableDetails"]["ItemCount"]) == (name, 2)
    assert [i["IndexName"] for i in desc["SourceTableFeatureDetails"]["GlobalSecondaryIndexes"]] == ["byG"]
    status, body = call(endpoint, "ListBackups", {"TableName": name})
    assert [s["BackupArn"] for s in body["BackupSummaries"]] == [backup]

    target = name + "-restored"
    status, body = call(endpoint, "RestoreTableFromBackup", {"TargetTableName": target, "BackupArn": backup})
    assert status == 200, body
    summary = body["TableDescription"]["RestoreSummary"]
    assert (summary["SourceBackupArn"], summary["RestoreInProgress"]) == (backup, True)
    status, body = call(endpoint, "Query", {"TableName": target, "IndexName": "byG",
                                            "KeyConditionExpression": "g = :g",
                                            "ExpressionAttributeValues": {":g": {"S": "y"}}})
    assert status == 200 and [i["pk"]["S"] for i in body["Items"]] == ["b"], body
    status, body = call(endpoint, "RestoreTableFromBackup", {"TargetTableName": target, "BackupArn": backup})
    assert (status, body["__type"]) == (400, PREFIX + "TableAlreadyExistsException")

    status, body = call(endpoint, "DeleteBackup", {"BackupArn": backup})
    assert body["BackupDescription"]["BackupDetails"]["BackupStatus"] == "DELETED"
    for operation, request in (("DescribeBackup", {"BackupArn": backup}), ("DeleteBackup", {"BackupArn": backup}),
                               ("RestoreTableFromBackup", {"TargetTableName": name + "-2", "BackupArn": backup})):
        status, body = call(endpoint, operation, request)
        assert (status, body["__type"]) == (400, PREFIX + "BackupNotFoundException"), operation


def test_backup_of_a_missing_table(endpoint):
    status, body = call(endpoint, "CreateBackup", {"TableName": "no-such-table-" + uuid.uuid4().hex[:6],
                                                   "BackupName": "b01"})
    assert (status, body["__type"]) == (400, PREFIX + "TableNotFoundException")


@pytest.mark.parametrize("index", [None, "byG"])
def test_contributor_insights_settings(endpoint, index):
    name, _ = _table(endpoint)
    target = {"TableName": name, **({"IndexName": index} if index else {})}
    status, body = call(endpoint, "DescribeContributorInsights", target)
    assert (status, body["ContributorInsightsStatus"]) == (200, "DISABLED")
    status, body = call(endpoint, "UpdateContributorInsights", {**target, "ContributorInsightsAction": "ENABLE"})
    assert body["ContributorInsightsStatus"] == "ENABLING"
    status, body = call(endpoint, "DescribeContributorInsights", target)
    assert body["ContributorInsightsStatus"] == "ENABLED" and len(body["ContributorInsightsRuleList"]) == 2
    status, body = call(endpoint, "ListContributorInsights", {"TableName": name})
    assert [(s["TableName"], s.get("IndexName")) for s in body["ContributorInsightsSummaries"]] == [(name, index)]
    call(endpoint, "UpdateContributorInsights", {**target, "ContributorInsightsAction": "DISABLE"})
    status, body = call(endpoint, "ListContributorInsights", {"TableName": name})
    assert body["ContributorInsightsSummaries"] == []


def test_contributor_insights_of_an_unknown_index(endpoint):
    name, _ = _table(endpoint)
    status, body = call(endpoint, "DescribeContributorInsights", {"TableName": name, "IndexName": "nope"})
    assert (status, body["__type"]) == (400, PREFIX + "ResourceNotFoundException")


def test_resource_policy_round_trip(endpoint):
    name, arn = _table(endpoint)
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"},
        "Action": "dynamodb:GetItem", "Resource": arn}]})
    status, body = call(endpoint, "GetResourcePolicy", {"ResourceArn": arn})
    assert (status, body["__type"]) == (400, PREFIX + "PolicyNotFoundException")
    status, body = call(endpoint, "PutResourcePolicy", {"ResourceArn": arn, "Policy": policy})
    assert status == 200 and body["RevisionId"], body
    revision = body["RevisionId"]
    status, body = call(endpoint, "GetResourcePolicy", {"ResourceArn": arn})
    assert (body["Policy"], body["RevisionId"]) == (policy, revision)
    status, body = call(endpoint, "PutResourcePolicy", {"ResourceArn": arn, "Policy": policy,
                                                        "ExpectedRevisionId": "1"})
    assert (status, body["__type"]) == (400, PREFIX + "PolicyNotFoundException")
    status, body = call(endpoint, "DeleteResourcePolicy", {"ResourceArn": arn})
    assert (status, body["RevisionId"]) == (200, revision)
    status, body = call(endpoint, "DeleteResourcePolicy", {"ResourceArn": arn})
    assert (status, body["__type"]) == (400, PREFIX + "PolicyNotFoundException")


@pytest.mark.parametrize("operation,extra", [
    ("ListTagsOfResource", {}),
    ("TagResource", {"Tags": [{"Key": "k", "Value": "v"}]}),
    ("GetResourcePolicy", {}),
])
def test_another_accounts_table_is_access_denied(endpoint, operation, extra):
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/someone-elses"
    status, body = call(endpoint, operation, {"ResourceArn": arn, **extra})
    assert status == 400 and body["__type"].endswith("#AccessDeniedException"), body
    assert f"dynamodb:{operation}" in body["message"]
