"""What the worker pool is told about a function, and what one invoke returns.

Follows https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html (the response) and
https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html (what a function sees).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class FunctionSpec:
    """One function version as the Lambda API layer resolved it; `code_dir` holds the unpacked code."""

    name: str
    arn: str
    version: str
    runtime: str
    handler: str
    code_dir: Path
    code_sha256: str
    timeout: int = 3
    memory_mb: int = 128
    environment: dict[str, str] = field(default_factory=dict)
    region: str = "us-east-1"
    account_id: str = "000000000000"
    log_group: str = ""
    pool_key: tuple[object, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        if not self.log_group:
            object.__setattr__(self, "log_group", f"/aws/lambda/{self.name}")
        # Warm workers are shared only between invokes of the same code and configuration: the pool's key for
        # them, made once (the pool reads it several times per invoke).
        object.__setattr__(self, "pool_key", (
            self.name,
            self.version,
            self.code_sha256,
            self.runtime,
            self.handler,
            str(self.code_dir),
            self.timeout,
            self.memory_mb,
            tuple(sorted(self.environment.items())),
            self.region,
        ))


@dataclass
class InvokeResult:
    """The outcome of one invoke: `function_error` is "Unhandled" when `payload` is an error document."""

    payload: bytes
    function_error: str | None
    log_lines: list[tuple[int, str]]  # the invoke's log events, START to REPORT
    request_id: str
    duration_ms: float
    billed_ms: int
    init_ms: float | None
    max_memory_mb: int
    # The worker's CPU time for this invoke (frame in, handler, result out), when the runtime reports it (Python does).
    cpu_ms: float | None = None

    @property
    def log_tail(self) -> str:
        """The last 4 KB of the invoke's log text (Invoke with LogType=Tail), made only when asked for."""
        from pocketcloud.functions.logs import log_tail

        return log_tail(self.log_lines)
