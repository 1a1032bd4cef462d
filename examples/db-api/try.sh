#!/usr/bin/env bash
# Step 5 of seed 001, "Test": the tutorial's curl calls against the API that deploy.sh made.
#   bash examples/db-api/try.sh             # API_URL=... to call another deployment (the /db-api URL)
set -euo pipefail

source "$(dirname "$0")/../pocketcloud-env.sh"

# The tutorial stores the URL in API_URL once (here with pocketcloud's URL instead of amazonaws.com's):
if [ -z "${API_URL:-}" ]; then
  APINAME=api-for-db-api
  REGION=${REGION:-us-west-1}
  NAME=db-api
  APIID=$(aws apigateway get-rest-apis --query "items[?name==\`${APINAME}\`].id | [0]" --output text --region ${REGION})
  if [ -z "$APIID" ] || [ "$APIID" = None ]; then
    echo "No ${APINAME} here: run deploy.sh first" >&2
    exit 1
  fi
  API_URL="${AWS_ENDPOINT_URL}/restapis/${APIID}/prod/_user_request_/${NAME}"
fi
uuid() { uuidgen 2>/dev/null || python3 -c 'import uuid; print(str(uuid.uuid4()).upper())'; }
show() { echo; echo "\$ $*"; }

show curl "${API_URL}?TableName=messages"
curl -sS "${API_URL}?TableName=messages"
echo

ID=$(uuid)
show curl "${API_URL}" -X POST ... '"id": "'"$ID"'"'
curl -sS ${API_URL} \
  -X POST \
  -H "Content-Type: application/json" \
  -d '{"TableName": "messages", "Item": { "id": "'$ID'", "author": "Neil Armstrong", "text": "That is one small step for (a) man, one giant leap for mankind" } }'
echo

show curl "${API_URL}" -X PUT ... 'UpdateExpression "SET #t = :t"'
curl -sS ${API_URL} \
  -X PUT \
  -H "Content-Type: application/json" \
  -d '{"TableName": "messages", "Key": { "id": "'$ID'" }, "UpdateExpression": "SET #t = :t", "ExpressionAttributeNames": { "#t": "text" }, "ExpressionAttributeValues": { ":t": "One small step for a man." }, "ReturnValues": "ALL_NEW" }'
echo

show curl "${API_URL}?TableName=messages"
curl -sS "${API_URL}?TableName=messages"
echo

show curl "${API_URL}" -X DELETE ... '"Key": { "id": "'"$ID"'" }'
curl -sS ${API_URL} \
  -X DELETE \
  -H "Content-Type: application/json" \
  -d '{"TableName": "messages", "Key": { "id": "'$ID'" } }'
echo

echo
echo "# What goes wrong, and how the API says so:"
show curl "${API_URL}?TableName=no-such-table"
curl -sS "${API_URL}?TableName=no-such-table" -w '\n  -> HTTP %{http_code}'
echo
show curl "${API_URL}" -X PATCH
curl -sS "${API_URL}" -X PATCH -w '\n  -> HTTP %{http_code}'
echo
show curl "${API_URL}" -X POST -d "'not json'"
curl -sS "${API_URL}" -X POST -H "Content-Type: application/json" -d 'not json' -w '\n  -> HTTP %{http_code}'
echo
