"""The benchmark's figures as a Markdown table with ratios and goals, saved as JSON and summarized in bench/README.md."""

from __future__ import annotations

import json
import os
import platform
import re
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent.parent
RESULTS = BENCH / "results"
README = BENCH / "README.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"

# Throughput goals: pocketcloud / peer req/s at least this.
GOALS = {"PutItem": {"dynalite": 1.0, "moto": 20.0}, "GetItem": {"dynalite": 1.0, "moto": 20.0},
         "Query": {"dynalite": 2.0, "moto": 20.0}}
SCALE_GOAL = 1.2  # big-table p50 / small-table p50
IDLE_RSS_GOAL_MB = 80.0


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "system": platform.platform()}


def _get(results: dict[str, Any], server: str, *path: str) -> Any:
    node: Any = results["servers"].get(server, {})
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _x(r: float | None) -> str:
    return "—" if r is None else f"{r:.2f}×"


def table(results: dict[str, Any]) -> str:
    names = [n for n in ("pocketcloud", "pocketcloud-uvicorn", "dynalite", "moto", "bare-asgi", "bare-http", "asgi+sqlite")
             if n in results["servers"] or n in ("pocketcloud", "dynalite", "moto", "bare-asgi", "asgi+sqlite")]
    body_only = [n for n in ("bare-asgi", "bare-http", "asgi+sqlite") if n in names]
    head = ["metric", *names, "pc/dynalite", "pc/moto", "pc/bare-asgi", "goal", "met"]
    rows: list[list[str]] = []
    bare_rps = _get(results, "bare-asgi", "ops", "PutItem", "ok_rps")
    for op in ("PutItem", "GetItem", "Query"):
        rps = {n: _get(results, n, "ops", op, "ok_rps") for n in names}
        if op != "PutItem":
            for n in body_only:
                rps[n] = None
        pc = rps["pocketcloud"]
        r_dyn, r_moto = _ratio(pc, rps["dynalite"]), _ratio(pc, rps["moto"])
        goal = GOALS[op]
        met = None
        if r_dyn is not None and r_moto is not None:
            met = r_dyn >= goal["dynalite"] and r_moto >= goal["moto"]
        rows.append([f"{op} req/s", *(_fmt(rps[n]) for n in names), _x(r_dyn), _x(r_moto), _x(_ratio(pc, bare_rps)),
                     f"≥{goal['dynalite']:g}× dynalite, ≥{goal['moto']:g}× moto", _met(met)])
        for q in ("p50", "p99"):
            lat = {n: _get(results, n, "ops", op, "latency_us", q) for n in names}
            if op != "PutItem":
                for n in body_only:
                    lat[n] = None
            ms = {n: (v / 1000 if v is not None else None) for n, v in lat.items()}
            pcl = ms["pocketcloud"]
            rows.append([f"{op} {q} ms", *(_fmt(ms[n], 2) for n in names), _x(_ratio(pcl, ms["dynalite"])),
                         _x(_ratio(pcl, ms["moto"])), _x(_ratio(pcl, ms["bare-asgi"])), "", ""])
        # Server CPU per request: steadier than req/s when other work shares the machine.
        cpu = {n: _get(results, n, "ops", op, "cpu_us_per_req") for n in names}
        if op != "PutItem":
            for n in body_only:
                cpu[n] = None
        if any(v is not None for v in cpu.values()):
            pcc = cpu["pocketcloud"]
            rows.append([f"{op} server CPU µs/req", *(_fmt(cpu[n]) for n in names), _x(_ratio(pcc, cpu["dynalite"])),
                         _x(_ratio(pcc, cpu["moto"])), _x(_ratio(pcc, cpu["bare-asgi"])), "", ""])
    start = {n: _get(results, n, "startup_ms") for n in names}
    rows.append(["startup to first answer ms", *(_fmt(start[n]) for n in names),
                 _x(_ratio(start["pocketcloud"], start["dynalite"])), _x(_ratio(start["pocketcloud"], start["moto"])),
                 _x(_ratio(start["pocketcloud"], start["bare-asgi"])), "", ""])
    idle = {n: _get(results, n, "idle_rss_mb") for n in names}
    rows.append(["idle RSS MB", *(_fmt(idle[n], 1) for n in names), _x(_ratio(idle["pocketcloud"], idle["dynalite"])),
                 _x(_ratio(idle["pocketcloud"], idle["moto"])), _x(_ratio(idle["pocketcloud"], idle["bare-asgi"])),
                 f"≤{IDLE_RSS_GOAL_MB:g} MB", _met(None if idle["pocketcloud"] is None else idle["pocketcloud"] <= IDLE_RSS_GOAL_MB)])
    loaded = {n: _get(results, n, "loaded_rss_mb") for n in names}
    counts = {n: _get(results, n, "load_big", "items") for n in names}
    rows.append(["RSS after load MB (items)",
                 *(f"{_fmt(loaded[n], 1)} ({counts[n] + results['small_items']:,})" if loaded[n] else "—" for n in names),
                 "", "", "", "", ""])
    rate = {n: _get(results, n, "load_big", "items_per_s") for n in names}
    rows.append(["bulk load items/s", *(f"{_fmt(rate[n])} ({_get(results, n, 'bulk_path')})" if rate[n] else "—"
                                        for n in names),
                 _x(_ratio(rate["pocketcloud"], rate["dynalite"])), _x(_ratio(rate["pocketcloud"], rate["moto"])), "", "", ""])
    scale = {n: _get(results, n, "scale", "p50_ratio") for n in names}
    op = _get(results, "pocketcloud", "scale", "op") or "Query"
    rows.append([f"{op} p50 big/small table", *(
        f"{scale[n]:.2f}× ({_get(results, n, 'scale', 'big_items'):,} vs {results['small_items']:,})" if scale[n] else "—"
        for n in names), "", "", "", f"≤{SCALE_GOAL:g}×", _met(None if scale["pocketcloud"] is None else scale["pocketcloud"] <= SCALE_GOAL)])
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    notes = []
    sql_rps = _get(results, "asgi+sqlite", "ops", "PutItem", "ok_rps")
    pc_put = _get(results, "pocketcloud", "ops", "PutItem", "ok_rps")
    if sql_rps and pc_put:
        notes.append(f"pocketcloud PutItem / ASGI+SQLite INSERT: {pc_put / sql_rps:.2f}×")
    own = {op: _ratio(_get(results, "pocketcloud", "ops", op, "ok_rps"),
                      _get(results, "pocketcloud-uvicorn", "ops", op, "ok_rps")) for op in GOALS}
    if any(own.values()):
        notes.append("pocketcloud's own HTTP server / the same App under uvicorn: "
                     + ", ".join(f"{op} {_x(r)}" for op, r in own.items() if r))
    bare = _ratio(_get(results, "bare-http", "ops", "PutItem", "ok_rps"), bare_rps)
    if bare:
        notes.append(f"bare-http (server/http.py, no work) / bare-asgi (uvicorn, no work): {_x(bare)}")
    for n in names:
        ranges = _get(results, n, "rps_range")
        if ranges:
            notes.append(f"{n} req/s range over {len(results.get('runs', {}).get(n, []))} runs: "
                         + ", ".join(f"{op} {lo:,.0f}–{hi:,.0f}" for op, (lo, hi) in ranges.items()))
    if _get(results, "pocketcloud", "has_query") is False:
        notes.append("pocketcloud has no Query yet: its Query row is empty and the big/small row uses GetItem")
    busy = {n: _get(results, n, "loadavg_before") for n in names}
    busy = {n: v for n, v in busy.items() if v is not None and v > 1.5}
    if busy:
        notes.append("machine busy with other work (1-min load average before the server): "
                     + ", ".join(f"{n} {v:.1f}" for n, v in busy.items()) + " — treat those figures as noisy")
    for n in names:
        if _get(results, n, "error"):
            notes.append(f"{n} failed: {_get(results, n, 'error')[:200]}")
    return "\n".join(lines + ([""] + [f"- {n}" for n in notes] if notes else []))


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def save(results: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / (time.strftime("%Y%m%d-%H%M%S") + f"-{results['mode']}.json")
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path


def update_readme(results: dict[str, Any], figures: str) -> None:
    m = results["machine"]
    big = _get(results, "pocketcloud", "load_big", "target") or 0
    block = (
        f"{START}\n"
        f"Latest run: {results['when']}, `{'--quick' if results['mode'] == 'quick' else 'full'}` mode, "
        f"{results['seconds_per_phase']:g} s per phase, {results['connections']} connections, "
        f"{results['wrk_threads']} wrk threads; machine: {m['cores']} cores ({m['cpu'] or 'unknown CPU'}), "
        f"Python {m['python']}. pocketcloud's big table: {big:,} items.\n\n"
        f"{figures}\n{END}"
    )
    text = README.read_text() if README.exists() else f"# bench\n\n{START}\n{END}\n"
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text += "\n" + block + "\n"
    README.write_text(text)
