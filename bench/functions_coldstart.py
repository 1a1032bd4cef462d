"""Cold and warm invoke latency of pocketcloud's function engine, against process-start baselines.

Run: python bench/functions_coldstart.py [--runs N]
Prints p50/p99 in ms for: `python -c pass` and `node -e 0` (a bare interpreter start), and for Python and
Node.js functions: cold invoke (new function instance: fork from the zygote / assignment of the spare Node
process, handler import, run), "cold to first line" (invoke call -> the handler's first line runs), and warm
invoke. Nothing leaves 127.0.0.1; every loop is bounded by --runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from pocketcloud.functions import FunctionSpec, WorkerPool

PY_HANDLER = "import time\ndef handler(event, context):\n    return time.time() * 1000\n"
NODE_HANDLER = "exports.handler = async () => performance.timeOrigin + performance.now();\n"
# A spare Node.js process takes ~0.2 s to start in the background; cold starts are measured in steady state.
NODE_SPARE_GAP_S = 0.5


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def baseline(command: list[str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, timeout=30)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def spec_for(root: Path, runtime: str, handler: str, filename: str, code: str) -> FunctionSpec:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    code_dir = root / name
    code_dir.mkdir()
    (code_dir / filename).write_text(code)
    return FunctionSpec(name=name, arn=f"arn:aws:lambda:us-east-1:000000000000:function:{name}", version="$LATEST",
                        runtime=runtime, handler=handler, code_dir=code_dir, code_sha256=name)


async def measure(pool: WorkerPool, root: Path, runtime: str, handler: str, filename: str, code: str,
                  runs: int, gap: float) -> dict[str, list[float]]:
    cold, first_line, warm = [], [], []
    for _ in range(runs):
        spec = spec_for(root, runtime, handler, filename, code)
        await asyncio.sleep(gap)
        wall = time.time() * 1000
        started = time.perf_counter()
        result = await pool.invoke(spec, b"{}", request_id=str(uuid.uuid4()))
        cold.append((time.perf_counter() - started) * 1000)
        first_line.append(json.loads(result.payload) - wall)
        for _ in range(3):
            started = time.perf_counter()
            await pool.invoke(spec, b"{}", request_id=str(uuid.uuid4()))
            warm.append((time.perf_counter() - started) * 1000)
        await pool.drop(spec.name)
    return {"cold invoke": cold, "cold to handler's first line": first_line, "warm invoke": warm}


async def run(runs: int) -> list[tuple[str, str, list[float]]]:
    rows: list[tuple[str, str, list[float]]] = [
        ("baseline", "python -c pass", baseline([sys.executable, "-c", "pass"], runs)),
    ]
    node = shutil.which("node")
    if node:
        rows.append(("baseline", "node -e 0", baseline([node, "-e", "0"], runs)))
    with tempfile.TemporaryDirectory(prefix="pocketcloud-bench-") as tmp:
        pool = WorkerPool(endpoint_url="http://127.0.0.1:9", log_sink=lambda *_: None)
        try:
            await pool.prewarm(("python3.12",) + (("nodejs20.x",) if node else ()))
            await asyncio.sleep(1.0)  # let the zygote and the first spare finish preloading
            results = await measure(pool, Path(tmp), "python3.12", "app.handler", "app.py", PY_HANDLER, runs, 0.0)
            rows += [("python3.12", k, v) for k, v in results.items()]
            if node:
                results = await measure(pool, Path(tmp), "nodejs20.x", "index.handler", "index.js", NODE_HANDLER,
                                        runs, NODE_SPARE_GAP_S)
                rows += [("nodejs20.x", k, v) for k, v in results.items()]
        finally:
            await pool.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rows = asyncio.run(run(args.runs))
    print(f"{'runtime':<12} {'measure':<32} {'n':>4} {'p50 ms':>9} {'p99 ms':>9}")
    for runtime, label, samples in rows:
        p50, p99 = percentiles(samples)
        print(f"{runtime:<12} {label:<32} {len(samples):>4} {p50:>9.2f} {p99:>9.2f}")


if __name__ == "__main__":
    main()
