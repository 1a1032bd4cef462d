"""Seed 001: a REST API for DynamoDB built with the aws CLI — ANY /db-api → AWS_PROXY → a Node function using
dynamodb-doc — then GET ?TableName=messages, POST, PUT and DELETE over HTTP, exactly as the tutorial sends them."""

from __future__ import annotations

import json
import uuid

import pytest

from apigw_support import ACCOUNT, zip_source

REGION = "us-west-1"

DB_API_JS = r"""
'use strict'
console.log('Loading function')
const doc = require('dynamodb-doc')
const dynamo = new doc.DynamoDB()
exports.handler = (event, context, callback) => {
  const done = (err, res) => callback(null, {
    statusCode: err ? '400' : '200',
    body: err ? err.message : JSON.stringify(res),
    headers: { 'Content-Type': 'application/json' }
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


def cli(aws_cli, *args: str) -> str:
    return aws_cli(*args, "--region", REGION).stdout.strip()


@pytest.fixture(scope="module")
def seed001(aws_cli, tmp_path_factory, unique_suffix="s001"):
    work = tmp_path_factory.mktemp("seed001")
    (work / "db-api.zip").write_bytes(zip_source("index.js", DB_API_JS))
    existing = cli(aws_cli, "dynamodb", "list-tables", "--output", "json")
    if "messages" not in json.loads(existing)["TableNames"]:
        cli(aws_cli, "dynamodb", "create-table", "--table-name", "messages",
            "--attribute-definitions", "AttributeName=id,AttributeType=S", "--key-schema", "AttributeName=id,KeyType=HASH",
            "--provisioned-throughput", "ReadCapacityUnits=5,WriteCapacityUnits=5")
    name = "db-api-" + uuid.uuid4().hex[:6]
    function_arn = json.loads(cli(
        aws_cli, "lambda", "create-function", "--function-name", name, "--runtime", "nodejs6.10",
        "--role", f"arn:aws:iam::{ACCOUNT}:role/LambdaServiceRole", "--handler", "index.handler",
        "--zip-file", f"fileb://{work / 'db-api.zip'}", "--memory-size", "512", "--timeout", "10", "--output", "json",
    ))["FunctionArn"]
    api_id = cli(aws_cli, "apigateway", "create-rest-api", "--name", "api-for-db-api", "--query", "id", "--output", "text")
    parent = cli(aws_cli, "apigateway", "get-resources", "--rest-api-id", api_id,
                 "--query", "items[?path=='/'].id", "--output", "text")
    resource = cli(aws_cli, "apigateway", "create-resource", "--rest-api-id", api_id, "--parent-id", parent,
                   "--path-part", "db-api", "--query", "id", "--output", "text")
    cli(aws_cli, "apigateway", "put-method", "--rest-api-id", api_id, "--resource-id", resource, "--http-method", "ANY",
        "--authorization-type", "NONE", "--no-api-key-required")
    integration = json.loads(cli(
        aws_cli, "apigateway", "put-integration", "--rest-api-id", api_id, "--resource-id", resource,
        "--http-method", "ANY", "--type", "AWS_PROXY", "--integration-http-method", "POST",
        "--uri", f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{function_arn}/invocations",
        "--output", "json"))
    cli(aws_cli, "apigateway", "create-deployment", "--rest-api-id", api_id, "--stage-name", "prod")
    return {"api_id": api_id, "resource": resource, "function": name, "integration": integration}


def grant(aws_cli, seed001) -> None:
    cli(aws_cli, "lambda", "add-permission", "--function-name", seed001["function"],
        "--statement-id", "apigateway-db-api-any-proxy", "--action", "lambda:InvokeFunction",
        "--principal", "apigateway.amazonaws.com",
        "--source-arn", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{seed001['api_id']}/*/*/db-api")
    cli(aws_cli, "apigateway", "put-method-response", "--rest-api-id", seed001["api_id"],
        "--resource-id", seed001["resource"], "--http-method", "ANY", "--status-code", "200")


def test_put_integration_answers_aws_defaults_as_in_the_tutorial_output(seed001):
    integration = seed001["integration"]
    assert integration["type"] == "AWS_PROXY"
    assert integration["httpMethod"] == "POST"
    assert integration["passthroughBehavior"] == "WHEN_NO_MATCH"
    assert integration["cacheKeyParameters"] == []
    assert integration["cacheNamespace"] == seed001["resource"]
    assert integration["timeoutInMillis"] == 29000


def test_invoking_without_lambda_permission_answers_500_internal_server_error(seed001, http):
    status, _, body = http.request("GET", http.url(seed001["api_id"], "prod", "/db-api?TableName=messages"))
    assert status == 500
    assert json.loads(body) == {"message": "Internal server error"}


def test_seed_001_get_post_put_delete_reach_dynamodb_through_the_node_function(seed001, aws_cli, http):
    grant(aws_cli, seed001)
    url = http.url(seed001["api_id"], "prod", "/db-api")
    item_id = str(uuid.uuid4()).upper()
    status, headers, body = http.request("POST", url, {"TableName": "messages", "Item": {
        "id": item_id, "author": "Neil Armstrong", "text": "That is one small step for (a) man, one giant leap for mankind"}})
    assert status == 200, body
    assert headers["content-type"] == "application/json"
    assert "x-amzn-requestid" in {k.lower() for k in headers}
    status, _, body = http.request("GET", url + "?TableName=messages")
    assert status == 200, body
    items = json.loads(body)["Items"]
    assert any(i["id"] == item_id and i["author"] == "Neil Armstrong" for i in items)
    status, _, body = http.request("PUT", url, {"TableName": "messages", "Key": {"id": item_id},
                                                "UpdateExpression": "SET #t = :t", "ExpressionAttributeNames": {"#t": "text"},
                                                "ExpressionAttributeValues": {":t": "edited"}})
    assert status == 200, body
    status, _, body = http.request("DELETE", url, {"TableName": "messages", "Key": {"id": item_id}})
    assert status == 200, body
    _, _, body = http.request("GET", url + "?TableName=messages")
    assert all(i["id"] != item_id for i in json.loads(body)["Items"])


def test_a_dynamodb_error_comes_back_as_the_functions_400(seed001, aws_cli, http):
    status, _, body = http.request("POST", http.url(seed001["api_id"], "prod", "/db-api"),
                                   {"TableName": "no-such-table-xyz", "Item": {"id": "1"}})
    assert status == 400  # the function's own error response (statusCode '400'), passed through as is
    assert b"not found" in body.lower()
