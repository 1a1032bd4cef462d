"""Helpers for the end-to-end tests: run the examples' shell scripts, call the APIs they deployed."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pocketcloud.services import registry

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
SCRIPT_TIMEOUT_S = 90
_URL = re.compile(r"/restapis/([a-z0-9]+)/([A-Za-z0-9_-]+)/_user_request_/")


def script_env_for(aws_env: dict[str, str]) -> dict[str, str]:
    """aws_env, with the `aws` and `python3` of the Python running the tests first on PATH."""
    env = dict(aws_env)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    for name in ("AWS_DEFAULT_REGION", "API_URL", "REGION"):  # each example works in its seed's region
        env.pop(name, None)
    return env


def missing_services(*names: str) -> list[str]:
    return [name for name in names if name not in registry.SERVICES]


def skip_unless_served(*names: str) -> pytest.MarkDecorator:
    missing = missing_services(*names)
    return pytest.mark.skipif(
        bool(missing), reason=f"pocketcloud does not serve {', '.join(missing)} yet (services/registry.py)"
    )


@dataclass
class Script:
    """A shell script started in the background; `result()` waits for it (bounded) and returns its output."""

    args: list[str]
    proc: subprocess.Popen[str]
    _out: str | None = None

    def result(self) -> str:
        if self._out is None:
            try:
                out, _ = self.proc.communicate(timeout=SCRIPT_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()
                out, _ = self.proc.communicate()
                raise AssertionError(f"{' '.join(self.args)} did not finish in {SCRIPT_TIMEOUT_S} s:\n{out}")
            self._out = out
            if self.proc.returncode != 0:
                raise AssertionError(f"{' '.join(self.args)} exited with {self.proc.returncode}:\n{out}")
        return self._out

    def kill(self) -> None:
        """Stop the script and everything it started (its own process group)."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def start_script(env: dict[str, str], path: Path, *args: str, extra_env: dict[str, str] | None = None) -> Script:
    argv = ["bash", str(path), *args]
    proc = subprocess.Popen(
        argv, env={**env, **(extra_env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL,
        cwd=str(REPO),
        start_new_session=True,
    )
    return Script(argv, proc)


@dataclass(frozen=True)
class Deployed:
    """An API that a deploy.sh made: its id, stage, and the two ways of calling it."""

    endpoint: str
    api_id: str
    stage: str
    output: str

    def url(self, path: str) -> str:
        return f"{self.endpoint}/restapis/{self.api_id}/{self.stage}/_user_request_{path}"

    def host_call(self, method: str, path: str, **kwargs):
        """Call through the {api id}.execute-api.localhost form (Host header on the loopback address)."""
        import requests

        port = urlsplit(self.endpoint).port
        headers = {"Host": f"{self.api_id}.execute-api.localhost:{port}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.endpoint}/{self.stage}{path}", headers=headers, timeout=30, **kwargs)


def deployed_from(endpoint: str, output: str) -> Deployed:
    m = _URL.search(output)
    assert m, f"deploy.sh printed no /restapis/{{id}}/{{stage}}/_user_request_/ URL:\n{output}"
    api_id, stage = m.groups()
    port = urlsplit(endpoint).port
    assert f"http://{api_id}.execute-api.localhost:{port}/{stage}/" in output, output
    return Deployed(endpoint, api_id, stage, output)


def have_node() -> bool:
    return shutil.which("node") is not None
