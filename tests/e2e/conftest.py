"""Fixtures for the end-to-end tests (helpers are in e2e_support.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from e2e_support import script_env_for

ZYGOTE = Path(__file__).parent / "awscli_zygote.py"


@pytest.fixture(scope="session")
def fast_aws_bin(tmp_path_factory: pytest.TempPathFactory):
    """A directory whose `aws` is the real aws CLI pre-imported and forked per command (awscli_zygote.py), or None
    with POCKETCLOUD_E2E_REAL_AWS=1 (then every call starts the CLI from scratch, ~0.4 s of CPU each)."""
    if os.environ.get("POCKETCLOUD_E2E_REAL_AWS") == "1":
        yield None
        return
    base = tmp_path_factory.mktemp("awscli")
    sock = str(base / "aws.sock")
    proc = subprocess.Popen([sys.executable, str(ZYGOTE), "serve", sock], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 30
    while not os.path.exists(sock) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    from awscli_zygote import write_client

    write_client(base / "bin", sock)  # falls back to `python -m awscli` if the server is not there
    yield base / "bin"
    proc.kill()
    proc.wait(10)


@pytest.fixture(scope="session")
def script_env(aws_env: dict[str, str], fast_aws_bin: Path | None) -> dict[str, str]:
    """The environment the examples' scripts run in: pointed at the session server, `aws` on PATH."""
    env = script_env_for(aws_env)
    if fast_aws_bin is not None:
        env["PATH"] = os.pathsep.join([str(fast_aws_bin), env["PATH"]])
    return env
