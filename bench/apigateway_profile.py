"""API Gateway → Lambda without HTTP in front: pocketcloud's own cost per invoke (server side + worker IPC).

    python bench/apigateway_profile.py [--seconds 2] [--concurrency 1,8,32] [--function noop,put] [--profile]

Starts the App in this process (listening on a free loopback port, since functions call back into it with
boto3), deploys the same functions and REST APIs as bench/apigateway.py, then calls `App.handle` directly:
sequentially (one invoke at a time: the latency of the chain + the worker round trip) and with N concurrent
tasks (throughput with the workers the pool chooses to run). `--profile` prints cProfile's top functions of the
server process for each run (it inflates Python-heavy code; compare µs/op without it).
Figures are the best of 5 rounds: the machine is shared, the fastest round is the least disturbed.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import boto3  # noqa: E402
from apigateway import NOOP, PUT_ITEM, deploy  # noqa: E402
from server import free_port  # noqa: E402

from pocketcloud.config import Config  # noqa: E402
from pocketcloud.protocols.base import Request  # noqa: E402
from pocketcloud.server.app import App  # noqa: E402
from pocketcloud.server.http import HttpServer  # noqa: E402


def invoke_request(url: str) -> Request:
    path = "/" + url.split("/", 3)[3]
    host = url.split("/")[2]
    headers = {"host": host, "user-agent": "bench", "accept": "*/*"}
    return Request(method="GET", path=path, raw_path=path, query_string="", headers=headers, body=b"",
                   client="127.0.0.1", header_list=list(headers.items()))


async def measure(app: App, url: str, concurrency: int, seconds: float) -> tuple[float, float, int, float, float, float]:
    """(µs per request, best round; requests/s, best round; count; server CPU µs per request; the event loop
    thread's share of it; workers' CPU µs per request). CPU time is what the machine's load disturbs least:
    compare it between runs. The event loop's CPU is what bounds throughput (the log writer thread, for one,
    runs beside it)."""
    n, best = 0, float("inf")
    cpu0, loop0, workers0 = time.process_time(), time.thread_time(), workers_cpu(os.getpid())

    async def client(deadline: float, counts: list[int]) -> None:
        while time.perf_counter() < deadline:  # bounded in time
            response = await app.handle(invoke_request(url))
            assert response.status == 200, (response.status, response.body)
            counts[0] += 1

    for _ in range(5):
        counts = [0]
        t0 = time.perf_counter()
        deadline = t0 + seconds / 5
        await asyncio.gather(*(client(deadline, counts) for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
        best = min(best, elapsed / counts[0])
        n += counts[0]
    cpu, loop, workers = time.process_time() - cpu0, time.thread_time() - loop0, workers_cpu(os.getpid()) - workers0
    return best * 1e6, 1 / best, n, cpu / n * 1e6, loop / n * 1e6, workers / n * 1e6


def workers_cpu(pid: int) -> float:
    """CPU seconds used so far by the processes under `pid`'s children (the zygote's workers, alive ones)."""
    tick = os.sysconf("SC_CLK_TCK")
    children = {p for p in _pids() if _stat(p)[0] == pid}
    total = 0
    for p in _pids():
        ppid, used = _stat(p)
        if ppid in children:
            total += used
    return total / tick


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _stat(pid: int) -> tuple[int, int]:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[1]), int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return -1, 0


def workers_of(pid: int) -> int:
    """Processes whose parent is one of `pid`'s children (the zygote's forks: the function workers)."""
    children = {p for p in _pids() if _stat(p)[0] == pid}
    return sum(1 for p in _pids() if _stat(p)[0] in children)


async def main_async(args: argparse.Namespace) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="pocketcloud-profile-") as tmp:
        app = App(Config(data_dir=Path(tmp) / "data", port=port, log_level="warning"))
        server = HttpServer(app)
        await server.start("127.0.0.1", port)
        endpoint = f"http://127.0.0.1:{port}"
        try:
            def setup() -> dict[str, str]:
                session = boto3.session.Session(region_name="us-east-1", aws_access_key_id="bench",
                                                aws_secret_access_key="bench")
                session.client("dynamodb", endpoint_url=endpoint).create_table(
                    TableName="bench", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST")
                return {"noop": deploy(endpoint, NOOP), "put": deploy(endpoint, PUT_ITEM)}

            urls = await asyncio.to_thread(setup)
            for name in args.function.split(","):
                for concurrency in (int(c) for c in args.concurrency.split(",")):
                    profiler = cProfile.Profile() if args.profile else None
                    if profiler:
                        profiler.enable()
                    us, rps, n, cpu, lcpu, wcpu = await measure(app, urls[name], concurrency, args.seconds)
                    if profiler:
                        profiler.disable()
                    print(f"{name:5} concurrency {concurrency:3}: {us:8.1f} µs/request  {rps:8,.0f} req/s  "
                          f"CPU per request: server {cpu:6.1f} µs (event loop {lcpu:6.1f}), workers {wcpu:6.1f} µs  "
                          f"({n:,} requests, {workers_of(os.getpid())} workers)", flush=True)
                    if profiler:
                        buf = io.StringIO()
                        pstats.Stats(profiler, stream=buf).sort_stats(args.sort).print_stats(args.top)
                        print(buf.getvalue())
        finally:
            await server.stop(grace=1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--function", default="noop,put")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    import uvloop

    uvloop.run(main_async(args))


if __name__ == "__main__":
    main()
