"""CloudWatch Logs through boto3 and the aws CLI: groups, streams, events, tokens, filter patterns, and the
Lambda log group every function writes to."""

from __future__ import annotations

import io
import json
import sys
import time
import zipfile

import pytest
from botocore.exceptions import ClientError


@pytest.fixture(scope="module")
def logs(boto_session, endpoint):
    return boto_session.client("logs", endpoint_url=endpoint)


def _now() -> int:
    return int(time.time() * 1000)


def _group_with_events(logs, name, messages, stream="s1"):
    logs.create_log_group(logGroupName=name)
    logs.create_log_stream(logGroupName=name, logStreamName=stream)
    base = _now()
    logs.put_log_events(logGroupName=name, logStreamName=stream,
                        logEvents=[{"timestamp": base + i, "message": m} for i, m in enumerate(messages)])
    return base


def test_create_log_group_twice_raises_resource_already_exists(logs, unique_name):
    logs.create_log_group(logGroupName=unique_name)
    with pytest.raises(ClientError) as exc:
        logs.create_log_group(logGroupName=unique_name)
    assert exc.value.response["Error"]["Code"] == "ResourceAlreadyExistsException"
    assert exc.value.response["Error"]["Message"] == "The specified log group already exists"


def test_describe_log_groups_by_prefix_and_delete(logs, unique_name):
    logs.create_log_group(logGroupName=f"/app/{unique_name}/a")
    logs.create_log_group(logGroupName=f"/app/{unique_name}/b")
    groups = logs.describe_log_groups(logGroupNamePrefix=f"/app/{unique_name}/")["logGroups"]
    assert [g["logGroupName"] for g in groups] == [f"/app/{unique_name}/a", f"/app/{unique_name}/b"]
    assert groups[0]["arn"] == f"arn:aws:logs:us-east-1:000000000000:log-group:/app/{unique_name}/a:*"
    logs.delete_log_group(logGroupName=f"/app/{unique_name}/a")
    assert len(logs.describe_log_groups(logGroupNamePrefix=f"/app/{unique_name}/")["logGroups"]) == 1
    with pytest.raises(ClientError) as exc:
        logs.delete_log_group(logGroupName=f"/app/{unique_name}/a")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_put_log_events_to_a_missing_stream_raises_resource_not_found(logs, unique_name):
    logs.create_log_group(logGroupName=unique_name)
    with pytest.raises(ClientError) as exc:
        logs.put_log_events(logGroupName=unique_name, logStreamName="nope", logEvents=[{"timestamp": _now(), "message": "x"}])
    assert exc.value.response["Error"]["Message"] == "The specified log stream does not exist."


def test_get_log_events_reads_forward_from_head_and_the_forward_token_stops_at_the_end(logs, unique_name):
    _group_with_events(logs, unique_name, ["one", "two", "three"])
    page = logs.get_log_events(logGroupName=unique_name, logStreamName="s1", startFromHead=True, limit=2)
    assert [e["message"] for e in page["events"]] == ["one", "two"]
    page2 = logs.get_log_events(logGroupName=unique_name, logStreamName="s1", nextToken=page["nextForwardToken"])
    assert [e["message"] for e in page2["events"]] == ["three"]
    page3 = logs.get_log_events(logGroupName=unique_name, logStreamName="s1", nextToken=page2["nextForwardToken"])
    assert page3["events"] == [] and page3["nextForwardToken"] == page2["nextForwardToken"]


def test_get_log_events_without_start_from_head_answers_the_newest_events(logs, unique_name):
    _group_with_events(logs, unique_name, ["one", "two", "three"])
    page = logs.get_log_events(logGroupName=unique_name, logStreamName="s1", limit=2)
    assert [e["message"] for e in page["events"]] == ["two", "three"]
    back = logs.get_log_events(logGroupName=unique_name, logStreamName="s1", nextToken=page["nextBackwardToken"])
    assert [e["message"] for e in back["events"]] == ["one"]


def test_describe_log_streams_orders_by_last_event_time_descending(logs, unique_name):
    logs.create_log_group(logGroupName=unique_name)
    base = _now() - 1000
    for name, offset in (("old", 0), ("new", 10), ("mid", 5)):
        logs.create_log_stream(logGroupName=unique_name, logStreamName=name)
        logs.put_log_events(logGroupName=unique_name, logStreamName=name,
                            logEvents=[{"timestamp": base + offset, "message": name}])
    streams = logs.describe_log_streams(logGroupName=unique_name, orderBy="LastEventTime", descending=True)["logStreams"]
    assert [s["logStreamName"] for s in streams] == ["new", "mid", "old"]
    assert all(s["storedBytes"] > 0 and s["lastEventTimestamp"] >= s["firstEventTimestamp"] for s in streams)


@pytest.mark.parametrize("pattern, expected", [
    ("ERROR", ["ERROR disk full", "ERROR timeout db"]),
    ("ERROR -disk", ["ERROR timeout db"]),
    ('"disk full"', ["ERROR disk full"]),
    ("?WARN ?timeout", ["WARN slow", "ERROR timeout db"]),
    ('{ $.level = "INFO" && $.ms > 100 }', ['{"level": "INFO", "ms": 250}']),
])
def test_filter_log_events_applies_filter_patterns(logs, unique_name, pattern, expected):
    _group_with_events(logs, unique_name, ["ERROR disk full", "WARN slow", "ERROR timeout db",
                                           '{"level": "INFO", "ms": 250}', '{"level": "INFO", "ms": 5}'])
    events = logs.filter_log_events(logGroupName=unique_name, filterPattern=pattern)["events"]
    assert [e["message"] for e in events] == expected


def test_filter_log_events_pages_with_next_token_as_the_paginator_reads_it(logs, unique_name):
    _group_with_events(logs, unique_name, [f"line {i}" for i in range(7)])
    pages = logs.get_paginator("filter_log_events").paginate(logGroupName=unique_name, PaginationConfig={"PageSize": 3})
    messages = [e["message"] for page in pages for e in page["events"]]
    assert messages == [f"line {i}" for i in range(7)]


def test_filter_log_events_through_the_aws_cli(aws_cli, logs, unique_name):
    _group_with_events(logs, unique_name, ["hello cli", "other"])
    out = json.loads(aws_cli("logs", "filter-log-events", "--log-group-name", unique_name, "--filter-pattern", "hello").stdout)
    assert [e["message"] for e in out["events"]] == ["hello cli"]


def _zip(code: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("app.py", code)
    return buf.getvalue()


@pytest.fixture
def invoked_function(boto_session, endpoint, unique_name):
    client = boto_session.client("lambda", endpoint_url=endpoint)
    client.create_function(FunctionName=unique_name, Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                           Handler="app.handler", Code={"ZipFile": _zip("def handler(e, c):\n    print('logged', e['n'])\n")})
    for n in range(2):
        client.invoke(FunctionName=unique_name, Payload=json.dumps({"n": n}).encode())
    return unique_name


def test_function_output_lands_in_its_log_group_with_start_end_and_report_lines(logs, invoked_function):
    group = f"/aws/lambda/{invoked_function}"
    streams = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True)["logStreams"]
    assert streams and "[$LATEST]" in streams[0]["logStreamName"]
    # What `aws logs tail <group>` (CLI v2) does: FilterLogEvents over the group, interleaved, from a start time.
    events = logs.filter_log_events(logGroupName=group, startTime=_now() - 600_000, interleaved=True)["events"]
    kinds = [e["message"].split(" ")[0] for e in events]
    assert kinds.count("START") == 2 and kinds.count("END") == 2 and kinds.count("REPORT") == 2
    assert [e["message"] for e in events if e["message"].startswith("logged")] == ["logged 0", "logged 1"]
    assert all(len(e["eventId"]) == 56 for e in events)


def test_pocketcloud_logs_prints_a_function_s_events(endpoint, invoked_function, aws_env):
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "pocketcloud", "logs", invoked_function, "--endpoint", endpoint,
                           "--color", "never"], capture_output=True, text=True, timeout=30, env=aws_env)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert sum("START RequestId:" in line for line in lines) == 2
    assert any(line.endswith("logged 1") for line in lines)


def test_pocketcloud_logs_colours_platform_lines_and_errors_when_asked():
    from pocketcloud.services.logs.tail import format_event

    start = format_event({"timestamp": 0, "message": "START RequestId: x Version: $LATEST"}, True)
    error = format_event({"timestamp": 0, "message": "[ERROR] ValueError: boom"}, True)
    plain = format_event({"timestamp": 0, "message": "hello"}, True)
    assert "\033[36mSTART" in start and "\033[31m[ERROR]" in error and "\033[3" not in plain.split(" ", 2)[-1]


def test_pocketcloud_logs_follow_prints_events_of_later_invokes(boto_session, endpoint, invoked_function, aws_env):
    import subprocess
    import threading

    proc = subprocess.Popen([sys.executable, "-m", "pocketcloud", "logs", invoked_function, "-f", "--endpoint", endpoint,
                             "--color", "never"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=aws_env)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        client = boto_session.client("lambda", endpoint_url=endpoint)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(line.rstrip().endswith("logged 0") for line in lines):
            time.sleep(0.1)
        client.invoke(FunctionName=invoked_function, Payload=b'{"n": "later"}')
        while time.monotonic() < deadline and not any(line.rstrip().endswith("logged later") for line in lines):
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(10)
    assert any(line.rstrip().endswith("logged later") for line in lines), lines
    assert sum("START RequestId:" in line for line in lines) == 3
