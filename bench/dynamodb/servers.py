"""The servers a benchmark run starts: pocketcloud (own HTTP server or uvicorn), its peers (dynalite, moto) and
the bare baselines (uvicorn ASGI, pocketcloud's HTTP server).

Each runs as a child process on a free 127.0.0.1 port; startup time is from spawn to the first answered request,
RSS is the sum over the process and its descendants (read from /proc).
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, ()))
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            pass
    return total


@dataclass
class Running:
    name: str
    port: int
    proc: subprocess.Popen[bytes]
    startup_s: float
    log_path: Path
    notes: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def rss(self) -> int:
        return rss_bytes(self.proc.pid)

    def cpu_seconds(self) -> float:
        """User + system CPU the server process has used so far (its own, not its children's)."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def _probe(port: int, ddb: bool) -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=1.0)
    try:
        if ddb:
            conn.request("POST", "/", b"{}", {
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": "DynamoDB_20120810.ListTables",
                "X-Amz-Date": "20260101T000000Z",
                "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
                "SignedHeaders=host, Signature=0",
            })
        else:
            conn.request("POST", "/", b"{}")
        resp = conn.getresponse()
        resp.read()
        return resp.status == 200
    except OSError:
        return False
    finally:
        conn.close()


def start(name: str, argv: list[str], port: int, workdir: Path, *, ddb: bool = True, env: dict[str, str] | None = None,
          cwd: Path | None = None, timeout: float = 60.0) -> Running:
    log_path = workdir / f"{name}.log"
    log = open(log_path, "wb")
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env={**os.environ, **(env or {})}, cwd=cwd)
    log.close()
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode} before answering; see {log_path}:\n"
                               + log_path.read_text(errors="replace")[-2000:])
        if _probe(port, ddb):
            return Running(name, port, proc, time.perf_counter() - t0, log_path)
        time.sleep(0.01)
    proc.kill()
    raise RuntimeError(f"{name} did not answer within {timeout:.0f} s; see {log_path}")


# -- how each server starts -----------------------------------------------------------------------------


def pocketcloud(workdir: Path, server: str = "pocketcloud") -> Running:
    """`pocketcloud up` with its own HTTP server (the default) or, server="uvicorn", the ASGI app under uvicorn."""
    port = free_port()
    name = "pocketcloud" if server == "pocketcloud" else f"pocketcloud-{server}"
    data = workdir / f"{name}-data"
    argv = [sys.executable, "-m", "pocketcloud", "up", "--port", str(port), "--data-dir", str(data),
            "--log-level", "warning", "--server", server]
    return start(name, argv, port, workdir)


def pocketcloud_uvicorn(workdir: Path) -> Running:
    return pocketcloud(workdir, "uvicorn")


def ensure_dynalite() -> Path:
    """dynalite's cli.js, installed from bench/dynamodb/package.json on first use."""
    cli = HERE / "node_modules" / "dynalite" / "cli.js"
    if not cli.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("dynalite needs Node.js and npm: apt-get install -y nodejs npm")
        print("installing dynalite (npm install in bench/dynamodb) ...", flush=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True,
                       timeout=300)
    return cli


def dynalite(workdir: Path) -> Running:
    cli = ensure_dynalite()
    port = free_port()
    # Tables become ACTIVE at once instead of after dynalite's default 500 ms.
    argv = ["node", str(cli), "--host", HOST, "--port", str(port), "--createTableMs", "0", "--deleteTableMs", "0"]
    return start("dynalite", argv, port, workdir)


def moto(workdir: Path) -> Running:
    try:
        import moto.server  # noqa: F401
    except ImportError as exc:
        raise RuntimeError("moto is not installed: pip install -e '.[bench]'") from exc
    port = free_port()
    # moto 5's server is werkzeug's threaded development server (`moto_server -H HOST -p PORT`).
    argv = [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)]
    return start("moto", argv, port, workdir)


def _uvicorn(name: str, app: str, workdir: Path, env: dict[str, str] | None = None) -> Running:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", f"baselines:{app}", "--app-dir", str(HERE), "--host", HOST,
            "--port", str(port), "--loop", "uvloop", "--http", "httptools", "--lifespan", "off",
            "--log-level", "warning", "--no-access-log"]
    return start(name, argv, port, workdir, ddb=False, env=env)


def bare_asgi(workdir: Path) -> Running:
    return _uvicorn("bare-asgi", "bare", workdir)


def bare_http(workdir: Path) -> Running:
    """pocketcloud's own HTTP server (server/http.py) in front of a handler that answers 200 `{}`."""
    port = free_port()
    argv = [sys.executable, str(HERE / "baselines.py"), "bare-http", "--port", str(port)]
    return start("bare-http", argv, port, workdir, ddb=False)


def asgi_sqlite(workdir: Path) -> Running:
    return _uvicorn("asgi+sqlite", "sqlite_insert", workdir, {"BENCH_SQLITE_PATH": str(workdir / "baseline.db")})
