"""API Gateway REST API throughput: AWS_PROXY → a no-op Python function, and → a function doing one boto3
PutItem, side by side with a bare ASGI app (uvicorn + httptools, same stack as pocketcloud) in the same run.

Run: python bench/apigateway.py [--seconds 10] [--connections 32]
Uses wrk (apt-get install -y wrk); prints req/s and p50/p99 latency per target. Nothing leaves 127.0.0.1.
The server runs as tests/server.py starts it (log level INFO, so the per-request log line is included).
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import zipfile
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from server import Server, free_port  # noqa: E402

NOOP = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n"
PUT_ITEM = (
    "import boto3, uuid\n"
    "table = boto3.resource('dynamodb').Table('bench')\n"
    "def handler(event, context):\n"
    "    table.put_item(Item={'id': uuid.uuid4().hex, 'v': 1})\n"
    "    return {'statusCode': 200, 'body': 'ok'}\n"
)
BARE_APP = '''
import uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})
uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", http="httptools", loop="uvloop", access_log=False)
'''


def zipped(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", source)
    return buffer.getvalue()


def deploy(endpoint: str, source: str) -> str:
    session = boto3.session.Session(region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench")
    lam = session.client("lambda", endpoint_url=endpoint)
    apigw = session.client("apigateway", endpoint_url=endpoint)
    name = "bench-" + uuid.uuid4().hex[:6]
    arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                              Handler="index.handler", Code={"ZipFile": zipped(source)}, Timeout=10)["FunctionArn"]
    api_id = apigw.create_rest_api(name=name)["id"]
    root = apigw.get_resources(restApiId=api_id)["items"][0]["id"]
    apigw.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="AWS_PROXY", integrationHttpMethod="POST",
                          uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations")
    apigw.create_deployment(restApiId=api_id, stageName="bench")
    lam.add_permission(FunctionName=name, StatementId="apigw", Action="lambda:InvokeFunction",
                       Principal="apigateway.amazonaws.com", SourceArn=f"arn:aws:execute-api:us-east-1:000000000000:{api_id}/*/*/*")
    url = f"{endpoint}/restapis/{api_id}/bench/_user_request_/"
    for _ in range(3):  # warm the function instance(s)
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200, response.status
    return url


def wrk(url: str, seconds: int, connections: int) -> tuple[float, str, str]:
    out = subprocess.run(["wrk", "-t", "4", "-c", str(connections), "-d", f"{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  warning: {errors.group(1)} non-2xx responses for {url}")
    return rps, p50, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    port = free_port()
    bare = subprocess.Popen([sys.executable, "-c", BARE_APP.replace("PORT", str(port))])
    with tempfile.TemporaryDirectory() as data:
        server = Server(Path(data))
        try:
            session = boto3.session.Session(region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench")
            session.client("dynamodb", endpoint_url=server.url).create_table(
                TableName="bench", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
            targets = [("bare ASGI app (uvicorn+httptools)", f"http://127.0.0.1:{port}/"),
                       ("API Gateway -> no-op Python (AWS_PROXY)", deploy(server.url, NOOP)),
                       ("API Gateway -> Python boto3 PutItem", deploy(server.url, PUT_ITEM))]
            time.sleep(0.5)
            print(f"{'target':45} {'req/s':>10} {'p50':>10} {'p99':>10}   ({args.connections} connections, {args.seconds}s)")
            for label, url in targets:
                rps, p50, p99 = wrk(url, args.seconds, args.connections)
                print(f"{label:45} {rps:>10.0f} {p50:>10} {p99:>10}")
        finally:
            server.stop()
            bare.terminate()
            bare.wait(10)


if __name__ == "__main__":
    main()
