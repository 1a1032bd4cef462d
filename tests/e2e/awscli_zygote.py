"""A faster `aws` for the end-to-end tests: the real aws CLI, pre-imported once and forked for each command.

The examples' deploy scripts make about a hundred aws CLI calls; each one spends ~0.4 s of CPU importing awscli
and botocore before it sends one request. Here a server process imports them (and loads the service models the
examples use) once; `aws` on the tests' PATH is a tiny client that hands the server its argv, environment,
working directory and its stdin/stdout/stderr file descriptors (SCM_RIGHTS over a Unix socket). The server forks;
the child adopts the descriptors and environment and runs `awscli.clidriver`'s `main` — the same code, the same
output, the same exit status — so the scripts cannot tell the difference, except in time.

    python awscli_zygote.py serve SOCKET      # the server (the e2e fixture starts it)
    write_client(bin_dir, socket)             # writes bin_dir/aws; when the server is gone it runs the real CLI
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from pathlib import Path

SERVICES = ("dynamodb", "lambda", "apigateway", "iam", "logs", "sts")
_MAX_MESSAGE = 1 << 20

CLIENT = r'''#!{python} -SE
# aws CLI client of tests/e2e/awscli_zygote.py: the real aws CLI, run by a pre-imported server process.
import json, os, socket, sys
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect({socket!r})
except OSError:
    os.execv({python!r}, [{python!r}, "-m", "awscli", *sys.argv[1:]])
message = json.dumps({{"argv": sys.argv[1:], "env": dict(os.environ), "cwd": os.getcwd()}}).encode()
socket.send_fds(s, [len(message).to_bytes(4, "big") + message], [0, 1, 2])
status = b""
while len(status) < 4:
    chunk = s.recv(4 - len(status))
    if not chunk:
        sys.exit(255)
    status += chunk
sys.exit(int.from_bytes(status, "big", signed=True))
'''


def write_client(bin_dir: Path, socket_path: str) -> Path:
    bin_dir.mkdir(parents=True, exist_ok=True)
    client = bin_dir / "aws"
    client.write_text(CLIENT.format(python=sys.executable, socket=socket_path))
    client.chmod(0o755)
    return client


def _preload():
    """Import the CLI and load what its commands for SERVICES need, so that forked children start warm."""
    from awscli.clidriver import create_clidriver

    driver = create_clidriver()
    table = driver._get_command_table()  # noqa: SLF001 - warming caches only
    for name in SERVICES:
        try:
            table[name]._get_command_table()  # noqa: SLF001
            driver.session.get_service_model(name)
        except Exception:  # noqa: BLE001 - a cold service only costs time
            pass
    return driver


def _recv_request(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, _MAX_MESSAGE, 3)
    size = int.from_bytes(data[:4], "big")
    body = data[4:]
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise ConnectionError("client went away")
        body += chunk
    return json.loads(body), fds


def _run_child(driver, conn: socket.socket, request: dict, fds: list[int]) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    sys.stdin = os.fdopen(0, "r", closefd=False)
    sys.stdout = os.fdopen(1, "w", closefd=False)
    sys.stderr = os.fdopen(2, "w", closefd=False)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    try:
        status = driver.main(request["argv"])
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:  # noqa: BLE001 - report like the CLI would, then fail
        import traceback

        traceback.print_exc()
        status = 255
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        conn.sendall(int(status or 0).to_bytes(4, "big", signed=True))
        os._exit(0)


def serve(socket_path: str) -> None:
    parent = os.getppid()
    driver = _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reap themselves
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(socket_path)
        server.listen(64)
        server.settimeout(2)
        print("ready", flush=True)
        while os.getppid() == parent:  # the test session that started us is gone: so are we
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            conn.settimeout(None)
            try:
                request, fds = _recv_request(conn)
            except (OSError, ValueError):
                conn.close()
                continue
            if os.fork() == 0:
                server.close()
                _run_child(driver, conn, request, fds)
            for fd in fds:
                os.close(fd)
            conn.close()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "serve":
        sys.exit("usage: awscli_zygote.py serve SOCKET")
    serve(sys.argv[2])
