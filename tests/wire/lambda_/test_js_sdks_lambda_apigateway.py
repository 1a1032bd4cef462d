"""The JavaScript SDKs (v3 @aws-sdk/client-lambda + client-api-gateway, v2 aws-sdk) drive Lambda and API Gateway.

Each test runs one script of tests/wire/js with `node`: it creates a Node.js function from the zip made here,
gets and invokes it (payload, FunctionError, LogType Tail), puts a REST API with a Lambda proxy integration in
front of it, adds the permission, deploys the stage prod, calls the API with fetch and checks each service's
not-found error as the SDK parses it. The script asserts and prints "ok". Without node or the modules
(`npm install` in tests/wire/js, which ./scripts/test runs) the tests skip.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from lambda_helpers import make_zip

JS_DIR = Path(__file__).resolve().parents[1] / "js"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None
    or not (JS_DIR / "node_modules" / "aws-sdk").is_dir()
    or not (JS_DIR / "node_modules" / "@aws-sdk" / "client-lambda").is_dir()
    or not (JS_DIR / "node_modules" / "@aws-sdk" / "client-api-gateway").is_dir(),
    reason="node or the JS SDKs (npm install in tests/wire/js) are not available",
)

# Invoked directly it echoes its event (or throws event.fail); behind API Gateway it answers 201 with what the
# proxy event told it, so the scripts can check the event's shape through the HTTP response.
INDEX_JS = """
exports.handler = async (event, context) => {
  if (event.httpMethod) {
    return {
      statusCode: 201,
      headers: { "Content-Type": "application/json", "X-Handled-By": context.functionName },
      body: JSON.stringify({
        method: event.httpMethod, path: event.path, resource: event.resource, pathParameters: event.pathParameters,
        query: event.queryStringParameters, body: event.body, stage: event.requestContext.stage,
      }),
    };
  }
  console.log("invoked with", JSON.stringify(event));
  if (event.fail) throw new Error(event.fail);
  return { echo: event, plusOne: event.n + 1, greeting: process.env.GREETING, functionName: context.functionName };
};
"""


def _run(script: str, aws_env: dict[str, str], function: str, tmp_path: Path) -> None:
    zip_path = tmp_path / "function.zip"
    zip_path.write_bytes(make_zip({"index.js": INDEX_JS}))
    env = {**aws_env, "FUNCTION": function, "ZIP": str(zip_path), "AWS_EC2_METADATA_DISABLED": "true"}
    env.pop("AWS_SDK_LOAD_CONFIG", None)  # aws-sdk v2 would read ~/.aws/config, which need not exist
    proc = subprocess.run(["node", script], cwd=JS_DIR, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"{script} failed:\n{proc.stdout}\n{proc.stderr}"
    assert proc.stdout.strip().endswith("ok")


def test_v3_clients_create_invoke_and_serve_a_function_behind_a_deployed_rest_api(aws_env, unique_name, tmp_path):
    _run("sdk_v3_lambda_apigateway.mjs", aws_env, unique_name, tmp_path)


def test_v2_clients_create_invoke_and_serve_a_function_behind_a_deployed_rest_api(aws_env, unique_name, tmp_path):
    _run("sdk_v2_lambda_apigateway.mjs", aws_env, unique_name, tmp_path)
