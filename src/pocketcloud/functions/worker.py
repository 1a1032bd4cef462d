"""One function instance as the pool sees it: a runtime process running one request at a time.

Emulates Lambda's execution environment lifecycle (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html):
init on the first invoke, warm reuse after it, and the platform's answers when the function times out
or its runtime exits ("Task timed out after 3.00 seconds", Runtime.ExitError).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import socket
import struct
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pocketcloud.functions import logs
from pocketcloud.functions.spec import FunctionSpec, InvokeResult

logger = logging.getLogger(__name__)

_FRAME = struct.Struct(">I")
# AWS gives a function's init phase up to 10 s on top of nothing; here init may also use the function timeout.
INIT_TIMEOUT_S = 10.0
# How long to wait for the last log lines / the exit status of a worker that just ended.
DRAIN_TIMEOUT_S = 1.0

# Go's names for signals, as the Lambda platform words "Runtime exited with error: signal: killed".
_SIGNAL_NAMES = {
    signal.SIGKILL: "killed", signal.SIGSEGV: "segmentation fault", signal.SIGABRT: "aborted",
    signal.SIGTERM: "terminated", signal.SIGBUS: "bus error", signal.SIGILL: "illegal instruction",
    signal.SIGFPE: "floating point exception", signal.SIGINT: "interrupt", signal.SIGHUP: "hangup",
    signal.SIGPIPE: "broken pipe", signal.SIGQUIT: "quit",
}


@dataclass
class WorkerProcess:
    """The OS side of a worker: its pid, channel and log pipe, and how to learn how it ended."""

    pid: int
    channel: socket.socket
    log_fd: int
    # Resolves to a returncode (>= 0 exit status, < 0 minus the signal number), or None if unknown in time.
    exit_status: Callable[[float], Awaitable[int | None]]


class WorkerDied(Exception):
    pass


def encode_frame(msg: dict) -> bytes:
    data = json.dumps(msg).encode()
    return _FRAME.pack(len(data)) + data


async def read_frame(reader: asyncio.StreamReader) -> dict:
    try:
        header = await reader.readexactly(4)
        return json.loads(await reader.readexactly(_FRAME.unpack(header)[0]))
    except (asyncio.IncompleteReadError, ConnectionError) as e:
        raise WorkerDied() from e


def exit_reason(returncode: int | None) -> str:
    if returncode is None:
        return "Runtime exited without providing a reason"
    if returncode < 0:
        name = _SIGNAL_NAMES.get(-returncode, f"signal {-returncode}")
        return f"Runtime exited with error: signal: {name}"
    return f"Runtime exited with error: exit status {returncode}"


def max_memory_used_mb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return max(1, int(line.split()[1]) // 1024)
    except (OSError, ValueError):
        pass
    return 0


class Worker:
    """Pool-side handle of one runtime process; not safe for two invokes at once (the pool guarantees that)."""

    def __init__(self, spec: FunctionSpec, process: WorkerProcess, log_stream: str, tmpdir: str,
                 generation: int) -> None:
        self.spec = spec
        self.process = process
        self.log_stream = log_stream
        self.tmpdir = tmpdir
        self.generation = generation
        self.initialized = False
        self.alive = True
        self.last_used = time.monotonic()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._collector: logs.LogCollector | None = None
        self._peak_memory_mb = 0

    async def attach(self) -> None:
        loop = asyncio.get_running_loop()
        self._reader, self._writer = await asyncio.open_unix_connection(sock=self.process.channel)
        log_reader = asyncio.StreamReader(limit=logs.MAX_LINE_BYTES * 4)
        await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(log_reader), os.fdopen(self.process.log_fd, "rb", 0)
        )
        self._collector = logs.LogCollector(log_reader)

    async def invoke(self, payload: bytes, request_id: str, client_context: str | None,
                     started: float) -> tuple[InvokeResult, list[logs.LogLine]]:
        """Run one request; `started` is the pool's monotonic time when the invoke arrived."""
        spec = self.spec
        init_ms: float | None = None
        init_lines: list[logs.LogLine] = []
        extra: list[str] = []
        after: list[str] = []
        start_ts = logs.now_ms()
        handler_started = time.monotonic()
        duration_ms: float | None = None
        try:
            if not self.initialized:
                msg = await self._next(("ready", "init_error"), INIT_TIMEOUT_S + spec.timeout)
                init_ms = (time.monotonic() - started) * 1000
                if msg["t"] == "init_error":
                    init_lines, _ = logs.split_at(await self._take_lines("init"), "init")
                    await self.stop()
                    return self._finish(request_id, msg["payload"].encode(), "Unhandled", init_ms, init_lines,
                                        start_ts, 0.0, [])
                self.initialized = True
                init_lines = logs.without_marks(self._collector.take_until("init"))
            handler_started = time.monotonic()
            deadline_ms = int(time.time() * 1000) + spec.timeout * 1000
            self._writer.write(encode_frame({
                "t": "invoke", "id": request_id, "payload": payload.decode("utf-8", "replace"),
                "deadline_ms": deadline_ms, "client_context": client_context, "arn": spec.arn,
            }))
            remaining = spec.timeout - (time.monotonic() - handler_started)
            msg = await self._next(("result",), remaining)
            duration_ms = float(msg.get("duration_ms") or (time.monotonic() - handler_started) * 1000)
            body = logs.without_marks(await self._take_lines(request_id))
            self._peak_memory_mb = max(self._peak_memory_mb, max_memory_used_mb(self.process.pid))
            if msg.get("exit"):
                await self.stop()
            result_payload = msg["payload"].encode()
            error = None if msg["ok"] else "Unhandled"
        except asyncio.TimeoutError:
            duration_ms = (time.monotonic() - handler_started) * 1000
            self._peak_memory_mb = max(self._peak_memory_mb, max_memory_used_mb(self.process.pid))
            await self.stop()
            body = logs.without_marks(self._collector.take_until(None))
            line = logs.timeout_line(request_id, spec.timeout)
            after.append(line)
            result_payload = json.dumps({"errorMessage": line}).encode()
            error = "Unhandled"
        except WorkerDied:
            duration_ms = (time.monotonic() - handler_started) * 1000
            returncode = await self.process.exit_status(DRAIN_TIMEOUT_S)
            await self.stop()
            await self._collector.wait_closed(DRAIN_TIMEOUT_S)
            body = logs.without_marks(self._collector.take_until(None))
            message = f"RequestId: {request_id} Error: {exit_reason(returncode)}"
            extra.append(f"{message}\nRuntime.ExitError")
            result_payload = json.dumps({"errorType": "Runtime.ExitError", "errorMessage": message}).encode()
            error = "Unhandled"
        stamp = logs.now_ms()
        body = body + [(stamp, text) for text in extra]
        result, lines = self._finish(request_id, result_payload, error, init_ms, init_lines, start_ts,
                                     duration_ms, body)
        lines.extend((stamp, text) for text in after)
        return result, lines

    def _finish(self, request_id: str, payload: bytes, error: str | None, init_ms: float | None,
                init_lines: list[logs.LogLine], start_ts: int, duration_ms: float,
                body: list[logs.LogLine]) -> tuple[InvokeResult, list[logs.LogLine]]:
        spec = self.spec
        end_ts = logs.now_ms()
        memory = self._peak_memory_mb or max_memory_used_mb(self.process.pid)
        lines = init_lines + [(start_ts, logs.start_line(request_id, spec.version))] + body + [
            (end_ts, logs.end_line(request_id)),
            (end_ts, logs.report_line(request_id, duration_ms, spec.memory_mb, memory, init_ms)),
        ]
        self.last_used = time.monotonic()
        result = InvokeResult(
            payload=payload, function_error=error, log_tail=logs.log_tail(lines[len(init_lines):]),
            request_id=request_id, duration_ms=round(duration_ms, 2), billed_ms=logs.billed_ms(duration_ms),
            init_ms=None if init_ms is None else round(init_ms, 2), max_memory_mb=memory,
        )
        return result, lines

    async def _next(self, kinds: tuple[str, ...], timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise asyncio.TimeoutError()
            msg = await asyncio.wait_for(read_frame(self._reader), remaining)
            if msg.get("t") in kinds:
                return msg

    async def _take_lines(self, mark: str) -> list[logs.LogLine]:
        await self._collector.wait_mark(mark, DRAIN_TIMEOUT_S)
        return self._collector.take_until(mark)

    async def stop(self) -> None:
        """Kill the worker's process group, release its channel and private temp dir."""
        if not self.alive:
            return
        self.alive = False
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self._writer is not None:
            self._writer.close()
        else:
            self.process.channel.close()
        if self._collector is not None:
            await self._collector.wait_closed(DRAIN_TIMEOUT_S)
        shutil.rmtree(self.tmpdir, ignore_errors=True)

    def drain_lines(self) -> list[logs.LogLine]:
        """Lines the worker wrote outside any invoke and nobody took yet."""
        return [] if self._collector is None else logs.without_marks(self._collector.take_until(None))

    def discard(self) -> None:
        """Forget the worker's log reader (after stop, once its lines were taken)."""
        if self._collector is not None:
            self._collector.close()

