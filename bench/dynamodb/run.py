"""Side-by-side DynamoDB benchmark: pocketcloud vs dynalite vs moto, with bare ASGI baselines as the ceiling.

    python bench/dynamodb/run.py [--seconds N] [--quick] [--only pocketcloud,dynalite,...] [--no-big] [--repeat N]
                                 [--readme yes|no]

Servers run one after another (never two at once: the machine has 2 cores, and wrk needs one of them), each on a
free 127.0.0.1 port. Per server: startup time to the first answered request, idle RSS, a 10k-item table loaded in
bulk, timed PutItem / GetItem / Query phases (wrk, 16 connections, 2 threads), then a big table loaded in bulk,
RSS after it, and Query (GetItem on a server without Query) on the big table against the small one.
Results go to bench/results/<timestamp>.json and a summary into bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402

SMALL = 10_000
# Items in the big table. Peers get fewer: moto writes a few hundred items a second, and dynalite keeps every
# item in memory; each count is printed beside its figures.
BIG = {"full": {"pocketcloud": 1_000_000, "pocketcloud-uvicorn": 1_000_000, "dynalite": 200_000, "moto": 30_000},
       "quick": {"pocketcloud": 100_000, "pocketcloud-uvicorn": 100_000, "dynalite": 50_000, "moto": 20_000}}
# pocketcloud-uvicorn: the same App under uvicorn (`pocketcloud up --server uvicorn`), for own-server vs ASGI.
PEERS = {"pocketcloud": servers.pocketcloud, "pocketcloud-uvicorn": servers.pocketcloud_uvicorn,
         "dynalite": servers.dynalite, "moto": servers.moto}
BASELINES = {"bare-asgi": servers.bare_asgi, "bare-http": servers.bare_http, "asgi+sqlite": servers.asgi_sqlite}
MAX_LOAD_SECONDS = {"full": 900.0, "quick": 180.0}


def bench_server(name: str, workdir: Path, mode: str, seconds: float, big_table: bool = True) -> dict[str, Any]:
    print(f"\n== {name}", flush=True)
    load_before = _check_load()
    running = PEERS[name](workdir)
    out: dict[str, Any] = {"startup_ms": running.startup_s * 1000, "loadavg_before": load_before}
    try:
        load.wait_idle(1.0)
        out["idle_rss_mb"] = running.rss() / 1e6
        print(f"  started in {out['startup_ms']:.0f} ms, idle RSS {out['idle_rss_mb']:.1f} MB", flush=True)
        port = running.port
        for table in ("small", "big", "puts"):
            load.create_table(port, table)
        batch = 25 if load.supports(port, "BatchWriteItem", "puts") else 1
        has_query = load.supports(port, "Query", "puts")
        out["bulk_path"] = "BatchWriteItem x25" if batch > 1 else "PutItem"
        out["has_query"] = has_query
        out["load_small"] = load.bulk_load(port, "small", SMALL, batch, MAX_LOAD_SECONDS[mode], label="small table")
        ops: dict[str, Any] = {}
        for op, target, table in (("PutItem", "put", "puts"), ("GetItem", "get", "small"), ("Query", "query", "small")):
            if op == "Query" and not has_query:
                print("  Query: not implemented by this server yet — skipped", flush=True)
                continue
            load.wait_idle(0.5)
            ops[op] = _timed(running, lambda: load.phase(port, target, table, SMALL, seconds))
            _print_phase(op, ops[op])
        out["ops"] = ops
        if not big_table:
            return out
        big = BIG[mode][name]
        out["load_big"] = load.bulk_load(port, "big", big, batch, MAX_LOAD_SECONDS[mode], label=f"big table ({big:,})")
        load.wait_idle(1.0)
        out["loaded_rss_mb"] = running.rss() / 1e6
        print(f"  RSS after loading {out['load_big']['items'] + SMALL:,} items: {out['loaded_rss_mb']:.1f} MB", flush=True)
        scale_op, target = ("Query", "query") if has_query else ("GetItem", "get")
        # Small and big back to back, twice, best of each: the ratio should not measure a change in machine load.
        runs = [load.phase(port, target, t, n, seconds)
                for _ in range(2) for t, n in (("small", SMALL), ("big", out["load_big"]["items"]))]
        small_phase = min(runs[0::2], key=lambda p: p["latency_us"]["p50"])
        big_phase = min(runs[1::2], key=lambda p: p["latency_us"]["p50"])
        out["scale"] = {"op": scale_op, "big_items": out["load_big"]["items"], "small_items": SMALL,
                        "big": big_phase, "small": small_phase,
                        "p50_ratio": big_phase["latency_us"]["p50"] / max(1, small_phase["latency_us"]["p50"]),
                        "rps_ratio": small_phase["ok_rps"] / max(1e-9, big_phase["ok_rps"])}
        _print_phase(f"{scale_op} on big", big_phase)
    finally:
        running.stop()
    return out


def bench_baseline(name: str, workdir: Path, seconds: float) -> dict[str, Any]:
    print(f"\n== {name}", flush=True)
    load_before = _check_load()
    running = BASELINES[name](workdir)
    try:
        load.wait_idle(0.5)
        out = {"startup_ms": running.startup_s * 1000, "idle_rss_mb": running.rss() / 1e6, "loadavg_before": load_before}
        # The PutItem requests, answered without any DynamoDB work.
        out["ops"] = {"PutItem": _timed(running, lambda: load.phase(running.port, "put", "puts", SMALL, seconds))}
        _print_phase("PutItem body", out["ops"]["PutItem"])
    finally:
        running.stop()
    return out


def _timed(running: servers.Running, run: Any) -> dict[str, Any]:
    """A phase, plus the server's own CPU time per answered request: unlike req/s, it hardly moves when other
    work shares the cores (only cache and frequency effects remain), so it compares servers on a busy machine."""
    before = running.cpu_seconds()
    p = run()
    p["cpu_us_per_req"] = (running.cpu_seconds() - before) * 1e6 / max(1, p["requests"])
    return p


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the highest summed req/s (the least disturbed), with each op's req/s range beside it."""
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return runs[-1]
    best = dict(max(ok, key=lambda r: sum(p["ok_rps"] for p in r.get("ops", {}).values())))
    if len(ok) > 1:
        best["rps_range"] = {op: [min(r["ops"][op]["ok_rps"] for r in ok if op in r.get("ops", {})),
                                  max(r["ops"][op]["ok_rps"] for r in ok if op in r.get("ops", {}))]
                             for op in best.get("ops", {})}
    return best


def _check_load() -> float:
    """The 1-minute load average; figures taken while other work runs on the 2 cores are not comparable."""
    avg = os.getloadavg()[0]
    if avg > 1.5:
        print(f"  warning: load average {avg:.1f} before this server — other work shares the CPU", flush=True)
    return avg


def _print_phase(label: str, p: dict[str, Any]) -> None:
    lat = p["latency_us"]
    errors = f", {p['error_count']} errors" if p["error_count"] else ""
    cpu = f", server CPU {p['cpu_us_per_req']:.0f} µs/req" if "cpu_us_per_req" in p else ""
    print(f"  {label}: {p['ok_rps']:,.0f} req/s, p50 {lat['p50'] / 1000:.2f} ms, p99 {lat['p99'] / 1000:.2f} ms"
          f"{cpu}{errors}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, help="seconds per timed phase (default 5, 2 with --quick)")
    parser.add_argument("--quick", action="store_true", help="short phases and smaller big tables")
    parser.add_argument("--only", help="comma-separated subset of: " + ", ".join([*PEERS, *BASELINES]))
    parser.add_argument("--no-big", action="store_true", help="skip the big-table load and its Query phases")
    parser.add_argument("--repeat", type=int, default=1, help="run the servers' timed phases N times, round-robin")
    parser.add_argument("--readme", choices=["auto", "yes", "no"], default="auto",
                        help="rewrite bench/README.md's figures (auto: only after a full run of every server)")
    args = parser.parse_args(argv)
    load.require_wrk()
    mode = "quick" if args.quick else "full"
    seconds = args.seconds or (2.0 if args.quick else 5.0)
    wanted = args.only.split(",") if args.only else [*PEERS, *BASELINES]
    unknown = set(wanted) - set(PEERS) - set(BASELINES)
    if unknown:
        parser.error(f"unknown server(s): {', '.join(sorted(unknown))}")
    started = time.time()
    results: dict[str, Any] = {"mode": mode, "seconds_per_phase": seconds, "connections": 16, "wrk_threads": 2,
                               "small_items": SMALL, "machine": report.machine(), "servers": {}}
    workdir = Path(tempfile.mkdtemp(prefix="pocketcloud-bench-"))
    try:
        # With --repeat, servers take turns (A B A B ...) so a change in machine load hits each of them alike;
        # every run is kept under "runs" and the table shows the best (least disturbed) run of each.
        for round_no in range(max(1, args.repeat)):
            for name in wanted:
                where = workdir / f"{name}-{round_no}"
                where.mkdir()
                try:
                    if name in PEERS:
                        out = bench_server(name, where, mode, seconds, not args.no_big)
                    else:
                        out = bench_baseline(name, where, seconds)
                except Exception as exc:  # a peer that fails to start must not lose the others' figures
                    print(f"  {name} failed: {exc}", flush=True)
                    out = {"error": str(exc)}
                results.setdefault("runs", {}).setdefault(name, []).append(out)
        for name, runs in results.get("runs", {}).items():
            results["servers"][name] = _best(runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["elapsed_s"] = time.time() - started
    results["when"] = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started))
    table = report.table(results)
    print("\n" + table)
    path = report.save(results)
    print(f"\nresults: {path}")
    if args.readme == "yes" or (args.readme == "auto" and mode == "full" and args.only is None):
        report.update_readme(results, table)
        print("summary: bench/README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
