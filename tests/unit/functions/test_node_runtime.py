"""Node.js functions: handler styles, errors, context, logs, the event loop, SDK redirection, on real processes."""

from __future__ import annotations

import re

from .conftest import Engine, body

COUNTER = """
let count = 0;
exports.handler = (event, context, callback) => { count += 1; callback(null, { count, pid: process.pid }); };
"""


def test_node_callback_handler_result_is_returned(engine, make_function):
    spec = make_function("nodejs6.10", "index.handler", {"index.js": "exports.handler = (e, c, cb) => cb(null, {got: e});"})
    result = engine.invoke(spec, {"a": 1})
    assert result.function_error is None
    assert body(result) == {"got": {"a": 1}}


def test_node_async_handler_result_is_returned(engine, make_function):
    code = "exports.handler = async (event) => { await new Promise(r => setTimeout(r, 10)); return event.n * 2; };"
    spec = make_function("nodejs20.x", "index.handler", {"index.js": code})
    assert body(engine.invoke(spec, {"n": 21})) == 42


def test_node_context_succeed_fail_and_done_answer_at_once(engine, make_function):
    code = """
    exports.handler = (event, context) => {
      setTimeout(() => {}, 3000);  // would hold the answer if it waited for the event loop
      if (event.how === 'succeed') context.succeed({ ok: true });
      else if (event.how === 'fail') context.fail(new Error('failed'));
      else context.done(null, 'done');
    };
    """
    spec = make_function("nodejs4.3", "index.handler", {"index.js": code})
    assert body(engine.invoke(spec, {"how": "succeed"})) == {"ok": True}
    failed = engine.invoke(spec, {"how": "fail"})
    assert failed.function_error == "Unhandled" and body(failed)["errorMessage"] == "failed"
    assert body(engine.invoke(spec, {"how": "done"})) == "done"


def test_node_module_level_state_survives_between_warm_invokes(engine, make_function):
    spec = make_function("nodejs4.3", "index.handler", {"index.js": COUNTER})
    counts = [body(engine.invoke(spec))["count"] for _ in range(3)]
    assert counts == [1, 2, 3]


def test_node_thrown_error_returns_error_type_message_and_trace(engine, make_function):
    code = "exports.handler = async () => { throw new TypeError('wrong type'); };"
    spec = make_function("nodejs20.x", "index.handler", {"index.js": code})
    result = engine.invoke(spec)
    error = body(result)
    assert result.function_error == "Unhandled"
    assert error["errorType"] == "TypeError" and error["errorMessage"] == "wrong type"
    assert error["trace"][0] == "TypeError: wrong type" and "index.js" in error["trace"][1]
    assert any("\tERROR\tInvoke Error \t" in m for m in engine.log_messages(spec))


def test_node_callback_with_a_string_error_reports_its_type(engine, make_function):
    spec = make_function("nodejs16.x", "index.handler", {"index.js": "exports.handler = (e, c, cb) => cb('nope');"})
    assert body(engine.invoke(spec)) == {"errorType": "string", "errorMessage": "nope", "trace": []}


def test_node_missing_module_returns_import_module_error(engine, make_function):
    spec = make_function("nodejs20.x", "missing.handler", {"index.js": ""})
    error = body(engine.invoke(spec))
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert error["errorMessage"].startswith("Error: Cannot find module 'missing'")


def test_node_missing_export_returns_handler_not_found(engine, make_function):
    spec = make_function("nodejs20.x", "index.nothere", {"index.js": "exports.handler = () => 1;"})
    error = body(engine.invoke(spec))
    assert error["errorType"] == "Runtime.HandlerNotFound"
    assert error["errorMessage"] == "index.nothere is undefined or not exported"


def test_node_console_lines_carry_timestamp_request_id_and_level(engine, make_function):
    code = """
    console.log('Loading function');
    exports.handler = (e, c, cb) => { console.log('value: %d', 5); console.error('multi\\nline'); cb(null, 1); };
    """
    spec = make_function("nodejs20.x", "index.handler", {"index.js": code})
    result = engine.invoke(spec)
    rid = result.request_id
    messages = engine.log_messages(spec)
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    assert re.fullmatch(rf"{stamp}\tundefined\tINFO\tLoading function", messages[0])
    assert messages[1] == f"START RequestId: {rid} Version: $LATEST"
    assert re.fullmatch(rf"{stamp}\t{rid}\tINFO\tvalue: 5", messages[2])
    assert re.fullmatch(rf"{stamp}\t{rid}\tERROR\tmulti\nline", messages[3])
    assert messages[4] == f"END RequestId: {rid}"
    assert messages[5].startswith(f"REPORT RequestId: {rid}\tDuration: ")


def test_node_each_invoke_gets_the_lines_it_wrote_by_any_stream(engine, make_function):
    # No marker line per invoke: the pool takes what is in the pipe when the result arrives, which must be exactly
    # what this invoke wrote, through console.* or straight to process.stdout / process.stderr.
    code = """
    exports.handler = async (event) => {
      if (event.how === 'console') console.log(`via console ${event.n}`);
      if (event.how === 'stdout') process.stdout.write(`via stdout ${event.n}\\n`);
      if (event.how === 'stderr') process.stderr.write(`via stderr ${event.n}\\n`);
      return event.n;
    };
    """
    spec = make_function("nodejs20.x", "index.handler", {"index.js": code})
    for n, how in enumerate(["console", "none", "stdout", "none", "stderr", "stdout", "none"]):
        result = engine.invoke(spec, {"how": how, "n": n})
        assert body(result) == n
        own = [text for text in result.log_tail.splitlines() if text.startswith("via") or "\tvia" in text]
        assert own == ([] if how == "none" else [own[0]]), (how, result.log_tail)
        if how != "none":
            assert own[0].endswith(f"via {how} {n}"), (how, result.log_tail)


def test_node_callback_waits_for_the_event_loop_to_drain_by_default(engine, make_function):
    code = """
    exports.handler = (event, context, callback) => {
      context.callbackWaitsForEmptyEventLoop = event.wait;
      setTimeout(() => console.log('late work'), 300);
      callback(null, 'answered');
    };
    """
    waiting = make_function("nodejs20.x", "index.handler", {"index.js": code})
    result = engine.invoke(waiting, {"wait": True})
    assert body(result) == "answered"
    assert "late work" in result.log_tail
    eager = make_function("nodejs20.x", "index.handler", {"index.js": code})
    result = engine.invoke(eager, {"wait": False})
    assert body(result) == "answered"
    assert "late work" not in result.log_tail


def test_node_handler_that_never_answers_returns_null_once_the_event_loop_drains(engine, make_function):
    spec = make_function("nodejs20.x", "index.handler", {"index.js": "exports.handler = () => {};"})
    result = engine.invoke(spec)
    assert result.function_error is None and result.payload == b"null"


def test_node_context_and_environment_fields(engine, make_function, fake_aws):
    code = """
    const os = require('os');
    exports.handler = async (event, context) => ({
      ctx: { awsRequestId: context.awsRequestId, functionName: context.functionName,
             functionVersion: context.functionVersion, invokedFunctionArn: context.invokedFunctionArn,
             memoryLimitInMB: context.memoryLimitInMB, logGroupName: context.logGroupName,
             logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis(),
             waits: context.callbackWaitsForEmptyEventLoop },
      env: process.env, cwd: process.cwd(), tmp: os.tmpdir(),
    });
    """
    spec = make_function("nodejs16.x", "index.handler", {"index.js": code}, environment={"TABLE": "movies"}, memory_mb=512)
    result = engine.invoke(spec)
    out = body(result)
    ctx, env = out["ctx"], out["env"]
    assert ctx["awsRequestId"] == result.request_id
    assert ctx["functionName"] == spec.name and ctx["functionVersion"] == "$LATEST"
    assert ctx["invokedFunctionArn"] == spec.arn
    assert ctx["memoryLimitInMB"] == "512"
    assert ctx["logGroupName"] == f"/aws/lambda/{spec.name}"
    assert ctx["logStreamName"] == env["AWS_LAMBDA_LOG_STREAM_NAME"] == engine.logs[spec.name][0][0]
    assert 0 < ctx["remaining"] <= 5000 and ctx["waits"] is True
    assert env["TABLE"] == "movies" and env["AWS_REGION"] == "us-west-2"
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_nodejs16.x"
    assert env["AWS_ENDPOINT_URL"] == fake_aws.url
    assert env["LAMBDA_TASK_ROOT"] == str(spec.code_dir) == out["cwd"]
    assert str(spec.code_dir) in env["NODE_PATH"].split(":")
    assert out["tmp"] == env["TMPDIR"] != "/tmp"


def test_node_timeout_kills_the_worker_and_returns_task_timed_out(engine, make_function):
    code = "exports.handler = async () => { await new Promise(r => setTimeout(r, 30000)); };"
    spec = make_function("nodejs20.x", "index.handler", {"index.js": code}, timeout=1)
    result = engine.invoke(spec)
    assert result.function_error == "Unhandled"
    assert body(result)["errorMessage"].endswith(f" {result.request_id} Task timed out after 1.00 seconds")


def test_node_process_exit_returns_runtime_exit_error_and_the_worker_is_replaced(engine, make_function):
    code = COUNTER + "\nexports.crash = (e, c, cb) => e.crash ? process.exit(2) : exports.handler(e, c, cb);"
    spec = make_function("nodejs20.x", "index.crash", {"index.js": code})
    before = body(engine.invoke(spec))
    crashed = engine.invoke(spec, {"crash": True})
    after = body(engine.invoke(spec))
    assert body(crashed) == {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {crashed.request_id} Error: Runtime exited with error: exit status 2",
    }
    assert after["count"] == 1 and after["pid"] != before["pid"]


def test_node_uncaught_exception_fails_the_invoke_and_replaces_the_worker(engine, make_function):
    code = COUNTER + (
        "\nexports.boom = (e, c, cb) => e.boom"
        " ? setTimeout(() => { throw new Error('kaboom'); }, 5) : exports.handler(e, c, cb);"
    )
    spec = make_function("nodejs20.x", "index.boom", {"index.js": code})
    before = body(engine.invoke(spec))
    result = engine.invoke(spec, {"boom": True})
    assert result.function_error == "Unhandled"
    assert body(result)["errorMessage"] == "kaboom"
    after = body(engine.invoke(spec))
    assert after["count"] == 1 and after["pid"] != before["pid"]


def test_node_esm_handler_is_loaded_with_import(engine, make_function):
    spec = make_function("nodejs20.x", "index.handler", {"index.mjs": "export const handler = async () => 'esm';"})
    assert body(engine.invoke(spec)) == "esm"


def test_node_dynamodb_doc_and_aws_sdk_are_loadable(engine, make_function):
    code = """
    const doc = require('dynamodb-doc');
    const AWS = require('aws-sdk');
    const { DynamoDBDocumentClient } = require('@aws-sdk/lib-dynamodb');
    exports.handler = (e, c, cb) => cb(null, { putItem: typeof new doc.DynamoDB().putItem,
      documentClient: typeof AWS.DynamoDB.DocumentClient, v3: typeof DynamoDBDocumentClient });
    """
    spec = make_function("nodejs6.10", "index.handler", {"index.js": code})
    assert body(engine.invoke(spec)) == {"putItem": "function", "documentClient": "function", "v3": "function"}


def test_node_aws_sdk_v2_call_to_amazonaws_is_redirected_to_the_endpoint_intact(engine, make_function, fake_aws):
    code = """
    const AWS = require('aws-sdk');
    const client = new AWS.DynamoDB.DocumentClient({
      region: 'eu-west-1', endpoint: 'https://dynamodb.eu-west-1.amazonaws.com',
      accessKeyId: 'AKIAHARDCODED', secretAccessKey: 'secret', maxRetries: 0,
      httpOptions: { timeout: 3000, connectTimeout: 3000 } });
    exports.handler = (event, context, callback) => {
      client.get({ TableName: 'movies', Key: { id: 'a' } }, callback);
    };
    """
    fake_aws.response = {"Item": {"id": {"S": "a"}, "year": {"N": "2016"}}}
    start = len(fake_aws.requests)
    spec = make_function("nodejs6.10", "index.handler", {"index.js": code})
    result = engine.invoke(spec)
    assert body(result) == {"Item": {"id": "a", "year": 2016}}
    request = fake_aws.requests[start]
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["host"] == "dynamodb.eu-west-1.amazonaws.com"
    assert headers["x-amz-target"] == "DynamoDB_20120810.GetItem"
    assert "Credential=AKIAHARDCODED/" in headers["authorization"]
    assert "/eu-west-1/dynamodb/aws4_request" in headers["authorization"]
    assert '"TableName":"movies"' in request["body"]


def test_node_dynamodb_doc_client_from_an_old_tutorial_reaches_the_endpoint(engine, make_function, fake_aws):
    code = """
    const doc = require('dynamodb-doc');
    const dynamo = new doc.DynamoDB();
    exports.handler = (event, context, callback) => dynamo.scan({ TableName: 'messages' }, callback);
    """
    fake_aws.response = {"Items": [], "Count": 0, "ScannedCount": 0}
    start = len(fake_aws.requests)
    spec = make_function("nodejs6.10", "index.handler", {"index.js": code})
    assert body(engine.invoke(spec)) == {"Items": [], "Count": 0, "ScannedCount": 0}
    headers = {k.lower(): v for k, v in fake_aws.requests[start]["headers"].items()}
    assert headers["host"] == "dynamodb.us-west-2.amazonaws.com"


def test_node_aws_sdk_v3_document_client_reaches_the_endpoint(engine, make_function, fake_aws):
    code = """
    const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb');
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 1 }));
    exports.handler = async () => (await client.send(new GetCommand({ TableName: 't', Key: { id: 'a' } }))).Item;
    """
    fake_aws.response = {"Item": {"id": {"S": "a"}}}
    start = len(fake_aws.requests)
    spec = make_function("nodejs20.x", "index.handler", {"index.js": code})
    assert body(engine.invoke(spec)) == {"id": "a"}
    assert len(fake_aws.requests) == start + 1


def test_node_plain_https_get_to_amazonaws_keeps_its_host_header(engine, make_function, fake_aws):
    code = """
    const https = require('https');
    exports.handler = (event, context, callback) => {
      https.get('https://s3.us-west-2.amazonaws.com/bucket/key?x=1', (res) => {
        res.resume(); res.on('end', () => callback(null, res.statusCode));
      }).on('error', callback);
    };
    """
    start = len(fake_aws.requests)
    spec = make_function("nodejs20.x", "index.handler", {"index.js": code})
    assert body(engine.invoke(spec)) == 200
    request = fake_aws.requests[start]
    assert request["path"] == "/bucket/key?x=1"
    assert {k.lower(): v for k, v in request["headers"].items()}["host"] == "s3.us-west-2.amazonaws.com"


def test_max_memory_used_is_the_functions_own_not_what_spawned_it(fake_aws, make_function):
    # Linux carries the peak RSS of the process that spawns a worker into the worker's getrusage maxrss across
    # exec (what Node.js's resourceUsage().maxRSS reads): a Node.js worker started by a server that once used
    # 400 MB would report 400 MB. The runtime reads its own VmHWM instead.
    ballast = bytearray(400 * 1024 * 1024)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    del ballast  # the peak stays: it is what a child inherits
    engine = Engine(fake_aws.url)  # a new pool: its Node.js processes are spawned from now on
    try:
        spec = make_function("nodejs20.x", "index.handler", {"index.js": "exports.handler = async () => 1;"})
        result = engine.invoke(spec)
        assert result.function_error is None
        assert 10 <= result.max_memory_mb < 300, result
    finally:
        engine.close()
