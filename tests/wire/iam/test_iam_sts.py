"""IAM and STS through the aws CLI (as seed 001 types it) and boto3."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

TRUST = {"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow",
         "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}


@pytest.fixture(scope="module")
def iam(boto_session, endpoint):
    return boto_session.client("iam", endpoint_url=endpoint)


@pytest.fixture(scope="module")
def sts(boto_session, endpoint):
    return boto_session.client("sts", endpoint_url=endpoint)


def test_create_role_and_attach_policy_as_seed_001_types_them(aws_cli, tmp_path, unique_name):
    (tmp_path / "lambda-trust-policy.json").write_text(json.dumps(TRUST))
    out = json.loads(aws_cli("iam", "create-role", "--role-name", unique_name,
                             "--assume-role-policy-document", "file://lambda-trust-policy.json", cwd=str(tmp_path)).stdout)
    role = out["Role"]
    assert role["Arn"] == f"arn:aws:iam::000000000000:role/{unique_name}"
    assert role["RoleId"].startswith("AROA") and len(role["RoleId"]) == 20
    assert role["Path"] == "/" and role["AssumeRolePolicyDocument"] == TRUST
    assert role["CreateDate"].startswith("20")
    proc = aws_cli("iam", "attach-role-policy", "--role-name", unique_name,
                   "--policy-arn", "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess")
    assert proc.stdout.strip() == ""  # "No output is a good thing in this case."
    attached = json.loads(aws_cli("iam", "list-attached-role-policies", "--role-name", unique_name).stdout)
    assert attached["AttachedPolicies"] == [
        {"PolicyName": "AmazonDynamoDBFullAccess", "PolicyArn": "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"}
    ]


def test_create_role_twice_raises_entity_already_exists_409(iam, unique_name):
    iam.create_role(RoleName=unique_name, AssumeRolePolicyDocument=json.dumps(TRUST))
    with pytest.raises(ClientError) as exc:
        iam.create_role(RoleName=unique_name, AssumeRolePolicyDocument=json.dumps(TRUST))
    assert exc.value.response["Error"]["Code"] == "EntityAlreadyExists"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert exc.value.response["Error"]["Message"] == f"Role with name {unique_name} already exists."


def test_get_role_of_a_missing_role_raises_no_such_entity_404(iam, unique_name):
    with pytest.raises(ClientError) as exc:
        iam.get_role(RoleName=unique_name)
    assert exc.value.response["Error"]["Code"] == "NoSuchEntity"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_create_role_with_invalid_json_raises_malformed_policy_document(iam, unique_name):
    with pytest.raises(ClientError) as exc:
        iam.create_role(RoleName=unique_name, AssumeRolePolicyDocument="{not json")
    assert exc.value.response["Error"]["Code"] == "MalformedPolicyDocument"


def test_inline_role_policies_are_put_read_listed_and_deleted(iam, unique_name):
    iam.create_role(RoleName=unique_name, AssumeRolePolicyDocument=json.dumps(TRUST))
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "*"}]}
    iam.put_role_policy(RoleName=unique_name, PolicyName="DynamoDBWriteAccess", PolicyDocument=json.dumps(doc))
    got = iam.get_role_policy(RoleName=unique_name, PolicyName="DynamoDBWriteAccess")
    assert got["PolicyDocument"] == doc
    assert iam.list_role_policies(RoleName=unique_name)["PolicyNames"] == ["DynamoDBWriteAccess"]
    with pytest.raises(ClientError) as exc:
        iam.delete_role(RoleName=unique_name)
    assert exc.value.response["Error"]["Code"] == "DeleteConflict"
    iam.delete_role_policy(RoleName=unique_name, PolicyName="DynamoDBWriteAccess")
    iam.delete_role(RoleName=unique_name)
    assert unique_name not in [r["RoleName"] for r in iam.list_roles()["Roles"]]


def test_customer_policies_are_created_attached_and_detached(iam, unique_name):
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}
    policy = iam.create_policy(PolicyName=unique_name, PolicyDocument=json.dumps(doc))["Policy"]
    assert policy["Arn"] == f"arn:aws:iam::000000000000:policy/{unique_name}"
    iam.create_role(RoleName=unique_name, AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.attach_role_policy(RoleName=unique_name, PolicyArn=policy["Arn"])
    assert iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["AttachmentCount"] == 1
    iam.detach_role_policy(RoleName=unique_name, PolicyArn=policy["Arn"])
    assert iam.list_attached_role_policies(RoleName=unique_name)["AttachedPolicies"] == []
    with pytest.raises(ClientError) as exc:
        iam.attach_role_policy(RoleName=unique_name, PolicyArn="arn:aws:iam::000000000000:policy/missing")
    assert exc.value.response["Error"]["Code"] == "NoSuchEntity"


def test_users_and_access_keys_and_the_key_identifies_its_user_to_sts(iam, endpoint, unique_name):
    user = iam.create_user(UserName=unique_name)["User"]
    assert user["Arn"] == f"arn:aws:iam::000000000000:user/{unique_name}" and user["UserId"].startswith("AIDA")
    key = iam.create_access_key(UserName=unique_name)["AccessKey"]
    assert key["AccessKeyId"].startswith("AKIA") and len(key["SecretAccessKey"]) == 40
    assert [k["AccessKeyId"] for k in iam.list_access_keys(UserName=unique_name)["AccessKeyMetadata"]] == [key["AccessKeyId"]]
    as_user = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    identity = as_user.get_caller_identity()
    assert (identity["Arn"], identity["UserId"], identity["Account"]) == (user["Arn"], user["UserId"], "000000000000")
    with pytest.raises(ClientError) as exc:
        iam.delete_user(UserName=unique_name)
    assert exc.value.response["Error"]["Code"] == "DeleteConflict"
    iam.delete_access_key(UserName=unique_name, AccessKeyId=key["AccessKeyId"])
    iam.delete_user(UserName=unique_name)
    with pytest.raises(ClientError) as exc:
        iam.get_user(UserName=unique_name)
    assert exc.value.response["Error"]["Code"] == "NoSuchEntity"


def test_get_caller_identity_of_unknown_credentials_is_the_account_root(aws_cli):
    identity = json.loads(aws_cli("sts", "get-caller-identity").stdout)
    assert identity == {"UserId": "000000000000", "Account": "000000000000", "Arn": "arn:aws:iam::000000000000:root"}


def test_assume_role_returns_temporary_credentials_that_identify_the_session(iam, sts, endpoint, unique_name):
    role = iam.create_role(RoleName=unique_name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    out = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="s1")
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and creds["SessionToken"] and creds["Expiration"]
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::000000000000:assumed-role/{unique_name}/s1"
    assert out["AssumedRoleUser"]["AssumedRoleId"] == f"{role['RoleId']}:s1"
    session = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                           aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    assert session.get_caller_identity()["Arn"] == out["AssumedRoleUser"]["Arn"]
