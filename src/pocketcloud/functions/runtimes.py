"""Which Lambda runtime names run locally, and on which interpreter.

Follows https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html: every python* name runs on the
interpreter running pocketcloud (python2.7 too: its code must be Python 3 compatible), every nodejs* name on
the local `node`. Runtimes that need a JVM, .NET, a Go toolchain or a custom bootstrap are not run.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass

from pocketcloud.functions.errors import RuntimeNotInstalled, UnsupportedRuntime

_PYTHON = re.compile(r"^python[23](\.\d+)?$")
_NODE = re.compile(r"^nodejs(\d+(\.\d+)?(\.x)?)?$")
_UNSUPPORTED_FAMILIES = ("java", "dotnet", "go", "provided", "ruby")


@dataclass(frozen=True)
class Runtime:
    """A resolved runtime: `kind` is "python" or "node"; `executable` the interpreter that runs it."""

    name: str
    kind: str
    executable: str

    @property
    def execution_env(self) -> str:
        # AWS_EXECUTION_ENV as Lambda sets it, e.g. AWS_Lambda_python3.12, AWS_Lambda_nodejs20.x.
        return f"AWS_Lambda_{self.name}"


def check_runtime(runtime: str) -> None:
    """Raise UnsupportedRuntime or RuntimeNotInstalled unless `runtime` can run on this machine."""
    resolve_runtime(runtime)


def resolve_runtime(runtime: str) -> Runtime:
    if _PYTHON.match(runtime):
        return Runtime(runtime, "python", sys.executable)
    if _NODE.match(runtime):
        node = shutil.which("node")
        if node is None:
            raise RuntimeNotInstalled(
                f"Runtime {runtime} needs Node.js, which is not installed: install `node` "
                "(https://nodejs.org, or e.g. `apt-get install nodejs npm`) and make sure it is on PATH"
            )
        return Runtime(runtime, "node", node)
    family = next((f for f in _UNSUPPORTED_FAMILIES if runtime.startswith(f)), None)
    if family is not None:
        raise UnsupportedRuntime(
            f"Runtime {runtime} is not supported by pocketcloud: functions run as local processes and only "
            "python* (on this Python 3) and nodejs* (on the local node) runtimes are available"
        )
    raise UnsupportedRuntime(
        f"Unknown runtime {runtime!r}: pocketcloud runs python* (e.g. python3.12) and nodejs* "
        "(e.g. nodejs20.x) functions"
    )
