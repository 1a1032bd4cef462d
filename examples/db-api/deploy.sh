#!/usr/bin/env bash
# Seed 001, the serverless CRUD REST API for any DynamoDB table: the aws CLI commands of the tutorial, in order.
# The messages table, the LambdaServiceRole role, the db-api function (index.js, Node.js with dynamodb-doc), and
# the api-for-db-api REST API: one resource /db-api, method ANY, Lambda proxy integration, stage prod.
#
#   bash examples/db-api/deploy.sh        # against pocketcloud on $AWS_ENDPOINT_URL (default http://127.0.0.1:4566)
#
# Running it again starts over: it deletes the table, function and API it made before (step 6, "Clean up").
set -euo pipefail
cd "$(dirname "$0")"

source ../pocketcloud-env.sh  # after the cd above

API_NAME=api-for-db-api
REGION=${REGION:-us-west-1}
NAME=db-api
export AWS_DEFAULT_REGION=$REGION
BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT

step "6. Clean up what an earlier run made"
for id in $(aws apigateway get-rest-apis --query "items[?name==\`${API_NAME}\`].id" --output text --region ${REGION}); do
  aws apigateway delete-rest-api --rest-api-id "$id" --region ${REGION}
done
aws lambda delete-function --function-name ${NAME} --region ${REGION} 2>/dev/null || true
aws dynamodb delete-table --table-name messages --region ${REGION} >/dev/null 2>&1 \
  && aws dynamodb wait table-not-exists --table-name messages --region ${REGION} || true

step "1. Create DynamoDB table messages"
aws dynamodb create-table --table-name messages \
    --attribute-definitions AttributeName=id,AttributeType=S \
    --key-schema AttributeName=id,KeyType=HASH \
    --provisioned-throughput ReadCapacityUnits=5,WriteCapacityUnits=5 \
    --query TableDescription.TableArn --output text
aws dynamodb list-tables --query TableNames --output text

step "2. Create IAM role LambdaServiceRole to access DynamoDB"
if ! aws iam get-role --role-name LambdaServiceRole >/dev/null 2>&1; then
  aws iam create-role --role-name LambdaServiceRole --assume-role-policy-document file://lambda-trust-policy.json \
      --query Role.Arn --output text
fi
aws iam attach-role-policy --role-name LambdaServiceRole --policy-arn arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess
ROLE_ARN=$(aws iam get-role --role-name LambdaServiceRole --query Role.Arn --output text)

step "3. Create AWS Lambda function ${NAME} (zip index.js, nodejs6.10, role ${ROLE_ARN})"
if command -v zip >/dev/null 2>&1; then
  zip -q "$BUILD/db-api.zip" index.js
else
  python3 -m zipfile -c "$BUILD/db-api.zip" index.js
fi
aws lambda create-function --function-name ${NAME} \
    --runtime nodejs6.10 --role "${ROLE_ARN}" \
    --handler index.handler \
    --zip-file "fileb://$BUILD/db-api.zip" \
    --memory-size 512 \
    --timeout 10 \
    --region ${REGION} --query '[FunctionArn, Runtime, State]' --output text

echo "    Testing the function with db-api-test.json (a mock GET request):"
# The tutorial has file://, which aws CLI v2 would read as base64: fileb:// sends the file as it is, in v1 and v2.
aws lambda invoke \
    --invocation-type RequestResponse \
    --function-name ${NAME} \
    --payload fileb://db-api-test.json \
    --region ${REGION} \
    "$BUILD/output.txt" >/dev/null
echo "    $(cat "$BUILD/output.txt")"

step "4. Create API Gateway REST API ${API_NAME}"
aws apigateway create-rest-api --name "${API_NAME}" --description "Api for ${NAME}" --region ${REGION} \
    --query '[id, name]' --output text
APIID=$(aws apigateway get-rest-apis --query "items[?name==\`${API_NAME}\`].id" --output text --region ${REGION})
echo "    API ID: ${APIID}"
PARENTRESOURCEID=$(aws apigateway get-resources --rest-api-id ${APIID} --query 'items[?path==`/`].id' \
    --output text --region ${REGION})
echo "    Parent resource ID: ${PARENTRESOURCEID}"
aws apigateway create-resource --rest-api-id ${APIID} --region ${REGION} --parent-id ${PARENTRESOURCEID} \
    --path-part ${NAME} --query '[path, id]' --output text
RESOURCEID=$(aws apigateway get-resources --rest-api-id ${APIID} --query "items[?path=='/${NAME}'].id" \
    --output text --region ${REGION})
echo "    Resource ID for path ${NAME}: ${RESOURCEID}"
aws apigateway put-method --rest-api-id ${APIID} --region ${REGION} --resource-id ${RESOURCEID} \
    --http-method ANY --authorization-type "NONE" --no-api-key-required --query '[httpMethod, authorizationType]' \
    --output text
LAMBDAARN=$(aws lambda list-functions --query "Functions[?FunctionName==\`${NAME}\`].FunctionArn" --output text \
    --region ${REGION})
echo "    Lambda Arn: ${LAMBDAARN}"
# Lambda is always invoked with POST, whatever the method of the request (ANY here).
aws apigateway put-integration --region ${REGION} --rest-api-id ${APIID} --resource-id ${RESOURCEID} \
    --http-method ANY --type AWS_PROXY --integration-http-method POST \
    --uri arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${LAMBDAARN}/invocations \
    --query '[type, uri]' --output text
aws apigateway create-deployment --rest-api-id ${APIID} --stage-name prod --region ${REGION} --query id --output text
APIARN=$(echo ${LAMBDAARN} | sed -e 's/lambda/execute-api/' -e "s/function:${NAME}/${APIID}/")
echo "    APIARN: ${APIARN}"
UUID=$(uuidgen 2>/dev/null || python3 -c 'import uuid; print(str(uuid.uuid4()).upper())')
aws lambda add-permission --function-name ${NAME} --statement-id apigateway-db-api-any-proxy-${UUID} \
    --action lambda:InvokeFunction --principal apigateway.amazonaws.com \
    --source-arn "${APIARN}/*/*/db-api" --region ${REGION} --query Statement --output text
aws apigateway put-method-response --rest-api-id ${APIID} --region ${REGION} --resource-id ${RESOURCEID} \
    --http-method ANY --status-code 200 --response-models "{}" --query statusCode --output text

HOSTPORT=${AWS_ENDPOINT_URL#*://}
HOSTPORT=${HOSTPORT%%/*}
case $HOSTPORT in *:*) PORT=${HOSTPORT##*:} ;; *) PORT=80 ;; esac
API_URL=${AWS_ENDPOINT_URL}/restapis/${APIID}/prod/_user_request_/db-api
step "Testing... curl \"${API_URL}?TableName=messages\""
curl -sS "${API_URL}?TableName=messages"
echo
cat <<EOF

Done. Resource URL is either of:
  ${API_URL}
  http://${APIID}.execute-api.localhost:${PORT}/prod/db-api
Try it:
  curl "${API_URL}?TableName=messages"
  bash $(dirname "$0")/try.sh        # GET, POST, PUT, DELETE, with the answers
  aws logs filter-log-events --log-group-name /aws/lambda/${NAME} --region ${REGION} \\
      --query 'events[].[message]' --output text       # the function's logs
EOF
