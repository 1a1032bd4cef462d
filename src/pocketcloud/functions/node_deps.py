"""Installs the libraries AWS's Node.js runtimes had preinstalled (aws-sdk v2, the v3 DynamoDB client,
dynamodb-doc) into pocketcloud's Node runtime directory with npm, from the pinned package.json and
package-lock.json shipped in `functions/node/`.

`python -m pocketcloud.functions.node_deps` installs them (if missing) and prints progress; the worker pool
calls the same installer on the first Node.js invoke. The directory is `~/.cache/pocketcloud/node-runtime`
unless POCKETCLOUD_NODE_RUNTIME_DIR names another.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pocketcloud.functions.errors import NodeDependenciesError

logger = logging.getLogger(__name__)

NODE_DIR = Path(__file__).parent / "node"
_MANIFESTS = ("package.json", "package-lock.json")
_STAMP = ".pocketcloud-installed"
INSTALL_TIMEOUT_S = 600


def default_runtime_dir() -> Path:
    configured = os.environ.get("POCKETCLOUD_NODE_RUNTIME_DIR")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "pocketcloud" / "node-runtime"


def _manifest_digest() -> str:
    digest = hashlib.sha256()
    for name in _MANIFESTS:
        digest.update((NODE_DIR / name).read_bytes())
    return digest.hexdigest()


def is_installed(runtime_dir: Path) -> bool:
    stamp = runtime_dir / _STAMP
    return stamp.is_file() and stamp.read_text().strip() == _manifest_digest()


def ensure_installed(runtime_dir: Path | None = None, progress: Callable[[str], None] | None = None) -> Path:
    """Install the Node runtime libraries into `runtime_dir` unless the same pinned set is there; return it.

    Safe to call from several processes at once (a file lock serializes them).
    """
    runtime_dir = (runtime_dir or default_runtime_dir()).expanduser()
    if is_installed(runtime_dir):
        return runtime_dir
    say = progress or (lambda text: logger.info("%s", text))
    runtime_dir.mkdir(parents=True, exist_ok=True)
    with open(runtime_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_installed(runtime_dir):
            return runtime_dir
        npm = shutil.which("npm")
        if npm is None:
            raise NodeDependenciesError(
                "npm is not installed: it is needed once to install aws-sdk and dynamodb-doc for Node.js "
                "functions (install Node.js with npm, e.g. `apt-get install nodejs npm`)"
            )
        for name in _MANIFESTS:
            shutil.copyfile(NODE_DIR / name, runtime_dir / name)
        say(f"Installing Node.js runtime libraries (aws-sdk, @aws-sdk/client-dynamodb, dynamodb-doc) into {runtime_dir} ...")
        command = [npm, "ci", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"]
        try:
            done = subprocess.run(
                command, cwd=runtime_dir, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as e:
            raise NodeDependenciesError(f"`npm ci` in {runtime_dir} did not finish in {INSTALL_TIMEOUT_S} s") from e
        if done.returncode != 0:
            raise NodeDependenciesError(
                f"`npm ci` in {runtime_dir} failed with exit status {done.returncode}: {done.stderr.strip()[-2000:]}"
            )
        (runtime_dir / _STAMP).write_text(_manifest_digest())
        say(f"Node.js runtime libraries installed in {runtime_dir}")
    return runtime_dir


def main() -> int:
    runtime_dir = default_runtime_dir()
    if is_installed(runtime_dir):
        print(f"Node.js runtime libraries already installed in {runtime_dir}")
        return 0
    try:
        ensure_installed(runtime_dir, progress=print)
    except NodeDependenciesError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
