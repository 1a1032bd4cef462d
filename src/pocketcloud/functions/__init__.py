"""Running user code: the Lambda worker pool and its Python and Node.js runtimes (no containers).

The Lambda API layer builds a `FunctionSpec`, calls `WorkerPool.invoke`, and gets an `InvokeResult`; see
docs/functions.md for what a function sees and which isolation it gets.
"""

from pocketcloud.functions.errors import (
    FunctionsError,
    NodeDependenciesError,
    PoolClosed,
    RuntimeNotInstalled,
    UnsupportedRuntime,
    WorkerStartError,
)
from pocketcloud.functions.pool import WorkerPool
from pocketcloud.functions.runtimes import check_runtime
from pocketcloud.functions.spec import FunctionSpec, InvokeResult

__all__ = [
    "FunctionSpec",
    "FunctionsError",
    "InvokeResult",
    "NodeDependenciesError",
    "PoolClosed",
    "RuntimeNotInstalled",
    "UnsupportedRuntime",
    "WorkerPool",
    "WorkerStartError",
    "check_runtime",
]
