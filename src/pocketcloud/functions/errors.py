"""Errors raised by the function-execution engine (never by user code: user errors are InvokeResults)."""

from __future__ import annotations


class FunctionsError(Exception):
    """Base of every error `pocketcloud.functions` raises."""


class UnsupportedRuntime(FunctionsError):
    """The runtime name is one pocketcloud cannot run locally (java*, dotnet*, go1.x, provided*, ruby*...)."""


class RuntimeNotInstalled(FunctionsError):
    """The runtime is supported but its interpreter (e.g. `node`) is not on this machine."""


class NodeDependenciesError(FunctionsError):
    """Installing the Node.js runtime libraries (aws-sdk, dynamodb-doc, ...) with npm failed."""


class WorkerStartError(FunctionsError):
    """A runtime process (Python zygote, Node.js process) could not be started."""


class PoolClosed(FunctionsError):
    """The worker pool was closed; no more invokes are accepted."""
