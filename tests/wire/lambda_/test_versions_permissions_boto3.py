"""Versions, aliases, qualified ARNs and resource policies through boto3."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from lambda_helpers import make_zip

V1 = "def handler(e, c):\n    return 'v1'\n"
V2 = "def handler(e, c):\n    return 'v2'\n"


def test_publish_version_freezes_code_and_aliases_route_to_it(lambda_client, create_function, unique_name):
    create_function(V1)
    version = lambda_client.publish_version(FunctionName=unique_name, Description="first")
    assert version["Version"] == "1"
    assert version["FunctionArn"].endswith(f":function:{unique_name}:1")
    lambda_client.update_function_code(FunctionName=unique_name, ZipFile=make_zip({"app.py": V2}))
    alias = lambda_client.create_alias(FunctionName=unique_name, Name="prod", FunctionVersion="1")
    assert alias["AliasArn"].endswith(f":function:{unique_name}:prod")

    latest = lambda_client.invoke(FunctionName=unique_name)
    assert (latest["Payload"].read(), latest["ExecutedVersion"]) == (b'"v2"', "$LATEST")
    by_alias = lambda_client.invoke(FunctionName=unique_name, Qualifier="prod")
    assert (by_alias["Payload"].read(), by_alias["ExecutedVersion"]) == (b'"v1"', "1")
    by_arn = lambda_client.invoke(FunctionName=f"{version['FunctionArn']}")
    assert by_arn["Payload"].read() == b'"v1"'


def test_publishing_an_unchanged_function_returns_the_existing_version(lambda_client, create_function, unique_name):
    create_function(V1)
    assert lambda_client.publish_version(FunctionName=unique_name)["Version"] == "1"
    assert lambda_client.publish_version(FunctionName=unique_name)["Version"] == "1"
    versions = [v["Version"] for v in lambda_client.list_versions_by_function(FunctionName=unique_name)["Versions"]]
    assert versions == ["$LATEST", "1"]


def test_aliases_are_listed_updated_and_deleted(lambda_client, create_function, unique_name):
    create_function(V1)
    lambda_client.publish_version(FunctionName=unique_name)
    lambda_client.create_alias(FunctionName=unique_name, Name="live", FunctionVersion="$LATEST")
    updated = lambda_client.update_alias(FunctionName=unique_name, Name="live", FunctionVersion="1", Description="d")
    assert (updated["FunctionVersion"], updated["Description"]) == ("1", "d")
    assert lambda_client.get_alias(FunctionName=unique_name, Name="live")["FunctionVersion"] == "1"
    assert [a["Name"] for a in lambda_client.list_aliases(FunctionName=unique_name)["Aliases"]] == ["live"]
    lambda_client.delete_alias(FunctionName=unique_name, Name="live")
    with pytest.raises(ClientError) as exc:
        lambda_client.get_alias(FunctionName=unique_name, Name="live")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_create_alias_twice_raises_resource_conflict(lambda_client, create_function, unique_name):
    create_function(V1)
    lambda_client.create_alias(FunctionName=unique_name, Name="a", FunctionVersion="$LATEST")
    with pytest.raises(ClientError) as exc:
        lambda_client.create_alias(FunctionName=unique_name, Name="a", FunctionVersion="$LATEST")
    assert exc.value.response["Error"]["Code"] == "ResourceConflictException"


def test_invoke_of_a_missing_version_raises_resource_not_found(lambda_client, create_function, unique_name):
    create_function(V1)
    with pytest.raises(ClientError) as exc:
        lambda_client.invoke(FunctionName=unique_name, Qualifier="7")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_add_permission_builds_the_statement_as_aws_does(lambda_client, create_function, unique_name):
    arn = create_function(V1)["FunctionArn"]
    source = "arn:aws:execute-api:us-east-1:000000000000:abc123/*/POST/db-api"
    out = lambda_client.add_permission(FunctionName=unique_name, StatementId="apigw", Action="lambda:InvokeFunction",
                                       Principal="apigateway.amazonaws.com", SourceArn=source)
    statement = json.loads(out["Statement"])
    assert statement == {
        "Sid": "apigw", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
        "Action": "lambda:InvokeFunction", "Resource": arn,
        "Condition": {"ArnLike": {"AWS:SourceArn": source}},
    }
    policy = json.loads(lambda_client.get_policy(FunctionName=unique_name)["Policy"])
    assert policy["Version"] == "2012-10-17" and policy["Id"] == "default"
    assert policy["Statement"] == [statement]


def test_add_permission_with_a_duplicate_statement_id_raises_resource_conflict(lambda_client, create_function, unique_name):
    create_function(V1)
    kwargs = dict(FunctionName=unique_name, StatementId="s1", Action="lambda:InvokeFunction", Principal="s3.amazonaws.com")
    lambda_client.add_permission(**kwargs)
    with pytest.raises(ClientError) as exc:
        lambda_client.add_permission(**kwargs)
    assert exc.value.response["Error"]["Code"] == "ResourceConflictException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_remove_permission_deletes_the_statement_and_then_get_policy_finds_none(lambda_client, create_function, unique_name):
    create_function(V1)
    lambda_client.add_permission(FunctionName=unique_name, StatementId="s1", Action="lambda:InvokeFunction",
                                 Principal="123456789012")
    lambda_client.remove_permission(FunctionName=unique_name, StatementId="s1")
    with pytest.raises(ClientError) as exc:
        lambda_client.get_policy(FunctionName=unique_name)
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as exc:
        lambda_client.remove_permission(FunctionName=unique_name, StatementId="s1")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
