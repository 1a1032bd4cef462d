"""Invoke through boto3: results, function errors, timeouts, log tails, payload limits, DynamoDB from a function."""

from __future__ import annotations

import base64
import json
import time

import pytest
from botocore.exceptions import ClientError

DYNAMO_PY = """
import boto3

def handler(event, context):
    table = boto3.resource("dynamodb").Table(event["table"])
    table.put_item(Item={"id": event["id"], "count": 41 + 1, "price": event["price"]})
    item = table.get_item(Key={"id": event["id"]})["Item"]
    # DynamoDB numbers come back as Decimal
    return {"type": type(item["count"]).__name__, "count": int(item["count"]), "price": str(item["price"])}
"""


def _invoke(client, name, event, **kwargs):
    out = client.invoke(FunctionName=name, Payload=json.dumps(event).encode(), **kwargs)
    return out, json.loads(out["Payload"].read() or b"null")


def test_invoke_returns_the_handler_result_and_executed_version(lambda_client, create_function, unique_name):
    create_function()
    out, body = _invoke(lambda_client, unique_name, {"a": 1})
    assert out["StatusCode"] == 200
    assert out["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in out
    assert body == {"echo": {"a": 1}, "greeting": None, "version": "$LATEST"}


def test_invoke_of_a_raising_handler_answers_200_with_unhandled_function_error(lambda_client, create_function, unique_name):
    create_function()
    out, body = _invoke(lambda_client, unique_name, {"fail": "boom"})
    assert out["StatusCode"] == 200
    assert out["FunctionError"] == "Unhandled"
    assert body["errorType"] == "ValueError" and body["errorMessage"] == "boom"


def test_invoke_past_the_timeout_reports_task_timed_out(lambda_client, create_function, unique_name):
    create_function(Timeout=1)
    out, body = _invoke(lambda_client, unique_name, {"sleep": 5})
    assert out["FunctionError"] == "Unhandled"
    assert "Task timed out after 1.00 seconds" in body["errorMessage"]


def test_invoke_with_log_type_tail_returns_the_last_log_lines_base64(lambda_client, create_function, unique_name):
    create_function()
    out, _ = _invoke(lambda_client, unique_name, {"marker": "tail-me"}, LogType="Tail")
    tail = base64.b64decode(out["LogResult"]).decode()
    assert tail.startswith("START RequestId: ")
    assert 'event {"marker": "tail-me"}' in tail
    assert "END RequestId: " in tail and "REPORT RequestId: " in tail and "Billed Duration" in tail


def test_invoke_of_a_missing_function_raises_resource_not_found(lambda_client, unique_name):
    with pytest.raises(ClientError) as exc:
        lambda_client.invoke(FunctionName=unique_name, Payload=b"{}")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_dry_run_invoke_answers_204_without_running(lambda_client, create_function, unique_name):
    create_function()
    out = lambda_client.invoke(FunctionName=unique_name, InvocationType="DryRun", Payload=b"{}")
    assert out["StatusCode"] == 204


def test_invoke_with_a_payload_over_6_mb_raises_request_entity_too_large(lambda_client, create_function, unique_name):
    create_function()
    payload = json.dumps({"x": "a" * (6 * 1024 * 1024)}).encode()
    with pytest.raises(ClientError) as exc:
        lambda_client.invoke(FunctionName=unique_name, Payload=payload)
    assert exc.value.response["Error"]["Code"] == "RequestEntityTooLargeException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413


def test_event_invoke_over_256_kb_raises_request_entity_too_large(lambda_client, create_function, unique_name):
    create_function()
    payload = json.dumps({"x": "a" * 300_000}).encode()
    with pytest.raises(ClientError) as exc:
        lambda_client.invoke(FunctionName=unique_name, InvocationType="Event", Payload=payload)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413


def test_invoke_with_a_payload_that_is_not_json_raises_invalid_request_content(lambda_client, create_function, unique_name):
    create_function()
    with pytest.raises(ClientError) as exc:
        lambda_client.invoke(FunctionName=unique_name, Payload=b"not json")
    assert exc.value.response["Error"]["Code"] == "InvalidRequestContentException"


def test_python_function_writes_and_reads_dynamodb_getting_decimals(lambda_client, dynamodb, create_function, unique_name):
    dynamodb.create_table(TableName=unique_name, AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
    create_function(DYNAMO_PY, Timeout=10)
    out, body = _invoke(lambda_client, unique_name, {"table": unique_name, "id": "a", "price": "1.50"})
    assert "FunctionError" not in out, body
    assert body == {"type": "Decimal", "count": 42, "price": "1.50"}
    item = dynamodb.get_item(TableName=unique_name, Key={"id": {"S": "a"}})["Item"]
    assert item["count"] == {"N": "42"}


def _wait_for_log(logs_client, group, text, count=1, seconds=15.0):
    deadline = time.monotonic() + seconds
    found = []
    while time.monotonic() < deadline:
        try:
            events = logs_client.filter_log_events(logGroupName=group, filterPattern=f'"{text}"')["events"]
        except logs_client.exceptions.ResourceNotFoundException:
            events = []
        found = [e["message"] for e in events]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    return found


def test_event_invoke_answers_202_and_runs_the_function_in_the_background(lambda_client, logs_client, create_function, unique_name):
    create_function()
    out = lambda_client.invoke(FunctionName=unique_name, InvocationType="Event", Payload=b'{"marker": "async-ran"}')
    assert out["StatusCode"] == 202
    assert _wait_for_log(logs_client, f"/aws/lambda/{unique_name}", "async-ran")


def test_event_invoke_of_a_failing_function_is_retried_twice(lambda_client, logs_client, create_function, unique_name):
    create_function()
    lambda_client.invoke(FunctionName=unique_name, InvocationType="Event", Payload=b'{"fail": "retry-me"}')
    group = f"/aws/lambda/{unique_name}"
    starts = _wait_for_log(logs_client, group, "START RequestId", count=3, seconds=20)
    assert len(starts) == 3
    assert len({s.split()[2] for s in starts}) == 1  # one request id, three attempts
    time.sleep(2.5)
    assert len(_wait_for_log(logs_client, group, "START RequestId", count=4, seconds=0.5)) == 3


def test_reserved_concurrency_of_zero_throttles_invokes_with_429(lambda_client, create_function, unique_name):
    create_function()
    put = lambda_client.put_function_concurrency(FunctionName=unique_name, ReservedConcurrentExecutions=0)
    assert put["ReservedConcurrentExecutions"] == 0
    assert lambda_client.get_function_concurrency(FunctionName=unique_name)["ReservedConcurrentExecutions"] == 0
    with pytest.raises(ClientError) as exc:
        lambda_client.invoke(FunctionName=unique_name, Payload=b"{}")
    err = exc.value.response
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert err["Error"]["Code"] == "TooManyRequestsException"
    assert err["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    lambda_client.delete_function_concurrency(FunctionName=unique_name)
    assert "ReservedConcurrentExecutions" not in lambda_client.get_function_concurrency(FunctionName=unique_name)
    assert lambda_client.invoke(FunctionName=unique_name, Payload=b"{}")["StatusCode"] == 200
