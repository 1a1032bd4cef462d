#!/usr/bin/env bash
# Sends the tutorial's request payloads to POST /DynamoDBManager of the API that deploy.sh made.
#   bash examples/dynamodb-manager/try.sh   # API_URL=... to call another deployment (the /DynamoDBManager URL)
set -euo pipefail

source "$(dirname "$0")/../pocketcloud-env.sh"
export AWS_DEFAULT_REGION=${REGION:-us-east-1}

if [ -z "${API_URL:-}" ]; then
  API_ID=$(aws apigateway get-rest-apis --query "items[?name=='DynamoDBOperations'].id | [0]" --output text)
  if [ -z "$API_ID" ] || [ "$API_ID" = None ]; then
    echo "No DynamoDBOperations API here: run deploy.sh first" >&2
    exit 1
  fi
  API_URL=$AWS_ENDPOINT_URL/restapis/$API_ID/prod/_user_request_/DynamoDBManager
fi

# post JSON: prints the request body, then the status and the body of the answer.
post() {
  echo "\$ curl -X POST $API_URL -d '$1'"
  curl -sS -X POST "$API_URL" -H 'Content-Type: application/json' -d "$1" -w '\n  -> HTTP %{http_code}\n'
  echo
}

post '{"operation": "create", "tableName": "LambdaTable", "payload": {"Item": {"Id": "1", "name": "Bob"}}}'
post '{"operation": "read", "tableName": "LambdaTable", "payload": {"Key": {"Id": "1"}}}'
post '{"operation": "update", "tableName": "LambdaTable", "payload": {"Key": {"Id": "1"}, "UpdateExpression": "SET #n = :n", "ExpressionAttributeNames": {"#n": "name"}, "ExpressionAttributeValues": {":n": "Alice"}, "ReturnValues": "ALL_NEW"}}'
post '{"operation": "list", "tableName": "LambdaTable", "payload": {}}'
post '{"operation": "delete", "tableName": "LambdaTable", "payload": {"Key": {"Id": "1"}}}'
post '{"operation": "echo", "payload": {"somekey1": "somevalue1", "somekey2": "somevalue2"}}'
post '{"operation": "ping", "payload": {}}'

echo "# What goes wrong, and how the API says so:"
post '{"operation": "fly", "payload": {}}'                                           # the function's error
post '{"operation": "read", "tableName": "NoSuchTable", "payload": {"Key": {"Id": "1"}}}'   # DynamoDB's error
post '{"operation": "echo", '                                                        # not JSON: Lambda refuses it
