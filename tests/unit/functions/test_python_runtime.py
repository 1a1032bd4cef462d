"""Python functions: results, errors, context, environment, logs, timeouts and crashes, on real processes."""

from __future__ import annotations

import json
import os
import re

from pocketcloud.functions.pool import DUMMY_CREDENTIALS

from .conftest import body

COUNTER = """
import os
count = 0
def handler(event, context):
    global count
    count += 1
    return {"count": count, "pid": os.getpid()}
"""


def test_python_handler_result_is_returned_as_json(engine, make_function):
    spec = make_function("python3.12", "app.handler", {"app.py": "def handler(event, context):\n    return {'got': event}\n"})
    result = engine.invoke(spec, {"a": [1, "x"]})
    assert result.function_error is None
    assert body(result) == {"got": {"a": [1, "x"]}}


def test_python_module_level_state_survives_between_warm_invokes(engine, make_function):
    spec = make_function("python3.11", "app.handler", {"app.py": COUNTER})
    first, second, third = (engine.invoke(spec) for _ in range(3))
    assert [body(r)["count"] for r in (first, second, third)] == [1, 2, 3]
    assert first.init_ms is not None and second.init_ms is None
    assert len({stream for stream, _ in engine.logs[spec.name]}) == 1


def test_python_decimal_values_in_results_are_serialized_as_json_numbers(engine, make_function):
    code = "from decimal import Decimal\ndef handler(e, c):\n    return {'i': Decimal('42'), 'f': Decimal('1.25'), 'l': [Decimal('-3')]}\n"
    spec = make_function("python3.9", "app.handler", {"app.py": code})
    assert engine.invoke(spec).payload == b'{"i": 42, "f": 1.25, "l": [-3]}'


def test_python_handler_exception_returns_aws_error_document_as_unhandled(engine, make_function):
    code = "def handler(e, c):\n    raise ValueError('bad input')\n"
    spec = make_function("python3.12", "app.handler", {"app.py": code})
    result = engine.invoke(spec)
    error = body(result)
    assert result.function_error == "Unhandled"
    assert error["errorType"] == "ValueError"
    assert error["errorMessage"] == "bad input"
    assert error["requestId"] == result.request_id
    assert "raise ValueError('bad input')" in error["stackTrace"][0]
    assert any(m.startswith("[ERROR] ValueError: bad input\nTraceback") for m in engine.log_messages(spec))


def test_python_missing_module_returns_import_module_error(engine, make_function):
    spec = make_function("python3.12", "nothere.handler", {"app.py": "x = 1\n"})
    result = engine.invoke(spec)
    assert result.function_error == "Unhandled"
    assert body(result)["errorType"] == "Runtime.ImportModuleError"
    assert body(result)["errorMessage"] == "Unable to import module 'nothere': No module named 'nothere'"


def test_python_missing_handler_function_returns_handler_not_found(engine, make_function):
    spec = make_function("python3.12", "app.main", {"app.py": "x = 1\n"})
    error = body(engine.invoke(spec))
    assert error["errorType"] == "Runtime.HandlerNotFound"
    assert error["errorMessage"] == "Handler 'main' missing on module 'app'"


def test_python_syntax_error_returns_user_code_syntax_error(engine, make_function):
    spec = make_function("python3.12", "app.handler", {"app.py": "def handler(:\n"})
    error = body(engine.invoke(spec))
    assert error["errorType"] == "Runtime.UserCodeSyntaxError"
    assert error["errorMessage"].startswith("Syntax error in module 'app'")


def test_python_handler_without_a_dot_returns_malformed_handler_name(engine, make_function):
    spec = make_function("python3.12", "handler", {"app.py": "x = 1\n"})
    error = body(engine.invoke(spec))
    assert error["errorType"] == "Runtime.MalformedHandlerName"
    assert error["errorMessage"] == "Bad handler 'handler': not enough values to unpack (expected 2, got 1)"


def test_python_context_has_lambda_attributes(engine, make_function):
    code = """
    def handler(event, context):
        return {k: getattr(context, k) for k in ("aws_request_id", "function_name", "function_version",
                "invoked_function_arn", "memory_limit_in_mb", "log_group_name", "log_stream_name")} | {
                "remaining": context.get_remaining_time_in_millis(), "identity": context.identity.cognito_identity_id,
                "custom": context.client_context.custom if context.client_context else None}
    """
    spec = make_function("python3.12", "app.handler", {"app.py": code}, memory_mb=256, timeout=7)
    client_context = json.dumps({"custom": {"k": "v"}, "env": {}, "client": {}})
    result = engine.invoke(spec, client_context=client_context)
    ctx = body(result)
    assert ctx["aws_request_id"] == result.request_id
    assert ctx["function_name"] == spec.name and ctx["function_version"] == "$LATEST"
    assert ctx["invoked_function_arn"] == spec.arn
    assert ctx["memory_limit_in_mb"] == "256"
    assert ctx["log_group_name"] == f"/aws/lambda/{spec.name}"
    assert ctx["log_stream_name"] == engine.logs[spec.name][0][0]
    assert 0 < ctx["remaining"] <= 7000
    assert ctx["custom"] == {"k": "v"}
    assert ctx["identity"] is None


def test_python_function_sees_lambda_environment_its_own_variables_and_code_dir(engine, make_function, fake_aws):
    code = """
    import os, sys, tempfile
    def handler(event, context):
        path = os.path.join(tempfile.gettempdir(), "scratch")
        with open(path, "w") as f:
            f.write("ok")
        return {"env": dict(os.environ), "cwd": os.getcwd(), "path0": sys.path[0], "tmp": tempfile.gettempdir()}
    """
    spec = make_function("python3.12", "app.handler", {"app.py": code}, environment={"TABLE": "movies"})
    out = body(engine.invoke(spec))
    env = out["env"]
    assert env["TABLE"] == "movies"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "us-west-2"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == spec.name
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "128"
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == f"/aws/lambda/{spec.name}"
    assert re.fullmatch(r"\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}", env["AWS_LAMBDA_LOG_STREAM_NAME"])
    assert env["_HANDLER"] == "app.handler"
    assert env["LAMBDA_TASK_ROOT"] == str(spec.code_dir) == out["cwd"] == out["path0"]
    assert os.path.isdir(env["LAMBDA_RUNTIME_DIR"])
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12"
    assert env["AWS_ENDPOINT_URL"] == fake_aws.url
    assert env["AWS_ACCESS_KEY_ID"] and env["AWS_SECRET_ACCESS_KEY"] and env["AWS_SESSION_TOKEN"]
    assert out["tmp"] == env["TMPDIR"] and out["tmp"] != "/tmp"


def test_python_boto3_clients_reach_pocketcloud_in_the_function_region(engine, make_function, fake_aws):
    code = """
    import boto3
    def handler(event, context):
        client = boto3.client("dynamodb")
        table = boto3.resource("dynamodb").Table("movies")
        return {"endpoint": client.meta.endpoint_url, "region": client.meta.region_name,
                "resource_endpoint": table.meta.client.meta.endpoint_url,
                "key": client._request_signer._credentials.access_key}
    """
    spec = make_function("python3.12", "app.handler", {"app.py": code})
    out = body(engine.invoke(spec))
    assert out == {"endpoint": fake_aws.url, "region": "us-west-2", "resource_endpoint": fake_aws.url,
                   "key": DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"]}


def test_python_prints_and_logging_records_reach_the_log_sink_between_start_and_report(engine, make_function):
    code = """
    import logging
    print("loading")
    logging.getLogger().setLevel(logging.INFO)
    def handler(event, context):
        print("first line")
        print("second line")
        logging.info("via logging")
        return None
    """
    spec = make_function("python3.12", "app.handler", {"app.py": code})
    result = engine.invoke(spec)
    messages = engine.log_messages(spec)
    rid = result.request_id
    assert messages[0] == "loading"
    assert messages[1] == f"START RequestId: {rid} Version: $LATEST"
    assert messages[2:4] == ["first line", "second line"]
    assert re.fullmatch(rf"\[INFO\]\t\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z\t{rid}\tvia logging", messages[4])
    assert messages[5] == f"END RequestId: {rid}"
    assert re.fullmatch(
        rf"REPORT RequestId: {rid}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\t"
        r"Max Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t", messages[6])
    assert result.payload == b"null"
    assert result.log_tail.startswith(f"START RequestId: {rid}") and "first line\n" in result.log_tail


def test_python_each_invoke_keeps_its_own_lines_even_without_a_newline_or_written_to_fd_1(engine, make_function):
    code = """
    import os, sys
    def handler(event, context):
        if event["n"] == "one":
            sys.stdout.write("partial one")  # no newline: the invoke's end ends the line
        else:
            os.write(1, b"raw two\\n")  # below Python's sys.stdout
        return None
    """
    spec = make_function("python3.12", "app.handler", {"app.py": code})
    first = engine.invoke(spec, {"n": "one"})
    second = engine.invoke(spec, {"n": "two"})
    assert first.log_tail.split("\n")[1:-3] == ["partial one"], first.log_tail  # between START and END
    assert second.log_tail.split("\n")[1:-3] == ["raw two"], second.log_tail
    messages = engine.log_messages(spec)
    assert messages.index("partial one") < messages.index(f"END RequestId: {first.request_id}")
    assert messages.index("raw two") > messages.index(f"START RequestId: {second.request_id} Version: $LATEST")


def test_python_timeout_kills_the_worker_and_returns_task_timed_out(engine, make_function):
    code = COUNTER + "\nimport time\ndef slow(event, context):\n    handler(event, context)\n    time.sleep(30)\n"
    spec = make_function("python3.12", "app.slow", {"app.py": code}, timeout=1)
    result = engine.invoke(spec)
    assert result.function_error == "Unhandled"
    assert re.fullmatch(
        rf"\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z {result.request_id} Task timed out after 1\.00 seconds",
        body(result)["errorMessage"])
    assert result.duration_ms >= 1000
    assert engine.log_messages(spec)[-1] == body(result)["errorMessage"]


def test_python_worker_that_exits_returns_runtime_exit_error_and_is_replaced(engine, make_function):
    code = COUNTER + "\nimport sys\ndef crash(event, context):\n    if event.get('crash'):\n        sys.exit(3)\n    return handler(event, context)\n"
    spec = make_function("python3.12", "app.crash", {"app.py": code})
    before = body(engine.invoke(spec))
    crashed = engine.invoke(spec, {"crash": True})
    after = body(engine.invoke(spec))
    assert crashed.function_error == "Unhandled"
    assert body(crashed) == {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {crashed.request_id} Error: Runtime exited with error: exit status 3",
    }
    assert after["count"] == 1 and after["pid"] != before["pid"]


def test_python_worker_killed_by_a_signal_reports_the_signal(engine, make_function):
    code = "import os, signal\ndef handler(e, c):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    spec = make_function("python3.12", "app.handler", {"app.py": code})
    assert body(engine.invoke(spec))["errorMessage"].endswith("Runtime exited with error: signal: killed")


def test_python2_7_functions_run_on_python3(engine, make_function):
    spec = make_function("python2.7", "app.handler", {"app.py": "import sys\ndef handler(e, c):\n    return sys.version_info[0]\n"})
    assert body(engine.invoke(spec)) == 3


def test_python_non_ascii_results_are_escaped_before_python_3_12_and_raw_after_it(engine, make_function):
    code = "def handler(event, context):\n    return {'v': event['v'] + ' ✓'}\n"
    old = make_function("python3.11", "app.handler", {"app.py": code})
    new = make_function("python3.12", "app.handler", {"app.py": code})
    assert engine.invoke(old, {"v": "é"}).payload == b'{"v": "\\u00e9 \\u2713"}'
    assert engine.invoke(new, {"v": "é"}).payload == '{"v": "é ✓"}'.encode()


def test_python_result_with_a_lone_surrogate_comes_back_as_a_json_escape(engine, make_function):
    code = "def handler(event, context):\n    return {'v': '\\ud800'}\n"
    spec = make_function("python3.12", "app.handler", {"app.py": code})
    result = engine.invoke(spec)
    assert result.function_error is None
    assert result.payload == b'{"v": "\\ud800"}'


def test_python_result_that_cannot_be_serialized_fails_and_the_next_one_still_encodes(engine, make_function):
    code = ("def handler(event, context):\n"
            "    if event.get('bad'):\n"
            "        loop = {}\n"
            "        loop['self'] = loop\n"
            "        return loop\n"
            "    return {'ok': [1, 2]}\n")
    spec = make_function("python3.12", "app.handler", {"app.py": code})
    bad = engine.invoke(spec, {"bad": True})
    assert bad.function_error == "Unhandled"
    assert body(bad)["errorType"] == "Runtime.MarshalError"  # as AWS's Python runtime (LambdaMarshaller) says it
    assert body(bad)["errorMessage"] == "Unable to marshal response: Circular reference detected"
    assert engine.invoke(spec).payload == b'{"ok": [1, 2]}'


def test_python_runtime_reports_the_cpu_time_of_each_invoke(engine, make_function):
    code = ("def handler(event, context):\n"
            "    n = 0\n"
            "    for i in range(event.get('loops', 0)):\n"
            "        n += i\n"
            "    return n\n")
    spec = make_function("python3.12", "app.handler", {"app.py": code})
    engine.invoke(spec)
    idle = engine.invoke(spec)
    busy = engine.invoke(spec, {"loops": 2_000_000})
    assert idle.cpu_ms is not None and 0 <= idle.cpu_ms < 20
    assert busy.cpu_ms is not None and busy.cpu_ms > 20 and busy.cpu_ms <= busy.duration_ms * 1.2 + 1
