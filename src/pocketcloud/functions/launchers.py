"""How worker processes come to life fast: a forking Python zygote, and pre-spawned spare Node.js processes.

Python: one zygote per interpreter has the standard library and boto3 imported; each new worker is a fork() of it
that then only imports the handler. Node.js cannot fork, so one spare process (bootstrap loaded, aws-sdk v2
required) waits for its assignment; taking it starts the next spare in the background.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import resource
import socket
from pathlib import Path

from pocketcloud.functions.errors import WorkerStartError
from pocketcloud.functions.worker import WorkerProcess, encode_frame
from pocketcloud.processes import batch_priority

logger = logging.getLogger(__name__)

PYTHON_DIR = Path(__file__).parent / "python"
NODE_DIR = Path(__file__).parent / "node"
SPAWN_TIMEOUT_S = 10.0


def _host_env() -> dict[str, str]:
    # The host's AWS settings must not leak into the runtimes (a function gets its own, dummy, credentials).
    return {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}


class PythonZygote:
    """A long-lived Python process that forks workers on request (see functions/python/zygote.py)."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self._process: asyncio.subprocess.Process | None = None
        self._requests: socket.socket | None = None
        self._reports_task: asyncio.Task | None = None
        self._reports_writer: asyncio.StreamWriter | None = None
        self._spawns: dict[int, asyncio.Future] = {}
        self._exits: dict[int, asyncio.Future] = {}
        self._ids = itertools.count(1)
        self._start_lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None and self._reports_task is not None \
            and not self._reports_task.done()

    async def start(self) -> None:
        async with self._start_lock:
            if self.running:
                return
            requests, requests_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            reports, reports_child = socket.socketpair()
            try:
                self._process = await asyncio.create_subprocess_exec(
                    self.executable, str(PYTHON_DIR / "zygote.py"),
                    str(requests_child.fileno()), str(reports_child.fileno()),
                    pass_fds=(requests_child.fileno(), reports_child.fileno()),
                    stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, env=_host_env(),
                )
            except OSError as e:
                requests.close()
                reports.close()
                raise WorkerStartError(f"Could not start the Python runtime {self.executable}: {e}") from e
            finally:
                requests_child.close()
                reports_child.close()
            batch_priority(self._process.pid)  # the workers it forks inherit the policy
            self._requests = requests
            # Keep the writer referenced: a collected StreamWriter closes the socket.
            reader, self._reports_writer = await asyncio.open_unix_connection(sock=reports)
            self._reports_task = asyncio.get_running_loop().create_task(self._read_reports(reader))

    async def _read_reports(self, reader: asyncio.StreamReader) -> None:
        try:
            while line := await reader.readline():
                msg = json.loads(line)
                if msg["t"] == "spawned":
                    self._exits.setdefault(msg["pid"], asyncio.get_running_loop().create_future())
                    waiter = self._spawns.pop(msg["id"], None)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(msg["pid"])
                elif msg["t"] == "exit":
                    waiter = self._exits.setdefault(msg["pid"], asyncio.get_running_loop().create_future())
                    if not waiter.done():
                        waiter.set_result(os.waitstatus_to_exitcode(msg["status"]))
        except (OSError, ValueError) as e:
            logger.warning("Python zygote report stream failed: %s", e)
        finally:
            for waiter in self._spawns.values():
                if not waiter.done():
                    waiter.set_exception(WorkerStartError("The Python runtime zygote exited"))
            self._spawns.clear()

    async def spawn(self, assignment: dict) -> WorkerProcess:
        await self.start()
        chan, chan_child = socket.socketpair()
        log_r, log_w = os.pipe()
        request_id = next(self._ids)
        waiter = asyncio.get_running_loop().create_future()
        self._spawns[request_id] = waiter
        try:
            socket.send_fds(self._requests, [json.dumps(dict(assignment, id=request_id)).encode()],
                            [chan_child.fileno(), log_w])
        except OSError as e:
            self._spawns.pop(request_id, None)
            chan.close()
            os.close(log_r)
            raise WorkerStartError(f"The Python runtime zygote is not answering: {e}") from e
        finally:
            chan_child.close()
            os.close(log_w)
        try:
            pid = await asyncio.wait_for(waiter, SPAWN_TIMEOUT_S)
        except (asyncio.TimeoutError, WorkerStartError) as e:
            chan.close()
            os.close(log_r)
            raise WorkerStartError(f"The Python runtime could not start a worker: {e}") from e
        exits = self._exits

        async def exit_status(timeout: float) -> int | None:
            try:
                return await asyncio.wait_for(asyncio.shield(exits[pid]), timeout)
            except asyncio.TimeoutError:
                return None

        return WorkerProcess(pid=pid, channel=chan, log_fd=log_r, exit_status=exit_status)

    def forget(self, pid: int) -> None:
        self._exits.pop(pid, None)

    async def close(self) -> None:
        if self._requests is not None:
            self._requests.close()
            self._requests = None
        if self._process is not None and self._process.returncode is None:
            try:
                self._process.kill()
            except ProcessLookupError:
                pass
            await self._process.wait()
        if self._reports_task is not None:
            self._reports_task.cancel()
        if self._reports_writer is not None:
            self._reports_writer.close()
            self._reports_writer = None
        self._process = None


class _NodeProcess:
    def __init__(self, process: asyncio.subprocess.Process, channel: socket.socket, log_fd: int) -> None:
        self.process = process
        self.channel = channel
        self.log_fd = log_fd


class NodeSpares:
    """Keeps one spare Node.js runtime process ready; `take()` hands it out and starts the next one."""

    def __init__(self, executable: str, runtime_dir: Path, endpoint_url: str) -> None:
        self.executable = executable
        self.runtime_dir = runtime_dir
        self.endpoint_url = endpoint_url
        self._spare: asyncio.Task | None = None
        self._closed = False

    def prewarm(self) -> None:
        if self._spare is None and not self._closed:
            self._spare = asyncio.get_running_loop().create_task(self._spawn())

    async def _spawn(self) -> _NodeProcess:
        chan, chan_child = socket.socketpair()
        log_r, log_w = os.pipe()
        env = _host_env()
        env.update({
            "NODE_PATH": str(self.runtime_dir / "node_modules"),
            "POCKETCLOUD_ENDPOINT_URL": self.endpoint_url,
            "POCKETCLOUD_CHANNEL_FD": str(chan_child.fileno()),
            "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1",
        })
        try:
            process = await asyncio.create_subprocess_exec(
                self.executable, "--require", str(NODE_DIR / "redirect.js"), str(NODE_DIR / "bootstrap.js"),
                pass_fds=(chan_child.fileno(),), stdin=asyncio.subprocess.DEVNULL, stdout=log_w, stderr=log_w,
                env=env, start_new_session=True,
            )
        except OSError as e:
            chan.close()
            os.close(log_r)
            raise WorkerStartError(f"Could not start Node.js ({self.executable}): {e}") from e
        finally:
            chan_child.close()
            os.close(log_w)
        batch_priority(process.pid)
        return _NodeProcess(process, chan, log_r)

    async def take(self, assignment: dict, memory_limit_bytes: int) -> WorkerProcess:
        """A Node.js process assigned to the function described by `assignment`."""
        spare = self._spare
        self._spare = None
        node = await (spare if spare is not None else self._spawn())
        self.prewarm()
        node.channel.sendall(encode_frame(dict(assignment, t="assign")))
        if memory_limit_bytes > 0:
            try:
                resource.prlimit(node.process.pid, resource.RLIMIT_DATA, (memory_limit_bytes, memory_limit_bytes))
            except (OSError, ValueError):
                pass
        process = node.process

        async def exit_status(timeout: float) -> int | None:
            try:
                return await asyncio.wait_for(process.wait(), timeout)
            except asyncio.TimeoutError:
                return None

        return WorkerProcess(pid=process.pid, channel=node.channel, log_fd=node.log_fd, exit_status=exit_status)

    async def close(self) -> None:
        self._closed = True
        spare, self._spare = self._spare, None
        if spare is None:
            return
        try:
            node = await spare
        except (WorkerStartError, asyncio.CancelledError):
            return
        node.channel.close()
        os.close(node.log_fd)
        try:
            node.process.kill()
        except ProcessLookupError:
            pass
        await node.process.wait()
