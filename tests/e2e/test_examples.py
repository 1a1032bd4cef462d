"""The seed examples, end to end: each deployed by its own deploy.sh (aws CLI) on the session server, then every call
their tutorials document checked over HTTP through API Gateway, error paths included.

examples/movies (seed 000): Node.js function behind five non-proxy methods with a body mapping template.
examples/db-api (seed 001): Node.js dynamodb-doc CRUD function behind ANY with a Lambda proxy integration.
examples/dynamodb-manager (seed 002): Python and Node.js functions behind one non-proxy POST method.
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid

import pytest
import requests

from e2e_support import EXAMPLES, Deployed, deployed_from, have_node, skip_unless_served, start_script

pytestmark = [skip_unless_served("dynamodb", "lambda", "apigateway", "iam"), pytest.mark.timeout(120)]

needs_node = pytest.mark.skipif(not have_node(), reason="Node.js (`node`) is not installed: Node.js functions cannot run")
MISSING_TOKEN = {"message": "Missing Authentication Token"}
INTERNAL_ERROR = {"message": "Internal server error"}


# The Python and Node.js dynamodb-manager functions are deployed in two regions so that both deployments can run
# at once, and neither in us-east-1, where the other tests of the session make their resources.
MANAGER_REGIONS = {"python": "eu-west-1", "nodejs": "us-east-2"}


@pytest.fixture(scope="module")
def started(script_env):
    """The deploy scripts, started at once so that their aws CLI calls overlap."""
    manager = EXAMPLES / "dynamodb-manager" / "deploy.sh"
    scripts = {"manager-python": start_script(script_env, manager, "python", extra_env={"REGION": MANAGER_REGIONS["python"]})}
    if have_node():
        scripts["movies"] = start_script(script_env, EXAMPLES / "movies" / "deploy.sh")
        scripts["db-api"] = start_script(script_env, EXAMPLES / "db-api" / "deploy.sh")
        scripts["manager-nodejs"] = start_script(script_env, manager, "nodejs", extra_env={"REGION": MANAGER_REGIONS["nodejs"]})
    yield scripts
    for script in scripts.values():
        script.kill()


def post(url: str, body: object, **kwargs) -> requests.Response:
    data = body if isinstance(body, str) else json.dumps(body)
    return requests.post(url, data=data, headers={"Content-Type": "application/json"}, timeout=30, **kwargs)


def run_try_script(script_env, example: str, *args: str, region: str | None = None) -> str:
    env = {**script_env, "REGION": region} if region else script_env
    proc = subprocess.run(
        ["bash", str(EXAMPLES / example / "try.sh"), *args], env=env, capture_output=True, text=True,
        timeout=60, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def function_log_messages(aws_cli, function: str, region: str) -> str:
    proc = aws_cli(
        "logs", "filter-log-events", "--log-group-name", f"/aws/lambda/{function}", "--region", region,
        "--query", "events[].message", "--output", "text",
    )
    return proc.stdout


# ------------------------------------------------------------------------------------------- seed 000: movies


@pytest.fixture(scope="module")
def movies(started, endpoint) -> Deployed:
    return deployed_from(endpoint, started["movies"].result())


@needs_node
class TestMovies:
    LOVE = {"title": "Love and Friendship", "year": "2016", "info": "New from Amazon Studios, starring Kate Beckinsale."}

    def test_deploy_script_reports_each_step_and_the_urls_to_try(self, movies):
        for step in ("Creating the DynamoDB table Movies", "Creating /movies with GET", "Creating /movies/update-movie",
                     "Deploying the API to the stage prod"):
            assert step in movies.output

    def test_add_find_update_delete_and_list_a_movie(self, movies):
        item = {"year": 2016, "title": self.LOVE["title"], "info": self.LOVE["info"]}
        added = post(movies.url("/movies/add-movie"), self.LOVE)
        assert (added.status_code, added.json()) == (200, {"message": "Added movie", "Item": item})

        listed = requests.get(movies.url("/movies"), timeout=30)
        assert listed.status_code == 200
        assert item in listed.json()["Items"]
        assert listed.json()["Count"] == len(listed.json()["Items"])

        key = {"title": self.LOVE["title"], "year": "2016"}
        found = post(movies.url("/movies/findbytitleandyear"), key)
        assert (found.status_code, found.json()) == (200, {"Item": item})

        updated = post(movies.url("/movies/update-movie"), {**key, "info": {"rating": 7.5, "plot": "Austen"}})
        assert updated.status_code == 200
        assert updated.json() == {"message": "Updated movie", "Item": {**item, "info": {"rating": 7.5, "plot": "Austen"}}}

        deleted = post(movies.url("/movies/delete-movie"), key)
        assert deleted.status_code == 200
        assert deleted.json()["Item"]["info"] == {"rating": 7.5, "plot": "Austen"}
        assert item not in requests.get(movies.url("/movies"), timeout=30).json()["Items"]

    def test_the_item_lands_in_the_movies_table_of_the_region_in_app_config(self, movies, boto_session, endpoint):
        post(movies.url("/movies/add-movie"), {"title": "Godzilla vs. Dynamo", "year": "2016", "info": "Acme"})
        table = boto_session.client("dynamodb", endpoint_url=endpoint, region_name="us-west-2")
        got = table.get_item(TableName="Movies", Key={"year": {"N": "2016"}, "title": {"S": "Godzilla vs. Dynamo"}})
        assert got["Item"]["info"] == {"S": "Acme"}

    def test_the_list_is_served_on_the_execute_api_host_too(self, movies):
        listed = movies.host_call("GET", "/movies")
        assert listed.status_code == 200
        assert "Items" in listed.json()

    def test_finding_a_movie_that_is_not_there_is_404_by_selection_pattern(self, movies):
        found = post(movies.url("/movies/findbytitleandyear"), {"title": "Nothing Here", "year": "1901"})
        assert (found.status_code, found.json()) == (404, {"message": 'Not found: no movie "Nothing Here" (1901)'})

    def test_deleting_or_updating_a_movie_that_is_not_there_is_404(self, movies):
        key = {"title": "Nothing Here", "year": "1902", "info": "x"}
        for action in ("delete-movie", "update-movie"):
            answer = post(movies.url(f"/movies/{action}"), key)
            assert (answer.status_code, answer.json()) == (404, {"message": 'Not found: no movie "Nothing Here" (1902)'})

    def test_a_movie_without_a_year_is_400_by_selection_pattern(self, movies):
        answer = post(movies.url("/movies/add-movie"), {"title": "No year"})
        assert answer.status_code == 400
        assert answer.json() == {"message": 'Bad request: "year" must be a whole number, like "2016"'}

    def test_a_body_that_is_not_json_is_400_before_the_function_runs(self, movies):
        answer = post(movies.url("/movies/add-movie"), '{"title": ')
        assert answer.status_code == 400
        assert answer.json()["message"].startswith("Could not parse request body into json")

    def test_an_unknown_action_is_403_missing_authentication_token(self, movies):
        answer = post(movies.url("/movies/rate-movie"), {"title": "x", "year": "2016"})
        assert (answer.status_code, answer.json()) == (403, MISSING_TOKEN)

    def test_a_method_the_resource_does_not_have_is_403_missing_authentication_token(self, movies):
        answer = requests.get(movies.url("/movies/add-movie"), timeout=30)
        assert (answer.status_code, answer.json()) == (403, MISSING_TOKEN)

    @skip_unless_served("logs")
    def test_the_function_logs_each_request_it_was_sent_by_the_mapping_template(self, movies, aws_cli):
        post(movies.url("/movies/findbytitleandyear"), {"title": "Logged", "year": "2000"})
        messages = function_log_messages(aws_cli, "movies-db", "us-west-2")
        assert "Request: POST /movies/findbytitleandyear" in messages

    def test_the_posts_test_event_invokes_the_function_directly(self, movies, boto_session, endpoint):
        lam = boto_session.client("lambda", endpoint_url=endpoint, region_name="us-west-2")
        out = lam.invoke(FunctionName="movies-db", Payload=(EXAMPLES / "movies" / "test-event.json").read_bytes())
        assert "FunctionError" not in out
        assert json.loads(out["Payload"].read()) == {"message": "Added movie", "Item": {
            "year": 2016, "title": "Godzilla vs. Dynamo", "info": "New from Acme Films, starring John Smith."}}

    def test_swagger_json_imports_as_the_same_api(self, movies, boto_session, endpoint):
        doc = json.loads((EXAMPLES / "movies" / "swagger.json").read_text())
        template = (EXAMPLES / "movies" / "requestTemplate.vel").read_text()
        for path in doc["paths"].values():
            for operation in path.values():
                assert operation["x-amazon-apigateway-integration"]["requestTemplates"]["application/json"] == template
        apigw = boto_session.client("apigateway", endpoint_url=endpoint, region_name="us-west-2")
        lam = boto_session.client("lambda", endpoint_url=endpoint, region_name="us-west-2")
        api_id = apigw.import_rest_api(body=json.dumps(doc).encode())["id"]
        try:
            lam.add_permission(FunctionName="movies-db", StatementId=f"swagger-{api_id}", Action="lambda:InvokeFunction",
                               Principal="apigateway.amazonaws.com",
                               SourceArn=f"arn:aws:execute-api:us-west-2:000000000000:{api_id}/*/*/*")
            apigw.create_deployment(restApiId=api_id, stageName="swagger")
            imported = Deployed(endpoint, api_id, "swagger", "")
            assert requests.get(imported.url("/movies"), timeout=30).status_code == 200
            found = post(imported.url("/movies/findbytitleandyear"), {"title": "Nothing Here", "year": "1903"})
            assert (found.status_code, found.json()) == (404, {"message": 'Not found: no movie "Nothing Here" (1903)'})
            bad = post(imported.url("/movies/add-movie"), {"title": "No year"})
            assert bad.status_code == 400
        finally:
            apigw.delete_rest_api(restApiId=api_id)

    def test_try_script_makes_every_call(self, movies, script_env):
        out = run_try_script(script_env, "movies")
        assert '"message":"Added movie"' in out
        assert "-> HTTP 404" in out and "-> HTTP 400" in out and "-> HTTP 403" in out

    def test_zz_without_the_table_listing_is_404_with_the_reason(self, movies, boto_session, endpoint):
        # Last in the class: it deletes the table.
        boto_session.client("dynamodb", endpoint_url=endpoint, region_name="us-west-2").delete_table(TableName="Movies")
        answer = requests.get(movies.url("/movies"), timeout=30)
        assert answer.status_code == 404
        assert answer.json() == {"message": "Not found: table Movies does not exist (create it with movies-table.json)"}


# ------------------------------------------------------------------------------------------- seed 001: db-api


@pytest.fixture(scope="module")
def db_api(started, endpoint) -> Deployed:
    return deployed_from(endpoint, started["db-api"].result())


@needs_node
class TestDbApi:
    def test_deploy_script_tests_the_function_and_the_api_as_the_tutorial_does(self, db_api):
        out = db_api.output
        assert '"statusCode":"200"' in out  # aws lambda invoke with db-api-test.json
        assert '{"Items":[],"Count":0,"ScannedCount":0}' in out  # "Testing..." with curl, as in the tutorial
        assert "Resource ID for path db-api: " in out

    def test_the_tutorials_mock_post_event_invokes_the_function_directly(self, db_api, boto_session, endpoint):
        lam = boto_session.client("lambda", endpoint_url=endpoint, region_name="us-west-1")
        out = lam.invoke(FunctionName="db-api", Payload=(EXAMPLES / "db-api" / "db-api-post-test.json").read_bytes())
        assert json.loads(out["Payload"].read()) == {
            "statusCode": "200", "body": "{}", "headers": {"Content-Type": "application/json"}}
        dynamodb = boto_session.client("dynamodb", endpoint_url=endpoint, region_name="us-west-1")
        item = dynamodb.get_item(TableName="messages", Key={"id": {"S": "1"}})["Item"]
        assert item["author"] == {"S": "Neil Armstrong"}

    def test_post_put_get_and_delete_a_message(self, db_api):
        url = db_api.url("/db-api")
        msg_id = str(uuid.uuid4()).upper()
        item = {"id": msg_id, "author": "Neil Armstrong", "text": "That is one small step for (a) man"}

        created = post(url, {"TableName": "messages", "Item": item})
        assert (created.status_code, created.json()) == (200, {})
        assert created.headers["Content-Type"] == "application/json"

        listed = requests.get(url, params={"TableName": "messages"}, timeout=30)
        assert listed.status_code == 200
        assert item in listed.json()["Items"]

        updated = requests.put(url, timeout=30, json={
            "TableName": "messages", "Key": {"id": msg_id}, "UpdateExpression": "SET #t = :t",
            "ExpressionAttributeNames": {"#t": "text"}, "ExpressionAttributeValues": {":t": "giant leap"},
            "ReturnValues": "ALL_NEW",
        })
        assert (updated.status_code, updated.json()) == (200, {"Attributes": {**item, "text": "giant leap"}})

        deleted = requests.delete(url, timeout=30, json={"TableName": "messages", "Key": {"id": msg_id}})
        assert (deleted.status_code, deleted.json()) == (200, {})
        listed = requests.get(url, params={"TableName": "messages"}, timeout=30).json()
        assert all(i["id"] != msg_id for i in listed["Items"])

    def test_the_tutorials_url_with_a_trailing_slash_works(self, db_api):
        answer = requests.get(db_api.url("/db-api/"), params={"TableName": "messages"}, timeout=30)
        assert answer.status_code == 200
        assert "Items" in answer.json()

    def test_the_execute_api_host_form_works(self, db_api):
        answer = db_api.host_call("GET", "/db-api", params={"TableName": "messages"})
        assert answer.status_code == 200
        assert "Items" in answer.json()

    def test_a_missing_table_is_400_with_dynamodbs_message(self, db_api):
        answer = requests.get(db_api.url("/db-api"), params={"TableName": "no-such-table"}, timeout=30)
        assert answer.status_code == 400
        assert answer.text.startswith("Requested resource not found")

    def test_an_unsupported_method_is_400_from_the_function(self, db_api):
        answer = requests.patch(db_api.url("/db-api"), timeout=30, json={})
        assert (answer.status_code, answer.text) == (400, 'Unsupported method "PATCH"')

    def test_a_body_that_is_not_json_crashes_the_function_and_is_502(self, db_api):
        answer = post(db_api.url("/db-api"), "not json")
        assert (answer.status_code, answer.json()) == (502, INTERNAL_ERROR)

    def test_a_path_under_the_resource_is_403_missing_authentication_token(self, db_api):
        answer = requests.get(db_api.url("/db-api/messages"), timeout=30)
        assert (answer.status_code, answer.json()) == (403, MISSING_TOKEN)

    def test_try_script_makes_the_tutorials_curl_calls(self, db_api, script_env):
        out = run_try_script(script_env, "db-api")
        assert "Neil Armstrong" in out
        assert 'Unsupported method \\"PATCH\\"' in out or 'Unsupported method "PATCH"' in out


# ------------------------------------------------------------------------------------------- seed 002: dynamodb-manager


@pytest.fixture(scope="module", params=["python", "nodejs"])
def manager(request, started, endpoint) -> tuple[str, Deployed]:
    if f"manager-{request.param}" not in started:
        pytest.skip("Node.js (`node`) is not installed: Node.js functions cannot run")
    return request.param, deployed_from(endpoint, started[f"manager-{request.param}"].result())


class TestDynamoDBManager:
    def test_deploy_script_tests_the_function_and_the_method_as_the_tutorial_does(self, manager):
        _, api = manager
        assert 'ping -> "pong"' in api.output
        assert re.search(r'echo -> 200\t\{"somekey1": ?"somevalue1"\}', api.output), api.output

    def test_create_read_update_list_and_delete_an_item(self, manager, boto_session, endpoint):
        language, api = manager
        url = api.url("/DynamoDBManager")
        created = post(url, {"operation": "create", "tableName": "LambdaTable", "payload": {"Item": {"Id": "1", "name": "Bob"}}})
        assert created.status_code == 200
        assert "errorMessage" not in created.json()
        dynamodb = boto_session.client("dynamodb", endpoint_url=endpoint, region_name=MANAGER_REGIONS[language])
        assert dynamodb.get_item(TableName="LambdaTable", Key={"Id": {"S": "1"}})["Item"]["name"] == {"S": "Bob"}

        read = post(url, {"operation": "read", "tableName": "LambdaTable", "payload": {"Key": {"Id": "1"}}})
        assert (read.status_code, read.json()["Item"]) == (200, {"Id": "1", "name": "Bob"})

        updated = post(url, {"operation": "update", "tableName": "LambdaTable", "payload": {
            "Key": {"Id": "1"}, "UpdateExpression": "SET #n = :n", "ExpressionAttributeNames": {"#n": "name"},
            "ExpressionAttributeValues": {":n": "Alice"}, "ReturnValues": "ALL_NEW",
        }})
        assert (updated.status_code, updated.json()["Attributes"]) == (200, {"Id": "1", "name": "Alice"})

        listed = post(url, {"operation": "list", "tableName": "LambdaTable", "payload": {}})
        assert listed.status_code == 200
        assert listed.json()["Items"] == [{"Id": "1", "name": "Alice"}]
        assert listed.json()["Count"] == 1

        deleted = post(url, {"operation": "delete", "tableName": "LambdaTable", "payload": {"Key": {"Id": "1"}}})
        assert deleted.status_code == 200
        read = post(url, {"operation": "read", "tableName": "LambdaTable", "payload": {"Key": {"Id": "1"}}})
        assert "Item" not in read.json()

    def test_echo_returns_the_payload_and_ping_returns_pong(self, manager):
        _, api = manager
        payload = {"somekey1": "somevalue1", "somekey2": "somevalue2"}
        echo = post(api.url("/DynamoDBManager"), {"operation": "echo", "payload": payload})
        assert (echo.status_code, echo.json()) == (200, payload)
        ping = post(api.url("/DynamoDBManager"), {"operation": "ping", "payload": {}})
        assert (ping.status_code, ping.json()) == (200, "pong")

    def test_the_execute_api_host_form_works(self, manager):
        _, api = manager
        ping = api.host_call("POST", "/DynamoDBManager", data='{"operation": "ping"}',
                             headers={"Content-Type": "application/json"})
        assert (ping.status_code, ping.json()) == (200, "pong")

    def test_an_unknown_operation_is_the_functions_error_passed_through_with_200(self, manager):
        # No integration response has a selection pattern, so the default one (200) carries Lambda's error.
        language, api = manager
        answer = post(api.url("/DynamoDBManager"), {"operation": "fly", "payload": {}})
        assert answer.status_code == 200
        if language == "python":
            assert answer.json()["errorMessage"] == 'Unrecognized operation "fly"'
            assert answer.json()["errorType"] == "ValueError"
        else:
            assert answer.json()["errorMessage"] == "Unknown operation: fly"

    def test_a_missing_table_is_dynamodbs_error_passed_through(self, manager):
        _, api = manager
        answer = post(api.url("/DynamoDBManager"), {"operation": "read", "tableName": "NoSuchTable", "payload": {"Key": {"Id": "1"}}})
        assert answer.status_code == 200
        assert answer.json()["errorType"] == "ResourceNotFoundException"
        assert "Requested resource not found" in answer.json()["errorMessage"]

    def test_a_body_that_is_not_json_is_refused_by_lambda_and_is_500(self, manager):
        _, api = manager
        answer = post(api.url("/DynamoDBManager"), '{"operation": "echo", ')
        assert (answer.status_code, answer.json()) == (500, INTERNAL_ERROR)

    def test_get_is_403_missing_authentication_token(self, manager):
        _, api = manager
        answer = requests.get(api.url("/DynamoDBManager"), timeout=30)
        assert (answer.status_code, answer.json()) == (403, MISSING_TOKEN)

    def test_try_script_sends_the_tutorials_payloads(self, manager, script_env):
        language, _ = manager
        out = run_try_script(script_env, "dynamodb-manager", region=MANAGER_REGIONS[language])
        assert "somevalue1" in out and '"pong"' in out
