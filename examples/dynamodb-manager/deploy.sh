#!/usr/bin/env bash
# Seed 002, "Using AWS Lambda with Amazon API Gateway (On-Demand Over HTTPS)", with the aws CLI: the LambdaTable
# table, the LambdaFunctionOverHttps function and the DynamoDBOperations API: one resource, /DynamoDBManager, one
# method, POST, with a non-proxy Lambda integration that passes the request body through as the event.
#
#   bash examples/dynamodb-manager/deploy.sh           # the Python function (lambda_function.py)
#   bash examples/dynamodb-manager/deploy.sh nodejs    # the Node.js function (index.js) instead
#   REGION=us-east-2 bash examples/dynamodb-manager/deploy.sh   # in another region (default us-east-1)
#
# Against pocketcloud on $AWS_ENDPOINT_URL (default http://127.0.0.1:4566). Running it again starts over: it
# deletes the table, function and API it made before.
set -euo pipefail
cd "$(dirname "$0")"

source ../pocketcloud-env.sh  # after the cd above
export AWS_DEFAULT_REGION=${REGION:-us-east-1}

LANGUAGE=${1:-python}
case $LANGUAGE in
  python) RUNTIME=python3.12 HANDLER=lambda_function.lambda_handler SOURCE=lambda_function.py ;;
  nodejs|node) RUNTIME=nodejs12.x HANDLER=index.handler SOURCE=index.js ;;
  *) echo "usage: $0 [python|nodejs]" >&2; exit 2 ;;
esac
REGION=$AWS_DEFAULT_REGION
TABLE=LambdaTable
FUNCTION=LambdaFunctionOverHttps
ROLE=lambda-apigateway-role
API_NAME=DynamoDBOperations
STAGE=prod

step "Removing what an earlier run made (table $TABLE, function $FUNCTION, API $API_NAME)"
aws dynamodb delete-table --table-name "$TABLE" >/dev/null 2>&1 && aws dynamodb wait table-not-exists --table-name "$TABLE" || true
aws lambda delete-function --function-name "$FUNCTION" >/dev/null 2>&1 || true
for id in $(aws apigateway get-rest-apis --query "items[?name=='$API_NAME'].id" --output text); do
  aws apigateway delete-rest-api --rest-api-id "$id"
done

step "Creating the DynamoDB table $TABLE (Id S HASH) in $REGION"
aws dynamodb create-table --table-name "$TABLE" \
    --attribute-definitions AttributeName=Id,AttributeType=S --key-schema AttributeName=Id,KeyType=HASH \
    --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 >/dev/null

step "Creating the execution role $ROLE (DynamoDB and CloudWatch Logs)"
# Roles are global, not regional: a run in another region may be creating the same role right now.
if ! ROLE_ARN=$(aws iam get-role --role-name "$ROLE" --query Role.Arn --output text 2>/dev/null); then
  ROLE_ARN=$(aws iam create-role --role-name "$ROLE" --query Role.Arn --output text --assume-role-policy-document '{
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    }' 2>/dev/null || aws iam get-role --role-name "$ROLE" --query Role.Arn --output text)
  aws iam attach-role-policy --role-name "$ROLE" --policy-arn arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess
  aws iam attach-role-policy --role-name "$ROLE" \
      --policy-arn arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
fi

step "Creating the function $FUNCTION from $SOURCE ($RUNTIME)"
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT
if command -v zip >/dev/null 2>&1; then
  zip -q "$BUILD/function.zip" "$SOURCE"
else
  python3 -m zipfile -c "$BUILD/function.zip" "$SOURCE"
fi
FUNCTION_ARN=$(aws lambda create-function --function-name "$FUNCTION" --runtime "$RUNTIME" --handler "$HANDLER" \
    --role "$ROLE_ARN" --zip-file "fileb://$BUILD/function.zip" --query FunctionArn --output text)
ACCOUNT=$(echo "$FUNCTION_ARN" | cut -d: -f5)
echo "    $FUNCTION_ARN"

step "Creating the API $API_NAME with the resource /DynamoDBManager"
API_ID=$(aws apigateway create-rest-api --name "$API_NAME" --query id --output text)
ROOT_ID=$(aws apigateway get-resources --rest-api-id "$API_ID" --query "items[?path=='/'].id" --output text)
RESOURCE_ID=$(aws apigateway create-resource --rest-api-id "$API_ID" --parent-id "$ROOT_ID" \
    --path-part DynamoDBManager --query id --output text)
echo "    API id $API_ID, resource /DynamoDBManager $RESOURCE_ID"

step "Creating POST on /DynamoDBManager: Lambda (non-proxy) integration, response 200"
aws apigateway put-method --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method POST \
    --authorization-type NONE >/dev/null
aws apigateway put-integration --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method POST \
    --type AWS --integration-http-method POST \
    --uri "arn:aws:apigateway:$REGION:lambda:path/2015-03-31/functions/$FUNCTION_ARN/invocations" >/dev/null
aws apigateway put-method-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method POST \
    --status-code 200 --response-models application/json=Empty >/dev/null
# An empty template passes the function's result through as the response body.
aws apigateway put-integration-response --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" --http-method POST \
    --status-code 200 --response-templates application/json="" >/dev/null

step "Deploying the API to the stage $STAGE"
aws apigateway create-deployment --rest-api-id "$API_ID" --stage-name "$STAGE" >/dev/null

step "Letting API Gateway invoke $FUNCTION (from the console's test and from the stage $STAGE)"
aws lambda add-permission --function-name "$FUNCTION" --statement-id apigateway-test-2 \
    --action lambda:InvokeFunction --principal apigateway.amazonaws.com \
    --source-arn "arn:aws:execute-api:$REGION:$ACCOUNT:$API_ID/*/POST/DynamoDBManager" >/dev/null
aws lambda add-permission --function-name "$FUNCTION" --statement-id apigateway-prod-2 \
    --action lambda:InvokeFunction --principal apigateway.amazonaws.com \
    --source-arn "arn:aws:execute-api:$REGION:$ACCOUNT:$API_ID/$STAGE/POST/DynamoDBManager" >/dev/null

step "Testing the function (aws lambda invoke) and the method (aws apigateway test-invoke-method)"
echo '{"operation": "ping", "payload": {}}' > "$BUILD/input.txt"
aws lambda invoke --function-name "$FUNCTION" --payload "fileb://$BUILD/input.txt" "$BUILD/output.txt" >/dev/null
echo "    ping -> $(cat "$BUILD/output.txt")"
echo "    echo -> $(aws apigateway test-invoke-method --rest-api-id "$API_ID" --resource-id "$RESOURCE_ID" \
    --http-method POST --path-with-query-string "" --body '{"operation": "echo", "payload": {"somekey1": "somevalue1"}}' \
    --query '[status, body]' --output text)"

HOSTPORT=${AWS_ENDPOINT_URL#*://}
HOSTPORT=${HOSTPORT%%/*}
case $HOSTPORT in *:*) PORT=${HOSTPORT##*:} ;; *) PORT=80 ;; esac
cat <<EOF

Done. The API is served at either of:
  $AWS_ENDPOINT_URL/restapis/$API_ID/$STAGE/_user_request_/DynamoDBManager
  http://$API_ID.execute-api.localhost:$PORT/$STAGE/DynamoDBManager
Try it:
  curl -X POST $AWS_ENDPOINT_URL/restapis/$API_ID/$STAGE/_user_request_/DynamoDBManager \\
       -d '{"operation": "create", "tableName": "LambdaTable", "payload": {"Item": {"Id": "1", "name": "Bob"}}}'
  REGION=$REGION bash $(dirname "$0")/try.sh        # every operation, with the answers
  aws logs filter-log-events --log-group-name /aws/lambda/$FUNCTION --region $REGION \\
      --query 'events[].[message]' --output text       # the function's logs
EOF
