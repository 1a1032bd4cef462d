#!/usr/bin/env bash
# Calls every method of the movies API that deploy.sh made, with curl, and shows each answer.
#   bash examples/movies/try.sh            # API_URL=... to call another deployment (up to and including /prod)
set -euo pipefail
cd "$(dirname "$0")"

source ../pocketcloud-env.sh  # after the cd above
export AWS_DEFAULT_REGION=$(python3 -c 'import json; print(json.load(open("app_config.json"))["region"])')

if [ -z "${API_URL:-}" ]; then
  API_ID=$(aws apigateway get-rest-apis --query "items[?name=='MoviesDP-API'].id | [0]" --output text)
  if [ -z "$API_ID" ] || [ "$API_ID" = None ]; then
    echo "No MoviesDP-API here: run deploy.sh first" >&2
    exit 1
  fi
  API_URL=$AWS_ENDPOINT_URL/restapis/$API_ID/prod/_user_request_
fi

# call METHOD PATH [JSON BODY]: prints the request, then the status and the body of the answer.
call() {
  local method=$1 path=$2 body=${3:-}
  echo "\$ curl -X $method $API_URL$path${body:+ -d '$body'}"
  if [ -n "$body" ]; then
    curl -sS -X "$method" "$API_URL$path" -H 'Content-Type: application/json' -d "$body" -w '\n  -> HTTP %{http_code}\n'
  else
    curl -sS -X "$method" "$API_URL$path" -w '\n  -> HTTP %{http_code}\n'
  fi
  echo
}

call POST /movies/add-movie \
  '{"title": "Love and Friendship", "year": "2016", "info": "New from Amazon Studios, starring Kate Beckinsale."}'
call POST /movies/add-movie \
  '{"title": "Godzilla vs. Dynamo", "year": "2016", "info": "New from Acme Films, starring John Smith."}'
call GET /movies
call POST /movies/findbytitleandyear '{"title": "Love and Friendship", "year": "2016"}'
call POST /movies/update-movie '{"title": "Godzilla vs. Dynamo", "year": "2016", "info": "Now in 3D."}'
call POST /movies/delete-movie '{"title": "Godzilla vs. Dynamo", "year": "2016"}'
call GET /movies

echo "# What goes wrong, and how the API says so:"
call POST /movies/findbytitleandyear '{"title": "Godzilla vs. Dynamo", "year": "2016"}'   # 404: it was deleted
call POST /movies/add-movie '{"title": "No year"}'                                        # 400: year is missing
call POST /movies/add-movie '{"title": '                                                  # 400: not JSON
call POST /movies/rate-movie '{"title": "Love and Friendship", "year": "2016"}'            # 403: no such resource
