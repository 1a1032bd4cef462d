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
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import orjson

from pocketcloud.functions import logs
from pocketcloud.functions.spec import FunctionSpec, InvokeResult

logger = logging.getLogger(__name__)

_HEADER = struct.Struct(">II")  # a frame's header: len(meta), len(payload); see encode_frame
# Read size per recv: a recv of 1 MB costs ~27 µs more than one of 64 KB (the buffer is mmap'ed and unmapped
# every call), and frames are small; a big payload just takes several reads.
_RECV_BYTES = 65536
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


class NotStarted(Exception):
    """An invoke queued on a worker behind another (WorkerPool's pipelining) whose worker stopped before its turn:
    the runtime never started it, so it may run elsewhere."""


def encode_frame(meta: dict, payload: bytes = b"") -> bytes:
    """A frame: 8-byte header (two big-endian uint32: the lengths of meta and payload), meta as a JSON object, then
    the payload's raw bytes (an event, a result document). The payload is never a string inside the JSON: escaping
    ~1 KB of event into the frame and reading it back out cost both sides more than the rest of the frame."""
    data = orjson.dumps(meta)
    return _HEADER.pack(len(data), len(payload)) + data + payload


def decode_meta(data: bytes) -> dict:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # what orjson refuses (lone surrogates from JSON.stringify ...) json may read
        return json.loads(data)


class Channel:
    """The pool's end of a worker's socket: frames out, frames in.

    Frames are read in the event loop's reader callback straight into a queue, one recv per wake-up, and a
    waiting invoke is woken through a plain future: no StreamReader, no task per read.
    """

    def __init__(self, sock: socket.socket, loop: asyncio.AbstractEventLoop) -> None:
        self._sock = sock
        self._loop = loop
        self._buffer: bytearray | None = None  # a frame that did not fit in one read, so far
        self._frames: deque[dict] = deque()
        self._waiter: asyncio.Future | None = None
        self._deadlines = _deadlines(loop)
        self._sending: asyncio.Future | None = None
        self.closed = False
        sock.setblocking(False)
        loop.add_reader(sock.fileno(), self._readable)

    def _readable(self) -> None:
        try:
            data = self._sock.recv(_RECV_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._stop_reading()
        elif self._buffer:  # the rest of a frame bigger than one read (a big result): appended, not re-copied
            self._buffer += data
            self._buffer = self._split(self._buffer)
        else:  # the usual case: one read holds one whole frame
            rest = self._split(data)
            if rest:
                self._buffer = bytearray(rest)
        if self._waiter is not None and not self._waiter.done() and (self._frames or self.closed):
            self._waiter.set_result(None)

    def _split(self, buffer: bytes | bytearray) -> bytes | bytearray:
        """Queue the whole frames at the start of `buffer`; return what is left of it."""
        start = 0
        size = len(buffer)
        while size - start >= 8:
            meta_len, payload_len = _HEADER.unpack_from(buffer, start)
            at = start + 8 + meta_len
            end = at + payload_len
            if size < end:
                break
            msg = decode_meta(buffer[start + 8:at])
            msg["payload"] = bytes(buffer[at:end])
            self._frames.append(msg)
            start = end
        return buffer[start:] if start else buffer

    def _stop_reading(self) -> None:
        if not self.closed:
            self.closed = True
            self._loop.remove_reader(self._sock.fileno())

    def send(self, data: bytes) -> None:
        try:
            sent = self._sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            return  # the worker is gone: the next read says so
        if sent < len(data):  # more than the socket buffer holds (a big payload): the rest in the background
            self._sending = self._loop.create_task(self._send_rest(data[sent:]))

    async def _send_rest(self, data: bytes) -> None:
        try:
            await self._loop.sock_sendall(self._sock, data)
        except OSError:
            pass

    async def next(self, timeout: float) -> dict:
        """The next frame; WorkerDied when the worker closed its end, asyncio.TimeoutError after `timeout` s."""
        if not self._frames and not self.closed:
            self._waiter = waiter = self._loop.create_future()
            deadlines = self._deadlines
            deadlines.add(waiter, self._loop.time() + timeout)
            try:
                await waiter
            finally:
                deadlines.discard(waiter)
                self._waiter = None
        if self._frames:
            return self._frames.popleft()
        raise WorkerDied()

    def close(self) -> None:
        self._stop_reading()
        if self._sending is not None:
            self._sending.cancel()
        self._sock.close()
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


def _time_out(waiter: asyncio.Future) -> None:
    if not waiter.done():
        waiter.set_exception(asyncio.TimeoutError())


class _Deadlines:
    """The time limits of every channel waiting for a frame on one event loop, behind a single timer set for the
    earliest. A timer per wait cost the loop ~1.9 µs per invoke (uvloop starts a libuv timer and closes its handle
    for each); here a wait costs a dict entry, and the timer, set for the earliest deadline known when it was
    set, fires about once per function timeout, times out the waits that are due and sets itself for the next."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: dict[asyncio.Future, float] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._at = float("inf")

    def add(self, waiter: asyncio.Future, deadline: float) -> None:
        self._waiting[waiter] = deadline
        if deadline < self._at:
            self._schedule(deadline)

    def discard(self, waiter: asyncio.Future) -> None:
        self._waiting.pop(waiter, None)  # the timer stays: when it fires it finds nothing due and rests

    def _schedule(self, at: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._at = at
        self._timer = self._loop.call_at(at, self._fire)

    def _fire(self) -> None:
        self._timer = None
        self._at = float("inf")
        now = self._loop.time()
        due = [waiter for waiter, deadline in self._waiting.items() if deadline <= now]
        for waiter in due:
            del self._waiting[waiter]
            _time_out(waiter)
        if self._waiting:
            self._schedule(min(self._waiting.values()))


_DEADLINES: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Deadlines]" = weakref.WeakKeyDictionary()


def _deadlines(loop: asyncio.AbstractEventLoop) -> _Deadlines:
    deadlines = _DEADLINES.get(loop)
    if deadlines is None:
        deadlines = _DEADLINES[loop] = _Deadlines(loop)
    return deadlines


def exit_reason(returncode: int | None) -> str:
    if returncode is None:
        return "Runtime exited without providing a reason"
    if returncode < 0:
        name = _SIGNAL_NAMES.get(-returncode, f"signal {-returncode}")
        return f"Runtime exited with error: signal: {name}"
    return f"Runtime exited with error: exit status {returncode}"


def max_memory_used_mb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            return _vm_hwm_mb(status.read())
    except OSError:
        return 0


def _vm_hwm_mb(status: bytes) -> int:
    at = status.find(b"VmHWM:")
    if at < 0:
        return 0
    try:
        return max(1, int(status[at + 6:status.index(b"kB", at)]) // 1024)
    except ValueError:
        return 0


class _PeakMemory:
    """A worker's peak RSS (VmHWM), read from its /proc status through a descriptor kept open: one pread per
    invoke instead of open + read + close."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        try:
            self._fd = os.open(f"/proc/{pid}/status", os.O_RDONLY)
        except OSError:
            self._fd = -1

    def read_mb(self) -> int:
        if self._fd < 0:
            return max_memory_used_mb(self.pid)
        try:
            return _vm_hwm_mb(os.pread(self._fd, 8192, 0))
        except OSError:
            return 0

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


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
        self._channel: Channel | None = None
        self._collector: logs.LogCollector | None = None
        self._memory: _PeakMemory | None = None
        self._peak_memory_mb = 0
        # Invokes sent and not answered yet. More than one when the pool queues invokes behind the running one
        # (pipelining, functions/pool.py): the runtime takes them in the order sent, and each reads its result
        # in that order, numbered: `_sent` is the last number given, `_answered` the last one read.
        self.inflight = 0
        self._sent = 0
        self._answered = 0
        self._turns: dict[int, asyncio.Future] = {}

    async def attach(self) -> None:
        loop = asyncio.get_running_loop()
        self._channel = Channel(self.process.channel, loop)
        self._collector = logs.LogCollector(self.process.log_fd, loop)
        self._memory = _PeakMemory(self.process.pid)

    def _memory_mb(self) -> int:
        return self._memory.read_mb() if self._memory is not None else max_memory_used_mb(self.process.pid)

    def send_invoke(self, payload: bytes, request_id: str, client_context: str | None) -> int:
        """Send an invoke to the runtime now; its number in this worker's order (for `invoke(sent=...)`). The pool
        sends one this way for an invoke still waiting in its queue, so the runtime finds it there when it sends
        the result of the one it is running."""
        spec = self.spec
        # "timeout_ms": the runtime starts the clock when it starts the invoke (later than now when it is queued
        # behind another); "deadline_ms" for the runtimes that read only that.
        invoke = {"t": "invoke", "id": request_id, "deadline_ms": int(time.time() * 1000) + spec.timeout * 1000,
                  "timeout_ms": spec.timeout * 1000, "arn": spec.arn}
        if client_context is not None:
            invoke["client_context"] = client_context
        self._channel.send(encode_frame(invoke, payload))
        self.inflight += 1
        self._sent += 1
        return self._sent

    async def invoke(self, payload: bytes, request_id: str, client_context: str | None,
                     started: float, *, sent: int = 0) -> tuple[InvokeResult, list[logs.LogLine]]:
        """Run one request; `started` is the pool's monotonic time when the invoke arrived. `sent`: its number if
        the pool sent it already (send_invoke). NotStarted: the worker stopped before the invoke's turn."""
        if not self.alive:
            raise NotStarted()
        spec = self.spec
        init_ms: float | None = None
        init_lines: list[logs.LogLine] = []
        extra: list[str] = []
        after: list[str] = []
        start_ts = logs.now_ms()
        handler_started = time.monotonic()
        duration_ms: float | None = None
        cpu_ms = None
        try:
            if not self.initialized:
                msg = await self._next(("ready", "init_error"), INIT_TIMEOUT_S + spec.timeout)
                init_ms = (time.monotonic() - started) * 1000
                if msg["t"] == "init_error":
                    init_lines, _ = logs.split_at(await self._take_lines("init"), "init")
                    await self.stop()
                    return self._finish(request_id, msg["payload"], "Unhandled", init_ms, init_lines,
                                        start_ts, 0.0, [])
                self.initialized = True
                # The runtime writes its "init" mark before it sends "ready": every init line is in the pipe.
                init_lines = logs.without_marks(await self._take_lines("init"))
                handler_started = time.monotonic()
            channel = self._channel
            number = sent or self.send_invoke(payload, request_id, client_context)
            if number != self._answered + 1:  # queued behind another invoke: its result (and lines) come first
                await self._turn(number)
                handler_started = time.monotonic()
                start_ts = logs.now_ms()
            try:
                msg = await channel.next(spec.timeout)
            finally:
                self.inflight -= 1
                self._answered = number
            if msg.get("t") != "result":  # (nothing else is sent during an invoke today)
                msg = await self._next(("result",), spec.timeout - (time.monotonic() - handler_started))
            # Times in whole µs: formatting floats was a visible part of the runtime's cost per invoke.
            duration_us = msg.get("us")
            duration_ms = (duration_us / 1000 if isinstance(duration_us, int)
                           else (time.monotonic() - handler_started) * 1000)
            # Every line the invoke wrote is in the pipe before its result leaves (both runtimes write their log
            # pipe synchronously); "unread" 0: nothing to read, skip the read.
            body = logs.without_marks(self._collector.take_all(read=msg.get("unread", -1) != 0))
            rss_kb = msg.get("rss_kb")  # the runtime's own getrusage peak, which is /proc's VmHWM
            peak = max(1, rss_kb // 1024) if isinstance(rss_kb, int) and rss_kb > 0 else self._memory_mb()
            if peak > self._peak_memory_mb:
                self._peak_memory_mb = peak
            if msg.get("exit"):
                await self.stop()
            result_payload = msg["payload"]
            error = None if msg["ok"] else "Unhandled"
            cpu_us = msg.get("cpu_us")
            cpu_ms = cpu_us / 1000 if isinstance(cpu_us, int) else None
        except asyncio.TimeoutError:
            duration_ms = (time.monotonic() - handler_started) * 1000
            self._peak_memory_mb = max(self._peak_memory_mb, self._memory_mb())
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
        if extra or after:
            stamp = logs.now_ms()
            body = body + [(stamp, text) for text in extra]
        result, lines = self._finish(request_id, result_payload, error, init_ms, init_lines, start_ts,
                                     duration_ms, body)
        result.cpu_ms = cpu_ms
        if after:
            lines.extend((stamp, text) for text in after)
        if self._turns:  # the next invoke queued on this worker reads its result now
            turn = self._turns.pop(self._answered + 1, None)
            if turn is not None and not turn.done():
                turn.set_result(None)
        return result, lines

    async def _turn(self, number: int) -> None:
        """Wait until the invokes sent before invoke `number` have read their results; NotStarted if the worker
        stopped meanwhile (the runtime never started this one)."""
        turn = self._turns[number] = asyncio.get_running_loop().create_future()
        try:
            await turn
        except BaseException:
            # Cancelled: the runtime will run it anyway and nobody would read its result; the pool stops the
            # worker (the invokes ahead of it end with it).
            self._turns.pop(number, None)
            self.inflight -= 1
            raise
        if not self.alive:
            self.inflight -= 1
            raise NotStarted()

    def _finish(self, request_id: str, payload: bytes, error: str | None, init_ms: float | None,
                init_lines: list[logs.LogLine], start_ts: int, duration_ms: float,
                body: list[logs.LogLine]) -> tuple[InvokeResult, list[logs.LogLine]]:
        spec = self.spec
        end_ts = logs.now_ms()
        memory = self._peak_memory_mb or self._memory_mb()
        own = [(start_ts, logs.start_line(request_id, spec.version)), *body, (end_ts, logs.end_line(request_id)),
               (end_ts, logs.report_line(request_id, duration_ms, spec.memory_mb, memory, init_ms))]
        lines = init_lines + own if init_lines else own
        self.last_used = time.monotonic()
        result = InvokeResult(
            payload=payload, function_error=error, log_lines=own,
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
            msg = await self._channel.next(remaining)
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
        turns, self._turns = self._turns, {}
        for turn in turns.values():  # invokes queued behind the last one: never started (NotStarted)
            if not turn.done():
                turn.set_result(None)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self._channel is not None:
            self._channel.close()
        else:
            self.process.channel.close()
        if self._memory is not None:
            self._memory.close()  # every path that ends a worker comes here (not all of them call discard)
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
        if self._memory is not None:
            self._memory.close()

