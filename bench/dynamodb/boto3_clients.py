"""Server CPU per PutItem when a few clients each send one request at a time — what a Lambda function's boto3
client does (issue 4's API Gateway → function → PutItem path), unlike wrk's 16 busy connections.

    python bench/dynamodb/boto3_clients.py [--clients 1,2,4] [--seconds 4] [--raw] [--against SRC] [--slot 0.25]

Starts `python -m pocketcloud up` (durable data directory in a temporary directory), creates table `bench`
(hash key `id` S) and runs N client processes, each doing PutItem of a new item in a loop, sequentially: a boto3
Table resource, or with `--raw` a socket sending the very bytes boto3 sends (captured once from a boto3 request
against a throw-away listener) — no client CPU to speak of, so the server is measured with less disturbance.
Prints put/s and the server process's CPU per request (user and system, from /proc; its own, not its
children's), measured after a warm-up.

`--against SRC` compares two versions of the code side by side: a second server runs with PYTHONPATH=SRC (e.g. a
`git worktree` of an older commit, its `src/`) and every client alternates between the two servers every
`--slot` seconds, so both see the same machine load. That is the way to compare on a shared 2-core machine,
where runs one after another differ by ±15–30%.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

import load
import servers

KEY = b"0123456789abcdef0123456789abcdef"  # the item id in the captured request; replaced per request
CREDENTIALS = {"region_name": "us-east-1", "aws_access_key_id": "AKID", "aws_secret_access_key": "secret"}


def _table(port: int) -> Any:
    import boto3

    return boto3.resource("dynamodb", endpoint_url=f"http://{servers.HOST}:{port}", **CREDENTIALS).Table("bench")


def capture_boto3_request() -> bytes:
    """The bytes of one boto3 PutItem request, read by a listener that answers like DynamoDB would."""
    listener = socket.socket()
    listener.bind((servers.HOST, 0))
    listener.listen(1)
    got: list[bytes] = []

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, body = data.split(b"\r\n\r\n", 1)
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            while len(body) < length:
                body += conn.recv(65536)
            got.append(head + b"\r\n\r\n" + body)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        _table(listener.getsockname()[1]).put_item(Item={"id": KEY.decode(), "v": 1})
    except Exception:  # noqa: BLE001 - only the request matters (the made-up answer lacks a CRC32)
        pass
    thread.join(5)
    listener.close()
    if not got or KEY not in got[0]:
        raise RuntimeError("could not capture boto3's PutItem request")
    return got[0]


def _raw_putter(port: int, request: bytes, worker: int) -> Callable[[int], None]:
    sock = socket.create_connection((servers.HOST, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def put(i: int) -> None:
        sock.sendall(request.replace(KEY, b"%08d%024x" % (worker, i)))  # same length: Content-Length holds
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("the server closed the connection")
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep and len(body) >= int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0]):
                if not head.startswith(b"HTTP/1.1 200"):
                    raise RuntimeError(f"PutItem failed: {data[:300]!r}")
                return

    return put


def _boto3_putter(port: int, worker: int) -> Callable[[int], None]:
    table = _table(port)
    return lambda i: table.put_item(Item={"id": "%08d%024x" % (worker, i), "v": 1})


def client(ports: list[int], request: bytes | None, seconds: float, slot: float, queue: Any, worker: int) -> None:
    """Sequential PutItems for `seconds`, switching servers every `slot` seconds when there are two."""
    puts = [_raw_putter(p, request, worker) if request else _boto3_putter(p, worker) for p in ports]
    for put in puts:  # warm-up: connections, boto3's lazy loading, the server's caches
        for i in range(50):
            put(i)
    queue.put(None)
    counts, i = [0] * len(puts), 1000
    deadline = time.time() + seconds
    while time.time() < deadline:  # bounded in time
        k = int(time.time() / slot) % len(puts)
        puts[k](i)
        counts[k] += 1
        i += 1
    queue.put(counts)


def _cpu(pid: int) -> tuple[int, int]:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rpartition(")")[2].split()
    return int(fields[11]), int(fields[12])


def _start(workdir: Path, name: str, src: str | None) -> servers.Running:
    port = servers.free_port()
    argv = [sys.executable, "-m", "pocketcloud", "up", "--port", str(port), "--data-dir", str(workdir / f"{name}-data"),
            "--log-level", "warning"]
    running = servers.start(name, argv, port, workdir, env={"PYTHONPATH": src} if src else None)
    status, out = load.call(port, "CreateTable", {
        "TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]})
    if status != 200:
        raise RuntimeError(f"CreateTable: {status} {out}")
    return running


def run(n: int, args: argparse.Namespace, request: bytes | None) -> None:
    with tempfile.TemporaryDirectory(prefix="pocketcloud-boto3-clients-") as tmp:
        started = [_start(Path(tmp), "this", None)]
        if args.against:
            started.append(_start(Path(tmp), "against", args.against))
        try:
            queue: Any = mp.Queue()
            procs = [mp.Process(target=client, args=([s.port for s in started], request, args.seconds, args.slot, queue, w))
                     for w in range(n)]
            for p in procs:
                p.start()
            for _ in procs:
                queue.get(timeout=120)
            time.sleep(0.3)
            before = [_cpu(s.proc.pid) for s in started]
            totals = [0] * len(started)
            for _ in procs:
                for k, c in enumerate(queue.get(timeout=args.seconds + 120)):
                    totals[k] += c
            after = [_cpu(s.proc.pid) for s in started]
            for p in procs:
                p.join(10)
        finally:
            for s in started:
                s.stop()
    tick = 1e6 / os.sysconf("SC_CLK_TCK")
    kind = "raw-socket" if request else "boto3"
    share = args.seconds / len(started)  # each server got its share of the slots
    parts = []
    for s, b, a, total in zip(started, before, after, totals):
        user, system = (a[0] - b[0]) * tick / max(total, 1), (a[1] - b[1]) * tick / max(total, 1)
        label = "this tree" if s.name == "this" else args.against
        parts.append((label, total / share, user, system))
    line = "; ".join(f"{label}: {rate:,.0f} put/s, server {u + s_:.0f} µs/req (user {u:.0f} + sys {s_:.0f})"
                     for label, rate, u, s_ in parts)
    if len(parts) == 2:
        line += f"; CPU ratio {(parts[0][2] + parts[0][3]) / (parts[1][2] + parts[1][3]):.3f}"
    print(f"{n} {kind} client{'s' if n > 1 else ''}: {line}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,2,4", help="comma-separated client counts, one run each")
    parser.add_argument("--seconds", type=float, default=4.0, help="measured seconds per run (after warm-up)")
    parser.add_argument("--raw", action="store_true", help="raw sockets replaying boto3's request bytes")
    parser.add_argument("--against", metavar="SRC", help="also run the code at SRC (PYTHONPATH), clients alternating")
    parser.add_argument("--slot", type=float, default=0.25, help="seconds per turn with --against")
    parser.add_argument("--repeat", type=int, default=1, help="run every client count N times")
    args = parser.parse_args()
    request = capture_boto3_request() if args.raw else None
    for _ in range(args.repeat):
        for n in (int(c) for c in args.clients.split(",")):
            run(n, args, request)


if __name__ == "__main__":
    main()
