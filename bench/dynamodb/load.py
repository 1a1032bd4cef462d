"""Driving wrk: timed phases (req/s, p50/p99) and the bulk load of a table, plus a tiny DynamoDB client for setup."""

from __future__ import annotations

import http.client
import json
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from servers import HOST, HERE

SCRIPT = HERE / "dynamodb.lua"
HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Date": "20260101T000000Z",
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host, Signature=0",
}


def require_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("bench/dynamodb needs wrk, the HTTP load generator: apt-get update && apt-get install -y wrk")
    return wrk


# -- setup client ---------------------------------------------------------------------------------------


def call(port: int, operation: str, body: dict[str, Any], timeout: float = 30.0) -> tuple[int, dict[str, Any]]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("POST", "/", json.dumps(body).encode(),
                     {**HEADERS, "X-Amz-Target": f"DynamoDB_20120810.{operation}"})
        resp = conn.getresponse()
        raw = resp.read()
        return resp.status, (json.loads(raw) if raw.strip() else {})
    finally:
        conn.close()


def create_table(port: int, name: str, timeout: float = 30.0) -> None:
    status, out = call(port, "CreateTable", {
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "BillingMode": "PAY_PER_REQUEST",
    })
    if status != 200:
        raise RuntimeError(f"CreateTable {name}: {status} {out}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, out = call(port, "DescribeTable", {"TableName": name})
        if status == 200 and out["Table"]["TableStatus"] == "ACTIVE":
            return
        time.sleep(0.05)
    raise RuntimeError(f"table {name} not ACTIVE after {timeout:.0f} s")


def supports(port: int, operation: str, table: str) -> bool:
    """Whether the server implements an operation (pocketcloud grows operation by operation)."""
    bodies = {
        "BatchWriteItem": {"RequestItems": {table: [{"PutRequest": {"Item": {"pk": {"S": "probe"}, "sk": {"N": "0"}}}}]}},
        "Query": {"TableName": table, "KeyConditionExpression": "pk = :p",
                  "ExpressionAttributeValues": {":p": {"S": "probe"}}, "Limit": 1},
    }
    status, _ = call(port, operation, bodies[operation])
    return status == 200


# -- wrk ------------------------------------------------------------------------------------------------


def _wrk_argv(port: int, threads: int, conns: int, seconds: float, args: list[str]) -> list[str]:
    return [require_wrk(), f"-t{threads}", f"-c{conns}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
            "-s", str(SCRIPT), f"http://{HOST}:{port}/", "--", *args]


def _summary(output: str) -> dict[str, Any]:
    for line in output.splitlines():
        if line.startswith("WRKJSON "):
            data = json.loads(line[len("WRKJSON "):])
            seconds = data["duration_us"] / 1e6
            errors = sum(data["errors"].values())
            data["rps"] = data["requests"] / seconds if seconds else 0.0
            data["ok_rps"] = max(0, data["requests"] - data["errors"]["status"]) / seconds if seconds else 0.0
            data["error_count"] = errors
            return data
    raise RuntimeError("wrk printed no summary:\n" + output[-2000:])


def phase(port: int, op: str, table: str, count: int, seconds: float, *, threads: int = 2, conns: int = 16) -> dict[str, Any]:
    """One timed phase: `op` for `seconds` at a fixed connection count."""
    argv = _wrk_argv(port, threads, conns, seconds, [op, table, str(count)])
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr[-2000:]}")
    return _summary(out.stdout)


def bulk_load(port: int, table: str, count: int, batch: int, max_seconds: float, *, label: str,
              threads: int = 2, conns: int = 8) -> dict[str, Any]:
    """Write items 0..count-1 once with wrk (BatchWriteItem of `batch`, or PutItem when batch is 1), printing
    progress; stops when every wrk thread has written its share, or after max_seconds."""
    argv = _wrk_argv(port, threads, conns, max_seconds, ["load", table, str(count), str(batch), str(threads)])
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    assert proc.stdout is not None
    done: set[str] = set()
    written: dict[str, int] = {}
    failed: dict[str, int] = {}
    lines: list[str] = []
    last_print = t0
    for line in proc.stdout:  # bounded: wrk exits after max_seconds at the latest
        lines.append(line)
        parts = line.split()
        if parts[:1] == ["progress"]:
            written[parts[1]] = int(parts[2])
            failed[parts[1]] = int(parts[3])
        elif parts[:1] == ["done"]:
            done.add(parts[1])
            if len(done) == threads and proc.poll() is None:
                proc.send_signal(signal.SIGINT)  # wrk prints its summary and exits
        now = time.perf_counter()
        if now - last_print >= 2.0:
            last_print = now
            n = sum(written.values())
            print(f"    {label}: {n:,}/{count:,} items, {n / (now - t0):,.0f} items/s", flush=True)
    proc.wait(30)
    elapsed = time.perf_counter() - t0
    n = min(count, sum(written.values()))
    result = {"items": n, "target": count, "seconds": elapsed, "items_per_s": n / elapsed if elapsed else 0.0,
              "batch": batch, "failed_requests": sum(failed.values()), "complete": len(done) == threads}
    print(f"    {label}: {n:,} items in {elapsed:.1f} s ({result['items_per_s']:,.0f} items/s, "
          f"{'BatchWriteItem x' + str(batch) if batch > 1 else 'PutItem'})", flush=True)
    return result


def wait_idle(seconds: float = 1.0) -> None:
    """Let the server settle (GC, WAL checkpoints) between phases."""
    time.sleep(seconds)



