"""The worker pool: runs invokes on warm function instances, starts more on demand, stops idle ones.

Follows Lambda's execution environment model (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html):
one request at a time per instance, instances reused while the code and configuration stay the same, new ones
started for concurrent requests, scale to zero when idle.

One liberty with "a new instance for every concurrent request": when a function's invokes are short and enough
of its instances are already busy, an invoke may wait for one of them to come free before a new one is started
(see WorkerPool._acquire). On a laptop's few cores, more processes than the work needs only add context switches
and memory; a warm instance answering a few ms later beats a cold start (and a handler that builds boto3 clients
at import spends ~50-100 ms of CPU on one).
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable
from pathlib import Path

from pocketcloud.functions import logs, node_deps
from pocketcloud.functions.errors import NodeDependenciesError, PoolClosed
from pocketcloud.functions.launchers import NODE_DIR, PYTHON_DIR, NodeSpares, PythonZygote
from pocketcloud.functions.runtimes import Runtime, resolve_runtime
from pocketcloud.functions.spec import FunctionSpec, InvokeResult
from pocketcloud.functions.worker import NotStarted, Worker

logger = logging.getLogger(__name__)

LogSink = Callable[[FunctionSpec, str, list[logs.LogLine]], None]
# Heap a worker may use beyond its MemorySize before allocations fail (RLIMIT_DATA): the local runtimes carry
# more than AWS's (boto3 preloaded in every Python worker, V8's own heap in Node.js).
MEMORY_HEADROOM_MB = 512
# Scheduling of short invokes (WorkerPool._acquire): when enough of a function's workers are busy, its handlers
# typically take at most SHORT_INVOKE_S, and one of them should come free within QUEUE_WAIT_S given the invokes
# already waiting, an invoke waits for it. One that waited PATIENCE_S in vain starts a worker — one start at a
# time. Longer invokes never wait: AWS scales them out.
# "Enough": BUSY_BEFORE_WAITING (the cores) for handlers that use the CPU for a while, TINY_BUSY_BEFORE_WAITING for
# handlers under TINY_INVOKE_S, whose worker is mostly waiting on the round trip (the server's queue, the wake-up
# of the process), not computing: more of them in flight keeps the event loop busy instead of idle.
# Measured in-process at 32 concurrent invokes (bench/apigateway_profile.py, 2 cores): a no-op function with 2 /
# 4 / 8 / 16 busy workers before waiting: 5.6-6.7k / 8.2-8.9k / 8.7-9.2k / 9.2-9.7k invokes/s (9 workers at 8,
# 17 at 16); a boto3 PutItem function with QUEUE_WAIT_S 5 ms -> 50 ms: 33 -> 6 workers, 956 -> 1,172 invokes/s
# (each boto3 call cost 1.7 ms of worker CPU among 33 processes, 1.1 ms among 6).
SHORT_INVOKE_S = 0.02
TINY_INVOKE_S = 0.001
QUEUE_WAIT_S = 0.05
PATIENCE_S = 0.2
BUSY_BEFORE_WAITING = max(2, os.cpu_count() or 2)
TINY_BUSY_BEFORE_WAITING = 4 * BUSY_BEFORE_WAITING
# An invoke of a function whose SATURATED_BUSY workers are busy with handlers computing for over TINY_INVOKE_S
# (CPU time, as the Python runtime reports it) waits for one of them rather than starting a worker, and queued
# ones start none before MAX_PATIENCE_S: with the cores busy, one more process only shares them. Handlers that
# mostly wait (on I/O, or on this server's own answers) still scale out, as on AWS.
SATURATED_BUSY = 2 * BUSY_BEFORE_WAITING
MAX_PATIENCE_S = 2.0
# Pipelining. An invoke of a function whose invokes take under TINY_INVOKE_S, when it would wait for a busy
# instance (worth_waiting), is sent at once to an instance running one invoke, behind it (PIPELINE_DEPTH in all):
# the runtime finds it in its socket when it sends the result of the one it runs, instead of sleeping until the
# server hands it the next (two wake-ups per invoke, costly on a virtual machine's cores). Invokes still start in
# arrival order, one at a time per instance, as on Lambda (both runtimes queue what arrives behind the running
# one). Only for functions whose last QUIET_BEFORE_PIPELINING invokes wrote no log line of their own: the pool
# tells an invoke's lines from the next one's by when they come (worker.py), which an invoke started right behind
# another could blur; a function that logs is not pipelined again while its demand lasts.
PIPELINE_DEPTH = 2
QUIET_BEFORE_PIPELINING = 64
_EWMA = 0.2  # weight of the newest invoke in a function's typical duration

DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAPOCKETCLOUDLOCAL",
    "AWS_SECRET_ACCESS_KEY": "pocketcloud-local-secret-access-key",
    "AWS_SESSION_TOKEN": "pocketcloud-local-session-token",
}


_START_RESERVED = object()


class _Sent:
    """What a waiting invoke is handed when WorkerPool._fill sent it to `worker` behind the invoke running there:
    its `number` in the worker's order (Worker.invoke(sent=...))."""

    __slots__ = ("worker", "number")

    def __init__(self, worker: Worker, number: int) -> None:
        self.worker = worker
        self.number = number


class _Demand:
    """Per pool key: how many of its workers are running an invoke, how long its warm invokes take, and the
    invokes waiting for one of its workers: (future, patience deadline) in arrival order, each future resolved
    with a worker, or None / _START_RESERVED: start your own. One patience timer per key, for the oldest waiter
    (a timer per waiter cost ~10 µs of the event loop per queued invoke)."""

    __slots__ = ("busy", "starting", "typical_s", "typical_cpu_s", "waiters", "patience", "quiet", "workers")

    def __init__(self) -> None:
        self.busy = 0
        self.starting = 0
        self.quiet = 0  # invokes in a row that wrote no log line (-1: one did; never pipelined)
        self.workers: list[Worker] = []  # this key's live workers (for pipelining)
        # The handler's own duration as the runtime measured it: the time a worker is really taken. (The round
        # trip also holds the server's own queueing, which more workers would not shorten.)
        self.typical_s: float | None = None
        self.typical_cpu_s: float | None = None  # how much of it the handler computes (runtimes that say)
        # Invokes waiting for a worker: (future, patience deadline, (payload, request id, client context)).
        self.waiters: deque[tuple[asyncio.Future, float, tuple[bytes, str, str | None]]] = deque()
        self.patience: asyncio.TimerHandle | None = None

    def observe(self, duration_s: float, cpu_s: float | None = None) -> None:
        typical = self.typical_s
        self.typical_s = duration_s if typical is None else typical + _EWMA * (duration_s - typical)
        if cpu_s is not None:
            typical = self.typical_cpu_s
            self.typical_cpu_s = cpu_s if typical is None else typical + _EWMA * (cpu_s - typical)

    def saturated(self) -> bool:
        """Whether this function's busy workers are enough to keep the cores busy: SATURATED_BUSY of them, with
        handlers that compute for over TINY_INVOKE_S (CPU time as the runtime measures it: a handler waiting on
        I/O, the server's own answers included, is not computing, and such functions scale out)."""
        cpu = self.typical_cpu_s
        return cpu is not None and cpu > TINY_INVOKE_S and self.busy >= SATURATED_BUSY

    def heard(self, lines: int) -> None:
        """A warm invoke ended having written `lines` log lines of its own."""
        if lines:
            self.quiet = -1
        elif self.quiet >= 0:
            self.quiet += 1

    def pipelined(self) -> bool:
        """Whether invokes are queued behind busy workers' running ones (see PIPELINE_DEPTH)."""
        typical = self.typical_s
        return self.quiet >= QUIET_BEFORE_PIPELINING and typical is not None and typical <= TINY_INVOKE_S

    def worth_waiting(self) -> bool:
        """Whether a worker of this function is likely to come free within QUEUE_WAIT_S."""
        typical = self.typical_s
        if typical is None or typical > SHORT_INVOKE_S:
            return False
        enough = TINY_BUSY_BEFORE_WAITING if typical <= TINY_INVOKE_S else BUSY_BEFORE_WAITING
        return self.busy >= enough and typical * (len(self.waiters) + 1) / self.busy <= QUEUE_WAIT_S


def _oldest_waiting(
        waiters: deque[tuple[asyncio.Future, float, tuple]]) -> tuple[asyncio.Future, float, tuple] | None:
    """The longest-waiting invoke still waiting (those cancelled meanwhile are dropped), or None."""
    while waiters and waiters[0][0].done():
        waiters.popleft()
    return waiters[0] if waiters else None


def _next_waiting(
        waiters: deque[tuple[asyncio.Future, float, tuple]]) -> tuple[asyncio.Future, float, tuple] | None:
    """The longest-waiting invoke still waiting, taken off the queue; or None."""
    oldest = _oldest_waiting(waiters)
    if oldest is not None:
        waiters.popleft()
    return oldest


class WorkerPool:
    def __init__(self, *, endpoint_url: str, log_sink: LogSink, idle_timeout: float = 300,
                 runtime_dir: Path | None = None) -> None:
        self.endpoint_url = endpoint_url
        self.log_sink = log_sink
        self.idle_timeout = idle_timeout
        self.node_runtime_dir = (runtime_dir or node_deps.default_runtime_dir()).expanduser()
        self._idle: dict[tuple[object, ...], list[Worker]] = {}
        self._demand: dict[tuple[object, ...], _Demand] = {}
        self._workers: set[Worker] = set()
        self._in_flight: dict[str, int] = {}  # function name -> invokes running or waiting
        self._generation: Counter[str] = Counter()
        self._zygotes: dict[str, PythonZygote] = {}
        self._node: dict[str, NodeSpares] = {}
        self._node_deps_checked = False
        self._node_deps_lock: asyncio.Lock | None = None
        self._reaper: asyncio.Task | None = None
        self._last_activity = time.monotonic()
        self._closed = False
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop invokes run on (known once one waited)

    # ------------------------------------------------------------------ public interface

    async def invoke(self, spec: FunctionSpec, payload: bytes, *, request_id: str,
                     client_context: str | None = None) -> InvokeResult:
        """Run one request; user-code failures come back as an InvokeResult with function_error "Unhandled"."""
        if self._closed:
            raise PoolClosed("The worker pool is closed")
        started = time.monotonic()
        self._last_activity = started
        name = spec.name
        in_flight = self._in_flight
        in_flight[name] = in_flight.get(name, 0) + 1
        reaper = self._reaper
        if reaper is None or reaper.done():
            self._ensure_reaper()
        worker: Worker | None = None
        demand = self._demand.get(spec.pool_key)
        if demand is None:
            demand = self._demand[spec.pool_key] = _Demand()
        try:
            while True:
                acquired = await self._acquire(spec, demand, (payload, request_id, client_context))
                if isinstance(acquired, _Sent):  # sent already, behind the invoke running on it
                    worker, sent = acquired.worker, acquired.number
                else:
                    worker, sent = acquired, 0
                warm = worker.initialized
                try:
                    result, lines = await worker.invoke(payload, request_id, client_context, started, sent=sent)
                    break
                except NotStarted:  # queued behind an invoke that ended its worker: it never ran; again
                    worker = None
                    if self._closed:
                        raise PoolClosed("The worker pool is closed") from None
                finally:
                    demand.busy -= 1
            if warm:
                demand.observe(result.duration_ms / 1000, None if result.cpu_ms is None else result.cpu_ms / 1000)
                demand.heard(len(result.log_lines) - 3)  # (beyond START, END and REPORT)
        except BaseException:
            if worker is not None:
                # Cancelled mid-invoke: the worker's state is unknown, so it cannot be reused.
                await self._abandon(worker, demand)
            raise
        finally:
            left = in_flight[name] - 1
            if left > 0:
                in_flight[name] = left
            else:
                del in_flight[name]
        self._emit(spec, worker.log_stream, lines)
        await self._release(worker)
        return result

    def in_flight(self, function_name: str) -> int:
        return self._in_flight.get(function_name, 0)

    async def drop(self, function_name: str) -> None:
        """Stop the function's idle workers now; busy ones stop when their current invoke returns."""
        self._generation[function_name] += 1
        for key in [k for k in self._idle if k[0] == function_name]:
            for worker in self._idle.pop(key):
                await self._stop(worker)

    async def prewarm(self, runtimes: tuple[str, ...] = ("python3.12", "nodejs20.x")) -> None:
        """Start the runtime processes (Python zygote, spare Node.js) before the first invoke needs them."""
        for name in runtimes:
            runtime = resolve_runtime(name)
            if runtime.kind == "python":
                await self._zygote(runtime).start()
            else:
                await self._ensure_node_deps()
                self._spares(runtime).prewarm()

    async def close(self) -> None:
        self._closed = True
        if self._reaper is not None:
            self._reaper.cancel()
        for demand in self._demand.values():
            if demand.patience is not None:
                demand.patience.cancel()
                demand.patience = None
            while demand.waiters:
                waiter = demand.waiters.popleft()[0]
                if not waiter.done():
                    waiter.set_exception(PoolClosed("The worker pool is closed"))
        for worker in list(self._workers):
            await self._stop(worker)
        self._idle.clear()
        zygotes, self._zygotes = self._zygotes, {}
        node, self._node = self._node, {}
        for zygote in zygotes.values():
            await zygote.close()
        for spares in node.values():
            await spares.close()

    # ------------------------------------------------------------------ workers

    def _take_idle(self, spec: FunctionSpec) -> Worker | None:
        idle = self._idle.get(spec.pool_key)
        while idle:
            worker = idle.pop()
            if worker.alive:
                return worker
            self._forget(worker)
        return None

    async def _acquire(self, spec: FunctionSpec, demand: _Demand,
                       invoke: tuple[bytes, str, str | None]) -> Worker | _Sent:
        """An idle warm worker, else (short invokes, enough workers busy) the next one to come free or a place
        behind a running invoke (_Sent: the invoke was sent for us), else a new worker."""
        worker = self._take_idle(spec)
        if worker is not None:
            demand.busy += 1  # from here until its invoke ends (a worker handed over is counted by _wake_one)
            return worker
        reserved = False
        if demand.worth_waiting() or demand.saturated():
            handed = await self._wait_for_worker(demand, invoke)
            if isinstance(handed, (Worker, _Sent)):
                return handed
            reserved = handed is _START_RESERVED
        demand.busy += 1  # the worker being started counts as busy
        if not reserved:
            demand.starting += 1
        try:
            # Only now: for Node.js it looks for `node` on PATH (a stat per directory), not something to do for
            # every invoke that waits for a busy worker.
            return await self._start_worker(spec, resolve_runtime(spec.runtime))
        except BaseException:
            demand.busy -= 1
            raise
        finally:
            demand.starting -= 1

    async def _wait_for_worker(self, demand: _Demand,
                               invoke: tuple[bytes, str, str | None]) -> Worker | _Sent | object | None:
        """A worker handed over by _release; or None (start one) or _START_RESERVED (start one, already counted
        in demand.starting: the waiters whose patience runs out in the same instant must not all start one)."""
        loop = self._loop
        if loop is None or loop.is_closed():  # (get_running_loop() is a getpid() system call each time)
            loop = self._loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        demand.waiters.append((waiter, time.monotonic() + PATIENCE_S, invoke))
        if demand.patience is None:
            demand.patience = loop.call_later(PATIENCE_S, self._lose_patience, demand)
        if demand.pipelined():
            self._fill(demand)  # (which may send this very invoke: then the await below does not wait)
        try:
            return await waiter
        except asyncio.CancelledError:
            handed = None if waiter.cancelled() or waiter.exception() is not None else waiter.result()
            if isinstance(handed, _Sent):
                # Sent for us behind a running invoke: the runtime will run it and nobody would read its result,
                # so the worker cannot go on (the invoke ahead of ours ends with it).
                demand.busy -= 1
                await self._abandon(handed.worker, demand)
            elif isinstance(handed, Worker):
                demand.busy -= 1
                await self._release(handed)  # handed to us just as we were cancelled: pass it on
            elif handed is _START_RESERVED:
                demand.starting -= 1
            raise
        # (a waiter cancelled while queued stays in the deque, done: whoever pops it skips it)

    def _lose_patience(self, demand: _Demand) -> None:
        """The oldest waiters that waited PATIENCE_S in vain start a worker — one start at a time while invokes
        are queued, or a burst would start one per waiter, each slowing the others down (and the busy ones)."""
        demand.patience = None
        oldest = _oldest_waiting(demand.waiters)
        if oldest is None:
            return
        now = time.monotonic()
        waiter, deadline, _ = oldest
        delay = deadline - now
        if delay <= 0:
            if demand.starting:
                delay = PATIENCE_S  # a worker is being started already: look again later
            elif demand.saturated() and now - deadline < MAX_PATIENCE_S - PATIENCE_S:
                # Handlers that compute, and workers enough to keep every core busy with them: one more would
                # only share the same cores (and cost a cold start). Look again later.
                delay = PATIENCE_S
            else:
                demand.waiters.popleft()
                demand.starting += 1
                waiter.set_result(_START_RESERVED)
                oldest = _oldest_waiting(demand.waiters)
                if oldest is None:
                    return
                delay = max(0.0, oldest[1] - now)
        demand.patience = self._loop.call_later(delay, self._lose_patience, demand)  # type: ignore[union-attr]

    def _fill(self, demand: _Demand, only: Worker | None = None) -> None:
        """Send the longest-waiting invokes to this function's warm workers (or to `only`) that run fewer than
        PIPELINE_DEPTH invokes: each is queued there behind the running one."""
        for worker in (demand.workers if only is None else (only,)):
            if only is None and not worker.inflight:
                continue  # idle (in the idle list) or handed over and not started yet: not a place behind
            while worker.inflight < PIPELINE_DEPTH and worker.alive and worker.initialized:
                oldest = _next_waiting(demand.waiters)
                if oldest is None:
                    return
                waiter, _, (payload, request_id, client_context) = oldest
                number = worker.send_invoke(payload, request_id, client_context)
                demand.busy += 1  # busy from the hand-over on, not from when the waiter resumes
                waiter.set_result(_Sent(worker, number))

    def _wake_one(self, demand: _Demand | None, worker: Worker | None) -> bool:
        """Hand `worker` (or None: "start your own") to the longest-waiting invoke; False if nobody waits."""
        oldest = None if demand is None else _next_waiting(demand.waiters)
        if oldest is None:
            return False
        if worker is not None:
            demand.busy += 1  # busy from the hand-over on, not from when the waiter resumes
        oldest[0].set_result(worker)
        return True

    async def _abandon(self, worker: Worker, demand: _Demand) -> None:
        """Stop a worker whose invoke was cancelled (its state is unknown); a waiting invoke starts its own."""
        await worker.stop()
        self._forget(worker)
        self._wake_one(demand, None)

    def _pipeline_onto(self, demand: _Demand | None, worker: Worker) -> bool:
        """For a pipelined function, send the waiting invokes to `worker` at once (_fill); whether it is busy."""
        if demand is not None and demand.waiters and demand.pipelined():
            self._fill(demand, worker)
        return bool(worker.inflight)

    async def _release(self, worker: Worker) -> None:
        spec = worker.spec
        demand = self._demand.get(spec.pool_key)
        if worker.inflight and worker.alive:  # invokes are queued on it: released when the last one ends
            self._pipeline_onto(demand, worker)
            return
        if not worker.alive:
            worker.discard()
            self._forget(worker)
            self._wake_one(demand, None)
        elif self._closed or worker.generation != self._generation.get(spec.name, 0):
            await self._stop(worker)
            self._wake_one(demand, None)
        else:
            worker.last_used = time.monotonic()
            if self._pipeline_onto(demand, worker):
                return
            if not self._wake_one(demand, worker):
                self._idle.setdefault(spec.pool_key, []).append(worker)

    async def _start_worker(self, spec: FunctionSpec, runtime: Runtime) -> Worker:
        log_stream = logs.new_log_stream_name(spec.version)
        tmpdir = tempfile.mkdtemp(prefix=f"pocketcloud-{spec.name[:40]}-")
        limit = (spec.memory_mb + MEMORY_HEADROOM_MB) * 1024 * 1024
        try:
            if runtime.kind == "python":
                env = self._environment(spec, runtime, log_stream, tmpdir, str(PYTHON_DIR))
                env["PYTHONPATH"] = str(spec.code_dir)
                process = await self._zygote(runtime).spawn({
                    "env": env, "code_dir": str(spec.code_dir), "handler": spec.handler, "arn": spec.arn,
                    "runtime": spec.runtime, "memory_limit_bytes": limit,
                })
            else:
                await self._ensure_node_deps()
                env = self._environment(spec, runtime, log_stream, tmpdir, str(NODE_DIR))
                env["NODE_PATH"] = os.pathsep.join([str(spec.code_dir), str(self.node_runtime_dir / "node_modules")])
                env["AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE"] = "1"
                env["POCKETCLOUD_ENDPOINT_URL"] = self.endpoint_url
                process = await self._spares(runtime).take(
                    {"env": env, "code_dir": str(spec.code_dir), "handler": spec.handler, "arn": spec.arn}, limit
                )
        except BaseException:
            os.rmdir(tmpdir)
            raise
        worker = Worker(spec, process, log_stream, tmpdir, self._generation[spec.name])
        self._workers.add(worker)
        demand = self._demand.get(spec.pool_key)
        if demand is not None:
            demand.workers.append(worker)
        await worker.attach()
        return worker

    def _environment(self, spec: FunctionSpec, runtime: Runtime, log_stream: str, tmpdir: str,
                     runtime_dir: str) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            # Only the private temp dir is writable by convention, as /tmp is on Lambda.
            "HOME": tmpdir,
        }
        env.update(spec.environment)
        env.update({
            "AWS_REGION": spec.region,
            "AWS_DEFAULT_REGION": spec.region,
            "AWS_EXECUTION_ENV": runtime.execution_env,
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
            "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
            "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
            "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "_HANDLER": spec.handler,
            "LAMBDA_TASK_ROOT": str(spec.code_dir),
            "LAMBDA_RUNTIME_DIR": runtime_dir,
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "TMPDIR": tmpdir,
            "TEMP": tmpdir,
            "TMP": tmpdir,
            **DUMMY_CREDENTIALS,
        })
        return env

    def _zygote(self, runtime: Runtime) -> PythonZygote:
        zygote = self._zygotes.get(runtime.executable)
        if zygote is None:
            zygote = self._zygotes[runtime.executable] = PythonZygote(runtime.executable)
        return zygote

    def _spares(self, runtime: Runtime) -> NodeSpares:
        spares = self._node.get(runtime.executable)
        if spares is None:
            spares = self._node[runtime.executable] = NodeSpares(
                runtime.executable, self.node_runtime_dir, self.endpoint_url
            )
        return spares

    async def _ensure_node_deps(self) -> None:
        if self._node_deps_checked:
            return
        if self._node_deps_lock is None:
            self._node_deps_lock = asyncio.Lock()
        async with self._node_deps_lock:
            if self._node_deps_checked:
                return
            if not node_deps.is_installed(self.node_runtime_dir):
                logger.warning("Installing the Node.js runtime libraries (aws-sdk, dynamodb-doc) into %s; "
                               "this happens once", self.node_runtime_dir)
                try:
                    await asyncio.to_thread(node_deps.ensure_installed, self.node_runtime_dir)
                except NodeDependenciesError as e:
                    # Functions that do not require the SDK still run; the others fail on require().
                    logger.error("Node.js functions will run without aws-sdk/dynamodb-doc: %s", e)
            self._node_deps_checked = True

    async def _stop(self, worker: Worker) -> None:
        await worker.stop()
        # Log lines written after the last invoke (e.g. by a timer) still belong in the function's logs.
        leftover = worker.drain_lines()
        if leftover:
            self._emit(worker.spec, worker.log_stream, leftover)
        worker.discard()
        self._forget(worker)

    def _forget(self, worker: Worker) -> None:
        self._workers.discard(worker)
        demand = self._demand.get(worker.spec.pool_key)
        if demand is not None and worker in demand.workers:
            demand.workers.remove(worker)
        zygote = self._zygotes.get(resolve_runtime(worker.spec.runtime).executable)
        if zygote is not None:
            zygote.forget(worker.process.pid)

    def _emit(self, spec: FunctionSpec, log_stream: str, lines: list[logs.LogLine]) -> None:
        try:
            self.log_sink(spec, log_stream, lines)
        except Exception:  # noqa: BLE001 - a broken log sink must not fail the invoke
            logger.exception("log sink failed for function %s", spec.name)

    # ------------------------------------------------------------------ scale to zero

    def _ensure_reaper(self) -> None:
        if self._reaper is None or self._reaper.done():
            self._reaper = asyncio.get_running_loop().create_task(self._reap_forever())

    async def _reap_forever(self) -> None:
        interval = max(0.05, min(self.idle_timeout / 4, 10.0))
        while not self._closed:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for key in list(self._idle):
                keep = []
                for worker in self._idle[key]:
                    if now - worker.last_used >= self.idle_timeout or not worker.alive:
                        await self._stop(worker)
                    else:
                        keep.append(worker)
                if keep:
                    self._idle[key] = keep
                else:
                    del self._idle[key]
            for key in [k for k, d in self._demand.items() if not d.busy and not d.waiters and k not in self._idle]:
                del self._demand[key]
            if not self._workers and not self._in_flight and now - self._last_activity >= self.idle_timeout:
                # Nothing ran for a while: stop the runtime processes too; the next invoke starts them again.
                # Detach them first, so an invoke arriving meanwhile starts fresh ones instead of using these.
                zygotes, self._zygotes = self._zygotes, {}
                node, self._node = self._node, {}
                for zygote in zygotes.values():
                    await zygote.close()
                for spares in node.values():
                    await spares.close()
                return

