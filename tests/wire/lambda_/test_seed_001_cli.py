"""Seed 001 as its reader types it with the aws CLI: a role, a DynamoDB table, a Node.js function using
dynamodb-doc, and `aws lambda invoke ... --payload file://db-api-test.json output.txt` (CLI v1 sends the file as is)."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

INDEX_JS = r"""
'use strict'
console.log('Loading function')
const doc = require('dynamodb-doc')
const dynamo = new doc.DynamoDB()
exports.handler = (event, context, callback) => {
  const done = (err, res) => callback(null, {
    statusCode: err ? '400' : '200',
    body: err ? err.message : JSON.stringify(res),
    headers: { 'Content-Type': 'application/json' },
  })
  if (typeof event.body == 'string') event.body = JSON.parse(event.body)
  switch (event.httpMethod) {
    case 'DELETE': dynamo.deleteItem(event.body, done); break
    case 'GET': dynamo.scan({ TableName: event.queryStringParameters.TableName }, done); break
    case 'POST': dynamo.putItem(event.body, done); break
    case 'PUT': dynamo.updateItem(event.body, done); break
    default: done(new Error(`Unsupported method "${event.httpMethod}"`))
  }
}
"""

TRUST = {"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow",
         "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_seed_001_node_function_scans_and_puts_messages_through_the_aws_cli(aws_cli, tmp_path, unique_name):
    (tmp_path / "lambda-trust-policy.json").write_text(json.dumps(TRUST))
    role = json.loads(aws_cli("iam", "create-role", "--role-name", f"{unique_name}-role",
                              "--assume-role-policy-document", "file://lambda-trust-policy.json", cwd=str(tmp_path)).stdout)
    aws_cli("iam", "attach-role-policy", "--role-name", f"{unique_name}-role",
            "--policy-arn", "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess")
    aws_cli("dynamodb", "create-table", "--table-name", unique_name,
            "--attribute-definitions", "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH",
            "--provisioned-throughput", "ReadCapacityUnits=5,WriteCapacityUnits=5")
    with zipfile.ZipFile(tmp_path / "db-api.zip", "w") as z:
        z.writestr("index.js", INDEX_JS)
    created = json.loads(aws_cli(
        "lambda", "create-function", "--function-name", unique_name, "--runtime", "nodejs6.10",
        "--role", role["Role"]["Arn"], "--handler", "index.handler", "--zip-file", "fileb://db-api.zip",
        "--memory-size", "512", "--timeout", "10", cwd=str(tmp_path),
    ).stdout)
    assert (created["Runtime"], created["MemorySize"], created["Timeout"]) == ("nodejs6.10", 512, 10)
    aws_cli("lambda", "wait", "function-active", "--function-name", unique_name)

    post = {"httpMethod": "POST", "queryStringParameters": {"TableName": unique_name},
            "body": {"TableName": unique_name, "Item": {"id": "1", "author": "Neil Armstrong", "text": "one small step"}}}
    (tmp_path / "db-api-post.json").write_text(json.dumps(post))
    (tmp_path / "db-api-test.json").write_text(json.dumps({"httpMethod": "GET", "queryStringParameters": {"TableName": unique_name}}))

    meta = json.loads(aws_cli("lambda", "invoke", "--invocation-type", "RequestResponse", "--function-name", unique_name,
                              "--payload", "file://db-api-post.json", "output.txt", cwd=str(tmp_path)).stdout)
    assert meta["StatusCode"] == 200 and "FunctionError" not in meta
    assert json.loads((tmp_path / "output.txt").read_text())["statusCode"] == "200"

    aws_cli("lambda", "invoke", "--invocation-type", "RequestResponse", "--function-name", unique_name,
            "--payload", "file://db-api-test.json", "output.txt", cwd=str(tmp_path))
    response = json.loads((tmp_path / "output.txt").read_text())
    assert response["statusCode"] == "200"
    scanned = json.loads(response["body"])
    assert scanned["Items"] == [{"id": "1", "author": "Neil Armstrong", "text": "one small step"}]
    assert scanned["Count"] == 1
