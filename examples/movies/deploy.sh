#!/usr/bin/env bash
# Seed 000, "Powering Mobile Backend Services with AWS Lambda and Amazon API Gateway", deployed with the aws CLI:
# the Movies table, the movies-db function (Node.js, movies-dynamodb.js) and the MoviesDP-API REST API whose five
# methods all call that function through the body mapping template requestTemplate.vel.
#
#   bash examples/movies/deploy.sh        # against pocketcloud on $AWS_ENDPOINT_URL (default http://127.0.0.1:4566)
#
# Running it again starts over: it deletes the table, function and API it made before.
set -euo pipefail
cd "$(dirname "$0")"

source ../pocketcloud-env.sh  # after the cd above

# The function talks to DynamoDB in the region written in app_config.json: everything goes there.
REGION=$(python3 -c 'import json; print(json.load(open("app_config.json"))["region"])')
export AWS_DEFAULT_REGION=$REGION
TABLE=Movies
FUNCTION=movies-db
ROLE=movies-db-role
API_NAME=MoviesDP-API
STAGE=prod

step "Removing what an earlier run made (table $TABLE, function $FUNCTION, API $API_NAME)"
aws dynamodb delete-table --table-name "$TABLE" >/dev/null 2>&1 && aws dynamodb wait table-not-exists --table-name "$TABLE" || true
aws lambda delete-function --function-name "$FUNCTION" >/dev/null 2>&1 || true
for id in $(aws apigateway get-rest-apis --query "items[?name=='$API_NAME'].id" --output text); do
  aws apigateway delete-rest-api --rest-api-id "$id"
done

step "Creating the DynamoDB table $TABLE (year N HASH, title S RANGE) in $REGION"
aws dynamodb create-table --cli-input-json file://movies-table.json \
    --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 >/dev/null

step "Creating the IAM role $ROLE (AWS Lambda service role with DynamoDB access)"
if ! ROLE_ARN=$(aws iam get-role --role-name "$ROLE" --query Role.Arn --output text 2>/dev/null); then
  ROLE_ARN=$(aws iam create-role --role-name "$ROLE" --query Role.Arn --output text --assume-role-policy-document '{
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    }')
  aws iam attach-role-policy --role-name "$ROLE" --policy-arn arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess
  aws iam attach-role-policy --role-name "$ROLE" \
      --policy-arn arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
fi

step "Zipping the function's files (not the folder: its contents) and creating the function $FUNCTION (nodejs4.3)"
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT
if command -v zip >/dev/null 2>&1; then
  zip -q "$BUILD/movies.zip" movies-dynamodb.js app_config.json
else
  python3 -m zipfile -c "$BUILD/movies.zip" movies-dynamodb.js app_config.json
fi
FUNCTION_ARN=$(aws lambda create-function --function-name "$FUNCTION" --runtime nodejs4.3 \
    --handler movies-dynamodb.handler --role "$ROLE_ARN" --zip-file "fileb://$BUILD/movies.zip" \
    --query FunctionArn --output text)
ACCOUNT=$(echo "$FUNCTION_ARN" | cut -d: -f5)
echo "    $FUNCTION_ARN"

step "Creating the REST API $API_NAME"
API_ID=$(aws apigateway create-rest-api --name "$API_NAME" --description "Movies mobile backend (seed 000)" \
    --query id --output text)
ROOT_ID=$(aws apigateway get-resources --rest-api-id "$API_ID" --query "items[?path=='/'].id" --output text)
echo "    API id $API_ID, root resource $ROOT_ID"

URI="arn:aws:apigateway:$REGION:lambda:path/2015-03-31/functions/$FUNCTION_ARN/invocations"
# Every method sends the whole request to the function with the same body mapping template.
REQUEST_TEMPLATES=$(python3 -c 'import json, sys; print(json.dumps({"application/json": open(sys.argv[1]).read()}))' \
    requestTemplate.vel)
ERROR_TEMPLATES='{"application/json": "{\"message\": $input.json('"'"'$.errorMessage'"'"')}"}'

# add_method RESOURCE_ID HTTP_METHOD: the method, its Lambda (non-proxy) integration, and its responses:
# 200 by default, 400 and 404 when the function's error message starts with "Bad request" or "Not found".
add_method() {
  local resource=$1 method=$2
  aws apigateway put-method --rest-api-id "$API_ID" --resource-id "$resource" --http-method "$method" \
      --authorization-type NONE >/dev/null
  aws apigateway put-integration --rest-api-id "$API_ID" --resource-id "$resource" --http-method "$method" \
      --type AWS --integration-http-method POST --uri "$URI" --request-templates "$REQUEST_TEMPLATES" >/dev/null
  aws apigateway put-method-response --rest-api-id "$API_ID" --resource-id "$resource" --http-method "$method" \
      --status-code 200 --response-models '{"application/json": "Empty"}' >/dev/null
  aws apigateway put-integration-response --rest-api-id "$API_ID" --resource-id "$resource" --http-method "$method" \
      --status-code 200 >/dev/null
  local status pattern
  for status in 400 404; do
    if [ "$status" = 400 ]; then pattern='Bad request.*'; else pattern='Not found.*'; fi
    aws apigateway put-method-response --rest-api-id "$API_ID" --resource-id "$resource" --http-method "$method" \
        --status-code "$status" >/dev/null
    aws apigateway put-integration-response --rest-api-id "$API_ID" --resource-id "$resource" \
        --http-method "$method" --status-code "$status" --selection-pattern "$pattern" \
        --response-templates "$ERROR_TEMPLATES" >/dev/null
  done
}

# The five methods do not depend on each other: each is set up in the background as soon as its resource exists.
step "Creating /movies with GET (lists every movie)"
MOVIES_ID=$(aws apigateway create-resource --rest-api-id "$API_ID" --parent-id "$ROOT_ID" --path-part movies \
    --query id --output text)
add_method "$MOVIES_ID" GET &
PIDS=($!)
for action in add-movie delete-movie findbytitleandyear update-movie; do
  step "Creating /movies/$action with POST"
  RESOURCE_ID=$(aws apigateway create-resource --rest-api-id "$API_ID" --parent-id "$MOVIES_ID" \
      --path-part "$action" --query id --output text)
  add_method "$RESOURCE_ID" POST &
  PIDS+=($!)
done
for pid in "${PIDS[@]}"; do
  wait "$pid"  # a method that failed stops the script here (set -e)
done

step "Letting API Gateway invoke $FUNCTION"
aws lambda add-permission --function-name "$FUNCTION" --statement-id "apigateway-$API_ID" \
    --action lambda:InvokeFunction --principal apigateway.amazonaws.com \
    --source-arn "arn:aws:execute-api:$REGION:$ACCOUNT:$API_ID/*/*/*" >/dev/null

step "Deploying the API to the stage $STAGE"
aws apigateway create-deployment --rest-api-id "$API_ID" --stage-name "$STAGE" >/dev/null

HOSTPORT=${AWS_ENDPOINT_URL#*://}
HOSTPORT=${HOSTPORT%%/*}
case $HOSTPORT in *:*) PORT=${HOSTPORT##*:} ;; *) PORT=80 ;; esac
cat <<EOF

Done. The API is served at either of:
  $AWS_ENDPOINT_URL/restapis/$API_ID/$STAGE/_user_request_/movies
  http://$API_ID.execute-api.localhost:$PORT/$STAGE/movies
Try it:
  curl $AWS_ENDPOINT_URL/restapis/$API_ID/$STAGE/_user_request_/movies
  curl -X POST $AWS_ENDPOINT_URL/restapis/$API_ID/$STAGE/_user_request_/movies/add-movie \\
       -H 'Content-Type: application/json' \\
       -d '{"title": "Love and Friendship", "year": "2016", "info": "New from Amazon Studios, starring Kate Beckinsale."}'
  bash $(dirname "$0")/try.sh        # every call, with the answers
  aws logs filter-log-events --log-group-name /aws/lambda/$FUNCTION --region $REGION \
      --query 'events[].[message]' --output text       # the function's logs
EOF
