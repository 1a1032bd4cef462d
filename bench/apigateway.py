"""API Gateway REST API throughput: AWS_PROXY → a no-op Python function, → a function doing one boto3 PutItem
(through a Table resource, and through the low-level client), and → a no-op Node.js function (the seeds' runtime),
side by side with a bare ASGI app (uvicorn + httptools) in the same run. Each boto3 row's ceiling comes in the same
run too: the same PutItem called by plain processes straight at pocketcloud's DynamoDB (no API Gateway, no Lambda),
as many as the pool typically runs for that function.

Run: python bench/apigateway.py [--seconds 5] [--connections 32] [--repeat 1] [--sequential 500] [--warmup 2]
                                [--direct-processes 4]
Uses wrk (apt-get install -y wrk); prints req/s and p50/p99 latency per target, and per function target the
worker processes the pool ran (descendants of the server) and the latency of one request at a time
(keep-alive HTTP/1.1 from this process). `--connections 1,8,32` runs each count in turn. The load average is
printed before and after: other processes on the machine change every figure. Nothing leaves 127.0.0.1.
The server runs as tests/server.py starts it (log level INFO, so the per-request log line is included).
`python bench/apigateway_profile.py` measures the same path in-process (no HTTP), with CPU per request.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
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
NODE_NOOP = "exports.handler = async (event) => ({ statusCode: 200, body: 'ok' });\n"
PUT_ITEM = (
    "import boto3, uuid\n"
    "table = boto3.resource('dynamodb').Table('bench')\n"
    "def handler(event, context):\n"
    "    table.put_item(Item={'id': uuid.uuid4().hex, 'v': 1})\n"
    "    return {'statusCode': 200, 'body': 'ok'}\n"
)
# The same PutItem through boto3's low-level client (no resource layer: no TypeSerializer, no action model).
PUT_ITEM_CLIENT = (
    "import boto3, uuid\n"
    "client = boto3.client('dynamodb')\n"
    "def handler(event, context):\n"
    "    client.put_item(TableName='bench', Item={'id': {'S': uuid.uuid4().hex}, 'v': {'N': '1'}})\n"
    "    return {'statusCode': 200, 'body': 'ok'}\n"
)
# The boto3 row's ceiling: one process calling the function's PutItem in a loop, from `start` for `seconds`
# (after warming up), then printing how many calls it made and the CPU seconds they took.
DIRECT_PUT = """
import sys, time, uuid, boto3
kwargs = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="bench",
              aws_secret_access_key="bench")
if sys.argv[4] == "client":
    client = boto3.client("dynamodb", **kwargs)
    def put():
        client.put_item(TableName="bench", Item={"id": {"S": uuid.uuid4().hex}, "v": {"N": "1"}})
else:
    table = boto3.resource("dynamodb", **kwargs).Table("bench")
    def put():
        table.put_item(Item={"id": uuid.uuid4().hex, "v": 1})
start, seconds = float(sys.argv[2]), float(sys.argv[3])
while time.time() < start - 1:
    put()
while time.time() < start:
    time.sleep(0.001)
calls, cpu, end = 0, time.process_time(), start + seconds
while time.time() < end:
    put()
    calls += 1
print(calls, time.process_time() - cpu)
"""
BARE_APP = '''
import uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})
uvicorn.run(app, host="127.0.0.1", port=PORT, log_level="warning", http="httptools", loop="uvloop", access_log=False)
'''


def zipped(source: str, file_name: str = "index.py") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(file_name, source)
    return buffer.getvalue()


def deploy(endpoint: str, source: str, runtime: str = "python3.12") -> str:
    session = boto3.session.Session(region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench")
    lam = session.client("lambda", endpoint_url=endpoint)
    apigw = session.client("apigateway", endpoint_url=endpoint)
    name = "bench-" + uuid.uuid4().hex[:6]
    file_name = "index.js" if runtime.startswith("nodejs") else "index.py"
    arn = lam.create_function(FunctionName=name, Runtime=runtime, Role="arn:aws:iam::000000000000:role/r",
                              Handler="index.handler", Code={"ZipFile": zipped(source, file_name)},
                              Timeout=10)["FunctionArn"]
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


def direct_puts(endpoint: str, server_pid: int, processes: int, seconds: int,
                flavour: str = "resource") -> tuple[float, float, float]:
    """(PutItem calls/s, client CPU µs per call, server CPU µs per call) of `processes` plain boto3 processes
    calling pocketcloud's DynamoDB directly for `seconds`, all at once. The server's CPU is read at the window's
    edges, so the clients' imports and warm-up calls are not counted in it."""
    start = time.time() + 6  # time to import boto3 and warm up (a second of calls) before the window opens
    children = [subprocess.Popen([sys.executable, "-c", DIRECT_PUT, endpoint, str(start), str(seconds), flavour],
                                 stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    time.sleep(max(0.0, start - time.time()))
    server_before = descendants(server_pid)[1]
    time.sleep(max(0.0, start + seconds - time.time()))
    server_after = descendants(server_pid)[1]
    calls, cpu = 0, 0.0
    for child in children:
        out, _ = child.communicate(timeout=seconds + 60)
        n, used = out.split()
        calls, cpu = calls + int(n), cpu + float(used)
    per_call = 1e6 / max(1, calls)
    return calls / seconds, cpu * per_call, (server_after - server_before) * per_call


def wrk(url: str, seconds: int, connections: int) -> tuple[float, str, str, float]:
    out = subprocess.run(["wrk", "-t", "4", "-c", str(connections), "-d", f"{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"\s50%\s+(\S+)", out).group(1)
    p99 = re.search(r"\s99%\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"  warning: {errors.group(1)} non-2xx responses for {url}")
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, p50, p99, total


def sequential(url: str, count: int, seconds: float = 10.0) -> tuple[float, float, float]:
    """p50, p90, p99 in ms of `count` requests one at a time on one keep-alive connection (bounded in time)."""
    host, _, rest = url.split("/", 3)[2].partition(":")
    path = "/" + url.split("/", 3)[3]
    conn = http.client.HTTPConnection(host, int(rest or 80), timeout=30)
    times: list[float] = []
    deadline = time.perf_counter() + seconds
    for _ in range(count):
        if time.perf_counter() > deadline:
            break
        t0 = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - t0) * 1000)
    conn.close()
    times.sort()
    return tuple(times[min(len(times) - 1, int(len(times) * q))] for q in (0.5, 0.9, 0.99))  # type: ignore[return-value]


def _processes() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds used so far) for every process."""
    tick = os.sysconf("SC_CLK_TCK")
    found: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                found[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
            except (OSError, ValueError, IndexError):
                pass
    return found


def main_thread_cpu(pid: int) -> float:
    """CPU seconds of the process's main thread: pocketcloud's event loop (the log writer is another thread)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def descendants(pid: int) -> tuple[int, float, float]:
    """(descendant count, the process's CPU seconds, its live descendants' CPU seconds)."""
    processes = _processes()
    count, cpu, frontier = 0, 0.0, {pid}
    while frontier:
        frontier = {p for p, (parent, _) in processes.items() if parent in frontier}
        count += len(frontier)
        cpu += sum(processes[p][1] for p in frontier)
    return count, processes.get(pid, (0, 0.0))[1], cpu


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", default="32", help="one count or several: 1,8,32")
    parser.add_argument("--repeat", type=int, default=1, help="wrk runs per target and connection count")
    parser.add_argument("--sequential", type=int, default=500, help="requests one at a time per function (0: skip)")
    parser.add_argument("--warmup", type=int, default=2,
                        help="seconds of load per target before its first measured run: the figures are the steady "
                             "state, not the workers' cold starts (a Node.js worker preloads aws-sdk: ~0.3 s of CPU)")
    parser.add_argument("--direct-processes", type=int, default=4,
                        help="plain boto3 processes for the PutItem ceiling (0: skip); the pool typically runs 3-4 "
                             "workers for the boto3 function on 2 cores")
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
            # boto3 rows -> the flavour of their ceiling's plain processes
            put_rows = {deploy(server.url, PUT_ITEM): "resource", deploy(server.url, PUT_ITEM_CLIENT): "client"}
            put_url, client_url = put_rows
            targets = [("bare ASGI app (uvicorn+httptools)", f"http://127.0.0.1:{port}/"),
                       ("API Gateway -> no-op Python (AWS_PROXY)", deploy(server.url, NOOP)),
                       ("API Gateway -> Python boto3 PutItem", put_url),
                       ("API Gateway -> Python boto3 PutItem, client", client_url),
                       ("API Gateway -> no-op Node.js (AWS_PROXY)", deploy(server.url, NODE_NOOP, "nodejs20.x"))]
            time.sleep(0.5)
            print(f"load average before: {load()}")
            if args.sequential:
                for label, url in targets:
                    p50, p90, p99 = sequential(url, args.sequential)
                    print(f"{label:45} one at a time: p50 {p50:.2f} ms  p90 {p90:.2f} ms  p99 {p99:.2f} ms")
            warm: set[str] = set()
            for connections in (int(c) for c in args.connections.split(",")):
                print(f"{'target':45} {'req/s':>10} {'p50':>10} {'p99':>10}   ({connections} connections, "
                      f"{args.seconds}s{', best of %d' % args.repeat if args.repeat > 1 else ''})")
                for label, url in targets:
                    ours = url.startswith(server.url)
                    if args.warmup and url not in warm:
                        wrk(url, args.warmup, connections)
                        warm.add(url)
                    runs = []
                    for _ in range(args.repeat):
                        before = descendants(server.proc.pid) if ours else None
                        loop0 = main_thread_cpu(server.proc.pid)
                        rps, p50, p99, total = wrk(url, args.seconds, connections)
                        loop = main_thread_cpu(server.proc.pid) - loop0
                        after = descendants(server.proc.pid) if ours else None
                        runs.append((rps, p50, p99, total, before, after, loop))
                    rps, p50, p99, total, before, after, loop = max(runs, key=lambda r: r[0])
                    spread = f"  (runs: {', '.join(f'{r[0]:.0f}' for r in runs)})" if args.repeat > 1 else ""
                    extra = ""
                    if ours:
                        # CPU per request is what the machine's load disturbs least (workers: live ones only).
                        # (processes under the server: the zygote, the log writer and every function's workers)
                        extra = (f"  [{after[0]} processes; CPU/request: server {(after[1] - before[1]) / total * 1e6:.0f} µs"
                                 f" (event loop {loop / total * 1e6:.0f}),"
                                 f" workers {max(0.0, after[2] - before[2]) / total * 1e6:.0f} µs]")
                    print(f"{label:45} {rps:>10.0f} {p50:>10} {p99:>10}{extra}{spread}")
                    if url in put_rows and args.direct_processes:
                        runs = []
                        for _ in range(args.repeat):
                            runs.append(direct_puts(server.url, server.proc.pid, args.direct_processes, args.seconds,
                                                    put_rows[url]))
                        rate, client_us, server_us = max(runs, key=lambda r: r[0])
                        spread = f"  (runs: {', '.join(f'{r[0]:.0f}' for r in runs)})" if args.repeat > 1 else ""
                        label = f"  ceiling: {args.direct_processes} processes, boto3 {put_rows[url]} direct"
                        print(f"{label:45} {rate:>10.0f} {'':>10} {'':>10}  [CPU/request: server {server_us:.0f} µs, "
                              f"clients {client_us:.0f} µs]{spread}")
            print(f"load average after: {load()}")
        finally:
            server.stop()
            bare.terminate()
            bare.wait(10)


if __name__ == "__main__":
    main()
