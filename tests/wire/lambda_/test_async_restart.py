"""Event invokes are kept in the database: one still queued when the server stops runs after it restarts."""

from __future__ import annotations

import time

import boto3

from lambda_helpers import ROLE, make_zip
from server import Server

CODE = "def handler(event, context):\n    print('ran', event['marker'])\n"


def test_a_queued_event_invoke_survives_a_server_restart(tmp_path, unique_name):
    data = tmp_path / "data"
    first = Server(data, log_path=tmp_path / "first.log")
    try:
        client = boto3.client("lambda", endpoint_url=first.url, region_name="us-east-1")
        client.create_function(FunctionName=unique_name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                               Code={"ZipFile": make_zip({"app.py": CODE})})
        # Throttled by reserved concurrency 0, the event waits in the queue.
        client.put_function_concurrency(FunctionName=unique_name, ReservedConcurrentExecutions=0)
        out = client.invoke(FunctionName=unique_name, InvocationType="Event", Payload=b'{"marker": "after-restart"}')
        assert out["StatusCode"] == 202
    finally:
        first.stop()
    second = Server(data, log_path=tmp_path / "second.log")
    try:
        client = boto3.client("lambda", endpoint_url=second.url, region_name="us-east-1")
        logs = boto3.client("logs", endpoint_url=second.url, region_name="us-east-1")
        client.delete_function_concurrency(FunctionName=unique_name)
        deadline = time.monotonic() + 15
        messages: list[str] = []
        while time.monotonic() < deadline and not any("ran after-restart" in m for m in messages):
            time.sleep(0.2)
            try:
                events = logs.filter_log_events(logGroupName=f"/aws/lambda/{unique_name}")["events"]
            except logs.exceptions.ResourceNotFoundException:
                events = []
            messages = [e["message"] for e in events]
        assert any("ran after-restart" in m for m in messages), messages
    finally:
        second.stop()
