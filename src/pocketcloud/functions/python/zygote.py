"""pocketcloud's Python runtime: a zygote that fork()s one worker per function instance, and the worker loop.

Emulates the AWS Lambda Python runtime (awslambdaric, https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html):
handler loading and its errors, the context object, error documents, Decimal-friendly JSON, the root logger format.

Run as a plain script by the pool (never imported from pocketcloud), so the interpreter a function sees holds
only the standard library and the preloaded AWS SDK. Protocol with the pool:
- fd `argv[1]`, a SOCK_SEQPACKET socket: the pool sends one JSON spawn request per packet with two fds attached
  (the worker's channel socket and its log pipe); the zygote forks and answers on fd `argv[2]`.
- fd `argv[2]`, a stream socket: newline-delimited JSON from the zygote: {"t": "spawned", "id", "pid"} and
  {"t": "exit", "pid", "status"} (a raw wait status) for every worker that ends.
- a worker's channel: frames of an 8-byte header (two big-endian uint32: the lengths of meta and payload), meta
  (a JSON object), then the payload's raw bytes. In: the first frame is implicit (the spawn request), then
  {"t": "invoke", "id", "deadline_ms", "timeout_ms", "arn", "client_context"?} + the event. Out: {"t": "ready"} or
  {"t": "init_error"} + the error document, then per invoke {"t": "result", "ok", "us", "cpu_us", "unread",
  "rss_kb"} + the result document (times in whole µs; "rss_kb", the worker's peak RSS, for the REPORT line).
- a worker's stdout and stderr go to its log pipe; after init it writes the line "\\0PC:init" so the pool knows
  it has every init line (after an invoke, "unread" in the result says what the pipe still holds). Multi-line
  records from the runtime itself use "\\r" between lines (as AWS's runtime does on stdout) and the pool turns
  them back into one log event.
"""

from __future__ import annotations

import decimal
import fcntl
import importlib
import json
import logging
import os
import resource
import selectors
import signal
import socket
import struct
import sys
import termios
import time
import traceback

_HERE = os.path.dirname(os.path.abspath(__file__))
# The script's own folder must not shadow user modules.
sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != _HERE]

_HEADER = struct.Struct(">II")  # a frame: len(meta), len(payload), then both
_LOG_FORMAT = "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"
_current_request_id = ""


try:  # the pool's frames and the events it sends are JSON it wrote; orjson reads them ~5x faster than json
    from orjson import JSONDecodeError as _OrjsonError, dumps as _orjson_dumps, loads as _orjson_loads
except ImportError:  # pragma: no cover - orjson is a dependency of pocketcloud
    _orjson_loads = _orjson_dumps = None


def _loads(data: "str | bytes") -> object:
    """json.loads' result, via orjson when it can (it refuses a few inputs json reads: NaN, huge integers)."""
    if _orjson_loads is not None:
        try:
            return _orjson_loads(data)
        except _OrjsonError:
            pass
    return json.loads(data)


def _dumps_meta(msg: dict) -> bytes:
    """A frame's meta: orjson writes a result's ~6 fields in ~0.2 µs, json.dumps in ~3.5."""
    return _orjson_dumps(msg) if _orjson_dumps is not None else json.dumps(msg).encode()


def _preload() -> None:
    """Import what most functions import, once, so each forked worker starts warm."""
    for name in ("uuid", "datetime", "base64", "hashlib", "urllib.parse", "http.client", "email.utils"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a missing optional module only costs speed
            pass
    try:
        import boto3  # noqa: F401
        import boto3.dynamodb.conditions  # noqa: F401
        import boto3.dynamodb.types  # noqa: F401

        session = boto3.Session()
        # Creating a throwaway client loads the models, endpoint rules and botocore's HTTP stack into
        # the session's loader cache; the session becomes boto3's default so a worker's boto3.client()
        # skips those loads. Credentials, region and endpoint are still read from the worker's env.
        session.client(
            "dynamodb", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x",
            endpoint_url="http://127.0.0.1:9",
        )
        session.resource(
            "dynamodb", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x",
            endpoint_url="http://127.0.0.1:9",
        )
        boto3.DEFAULT_SESSION = session
    except Exception:  # noqa: BLE001 - boto3 is optional in a function's world
        pass


# ---------------------------------------------------------------- zygote


def zygote_main(request_fd: int, report_fd: int) -> None:
    _preload()
    requests = socket.socket(fileno=request_fd)
    reports = socket.socket(fileno=report_fd)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    selector = selectors.DefaultSelector()
    selector.register(requests, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is requests:
                msg, fds, _flags, _addr = socket.recv_fds(requests, 1 << 20, 2)
                if not msg:
                    return  # the pool is gone; its workers see their channels close and exit too
                request = json.loads(msg)
                pid = _fork_worker(request, fds, [requests, reports], (wake_r, wake_w))
                for fd in fds:
                    os.close(fd)
                reports.sendall(json.dumps({"t": "spawned", "id": request["id"], "pid": pid}).encode() + b"\n")
            else:
                os.read(wake_r, 4096)
                _reap(reports)


def _reap(reports: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        reports.sendall(json.dumps({"t": "exit", "pid": pid, "status": status}).encode() + b"\n")


def _fork_worker(request: dict, fds: list[int], zygote_socks: list[socket.socket], wake: tuple[int, int]) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for sock in zygote_socks:
            sock.close()
        for fd in wake:
            os.close(fd)
        chan_fd, log_fd = fds
        os.setsid()
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        os.close(log_fd)
        code = Worker(socket.socket(fileno=chan_fd), request).run()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001 - report anything, then die like a crashed runtime
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
        os._exit(code)


# ---------------------------------------------------------------- worker


class FaultException(Exception):
    def __init__(self, error_type: str, message: str, trace: list[str] | None = None) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message
        self.trace = trace


class Worker:
    """The runtime loop of one function instance (runs in a forked child)."""

    def __init__(self, chan: socket.socket, assignment: dict) -> None:
        self.chan = chan
        self.a = assignment
        self.handler = None
        self._inbox: bytes | bytearray = b""
        self._cpu_s = 0.0  # the process's CPU time when the last result left
        ensure_ascii = assignment["runtime"] not in ("python3.12", "python3.13", "python3.14")
        self._markers: dict = {}
        # json.dumps(result, default=...) as AWS's runtime calls it, minus the encoder json builds per call.
        self._encode = json.encoder.c_make_encoder(
            self._markers, _decimal_default,
            json.encoder.encode_basestring_ascii if ensure_ascii else json.encoder.encode_basestring,
            None, ": ", ", ", False, False, True,
        ) if json.encoder.c_make_encoder is not None else None
        self.encoder = json.JSONEncoder(default=_decimal_default, ensure_ascii=ensure_ascii)

    def run(self) -> int:
        self._setup_process()
        try:
            self.handler = _get_handler(self.a["handler"])
        except Exception as e:  # noqa: BLE001 - any import-time error fails the first invoke
            error = _fault_document(e, "")
            _log_error(error)
            self._mark("init")
            self._send({"t": "init_error"}, json.dumps(error).encode())
            return 1
        self._mark("init")
        self._cpu_s = _cpu_seconds(resource.getrusage(resource.RUSAGE_SELF))
        self._send({"t": "ready"})
        while True:
            frame = self._recv()
            if frame is None:
                return 0
            if frame[0]["t"] == "invoke":
                self._invoke(*frame)

    def _setup_process(self) -> None:
        a = self.a
        global _context_values
        os.environ.clear()
        os.environ.update(a["env"])
        _context_values = None  # the context's values come from this environment
        time.tzset()
        os.chdir(a["code_dir"])
        sys.path.insert(0, a["code_dir"])
        limit = int(a["memory_limit_bytes"])
        if limit > 0:
            try:
                resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
            except (ValueError, OSError):
                pass
        sys.stdout.reconfigure(line_buffering=True)
        sys.stderr.reconfigure(line_buffering=True)
        _setup_logging()

    def _invoke(self, msg: dict, event_data: "bytes | bytearray") -> None:
        global _current_request_id
        request_id = msg["id"]
        _current_request_id = request_id
        os.environ["_X_AMZN_TRACE_ID"] = msg.get("trace_id") or ""
        started = time.perf_counter()
        ok = True
        try:
            context = LambdaContext(msg, self.a)
            event = _loads(event_data) if event_data else {}
            result = self.handler(event, context)
            try:
                payload = self._result_document(result)
            except (TypeError, ValueError, OverflowError) as e:  # AWS's runtime: Runtime.MarshalError
                raise FaultException("Runtime.MarshalError", f"Unable to marshal response: {e}") from None
        except Exception as e:  # noqa: BLE001 - the function's error becomes the invoke's error document
            ok = False
            error = _fault_document(e, request_id)
            _log_error(error)
            payload = json.dumps(error).encode()
        duration_us = int((time.perf_counter() - started) * 1e6)
        # No mark after an invoke: what this thread wrote is in the pipe before the result leaves, so the pool
        # takes every line there once the result arrives. A mark cost a pipe write here and a wake-up plus a read
        # of the server's event loop per invoke, for functions that print nothing too.
        sys.stdout.flush()
        sys.stderr.flush()
        # One getrusage gives both the CPU time (the pool's scaling reads it) and the peak RSS (VmHWM, in kB, for
        # REPORT's Max Memory Used; the pool reading /proc/<pid>/status instead cost its event loop ~14 µs).
        # The CPU time is the worker's since the previous result left: this invoke's frame in, handler, result
        # out (two clock_gettime(CLOCK_PROCESS_CPUTIME_ID) around the handler were two more system calls).
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu_s = _cpu_seconds(usage)
        cpu_us = int((cpu_s - self._cpu_s) * 1e6)
        self._cpu_s = cpu_s
        # "unread": bytes in the log pipe the pool has not read yet (0: it skips its read of the pipe).
        self._send({"t": "result", "ok": ok, "us": duration_us, "cpu_us": cpu_us, "unread": _unread_log_bytes(),
                    "rss_kb": usage.ru_maxrss}, payload)
        _current_request_id = ""

    def _result_document(self, result: object) -> bytes:
        """The handler's result as AWS's runtime writes it: json.dumps with Decimal as numbers."""
        if self._encode is None:
            text = self.encoder.encode(result)
        else:
            try:
                text = "".join(self._encode(result, 0))
            except BaseException:
                self._markers.clear()  # what a failed encode left of its circular-reference checks
                raise
        try:
            return text.encode()
        except UnicodeEncodeError:  # a lone surrogate, kept as is without ensure_ascii: as a JSON escape instead
            return json.dumps(result, default=_decimal_default).encode()

    def _mark(self, label: str) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(1, b"\0PC:" + label.encode() + b"\n")

    def _send(self, meta: dict, payload: bytes = b"") -> None:
        data = _dumps_meta(meta)
        self.chan.sendall(_HEADER.pack(len(data), len(payload)) + data + payload)

    def _recv(self) -> "tuple[dict, bytes | bytearray] | None":
        """The next frame's (meta, payload); None when the pool closed the channel. One recv per invoke frame in
        the usual case (not one for the header, then one for the rest)."""
        buf = self._inbox
        while True:
            if len(buf) >= 8:
                meta_len, payload_len = _HEADER.unpack_from(buf)
                at = 8 + meta_len
                end = at + payload_len
                if len(buf) >= end:
                    self._inbox = buf[end:]
                    return _loads(buf[8:at]), buf[at:end]
                # A frame bigger than one read (a big event): read the rest into a buffer of its size.
                whole = bytearray(end)
                got = len(buf)
                whole[:got] = buf
                with memoryview(whole) as view:
                    while got < end:
                        n = self.chan.recv_into(view[got:])
                        if not n:
                            return None
                        got += n
                buf = whole
                continue
            chunk = self.chan.recv(65536)  # not 1 MB: a buffer that big is mmap'ed per call (~27 µs)
            if not chunk:
                return None
            buf = buf + chunk if buf else chunk


def _cpu_seconds(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def _unread_log_bytes() -> int:
    """What the log pipe (our stdout and stderr) holds that the pool has not read; -1 when unknown."""
    try:
        # Into a writable buffer, which ioctl's argument parsing tries first (bytes failed that try and cost a
        # formatted error message each call, ~0.4 µs).
        fcntl.ioctl(1, termios.FIONREAD, _FIONREAD_BUFFER)
        return _FIONREAD_INT.unpack_from(_FIONREAD_BUFFER)[0]
    except (OSError, ValueError):
        return -1


_FIONREAD_INT = struct.Struct("i")
_FIONREAD_BUFFER = bytearray(4)


def _decimal_default(o: object) -> object:
    # boto3's resource layer returns numbers as Decimal; AWS's runtime writes them as JSON numbers.
    if isinstance(o, decimal.Decimal):
        if o.is_nan() or o.is_infinite():
            return float(o)
        return int(o) if o == o.to_integral_value() else float(o)
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _get_handler(handler: str):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException("Runtime.MalformedHandlerName", f"Bad handler '{handler}': {e}") from None
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                "Runtime.BuiltInModuleConflict", f"Cannot use built-in module {modname} as a handler module"
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException("Runtime.ImportModuleError", f"Unable to import module '{modname}': {e}") from None
    except SyntaxError as e:
        trace = [f'  File "{e.filename}" Line {e.lineno}\n    {e.text}']
        raise FaultException(
            "Runtime.UserCodeSyntaxError", f"Syntax error in module '{modname}': {e}", trace
        ) from None
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            "Runtime.HandlerNotFound", f"Handler '{fname}' missing on module '{modname}'"
        ) from None


def _fault_document(e: BaseException, request_id: str) -> dict:
    if isinstance(e, FaultException):
        return {"errorMessage": e.message, "errorType": e.error_type, "requestId": request_id,
                "stackTrace": e.trace or []}
    frames = traceback.extract_tb(e.__traceback__)
    # Drop this runtime's own frames, as AWS drops bootstrap.py's.
    while frames and frames[0].filename == __file__:
        frames = traceback.StackSummary.from_list(frames[1:])
    return {"errorMessage": str(e), "errorType": type(e).__name__, "requestId": request_id,
            "stackTrace": traceback.format_list(frames)}


def _log_error(error: dict) -> None:
    lines = [f"[ERROR] {error['errorType']}: {error['errorMessage']}" if error["errorMessage"]
             else f"[ERROR] {error['errorType']}", "Traceback (most recent call last):"]
    for element in error["stackTrace"]:
        for line in element.splitlines():
            stripped = line.lstrip(" ")
            lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    sys.stdout.write("\r".join(lines) + "\n")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.aws_request_id = _current_request_id
        return True


class _LambdaLoggerHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        sys.stdout.write(self.format(record).rstrip("\n").replace("\n", "\r") + "\n")


def _setup_logging() -> None:
    logging.Formatter.converter = time.gmtime
    handler = _LambdaLoggerHandler()
    handler.setFormatter(logging.Formatter(_LOG_FORMAT, "%Y-%m-%dT%H:%M:%S"))
    handler.addFilter(_RequestIdFilter())
    logging.getLogger().addHandler(handler)


class CognitoIdentity:
    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")

    def __init__(self, data: dict | None) -> None:
        data = data or {}
        self.cognito_identity_id = data.get("cognitoIdentityId")
        self.cognito_identity_pool_id = data.get("cognitoIdentityPoolId")


class Client:
    __slots__ = ("installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name")

    def __init__(self, data: dict) -> None:
        self.installation_id = data.get("installation_id")
        self.app_title = data.get("app_title")
        self.app_version_name = data.get("app_version_name")
        self.app_version_code = data.get("app_version_code")
        self.app_package_name = data.get("app_package_name")


class ClientContext:
    __slots__ = ("custom", "env", "client")

    def __init__(self, data: dict) -> None:
        self.custom = data.get("custom")
        self.env = data.get("env")
        client = data.get("client")
        self.client = Client(client) if client else None


_CONTEXT_VARIABLES = ("AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_FUNCTION_NAME",
                      "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION")
_context_values: "tuple[str | None, ...] | None" = None


def _context_environment() -> "tuple[str | None, ...]":
    global _context_values
    if _context_values is None:
        _context_values = tuple(os.environ.get(name) for name in _CONTEXT_VARIABLES)
    return _context_values


class LambdaContext:
    """The `context` argument, with the attributes AWS's Python runtime gives it."""

    def __init__(self, msg: dict, assignment: dict) -> None:
        self.aws_request_id = msg["id"]
        # Read from the environment once, when the runtime starts, as AWS's runtime interface client does.
        (self.log_group_name, self.log_stream_name, self.function_name, self.memory_limit_in_mb,
         self.function_version) = _context_environment()
        self.invoked_function_arn = msg.get("arn") or assignment["arn"]
        self.tenant_id = None
        client_context = msg.get("client_context")
        self.client_context = ClientContext(json.loads(client_context)) if client_context else None
        self.identity = CognitoIdentity(json.loads(msg["identity"]) if msg.get("identity") else None)
        # The clock starts now: an invoke the pool queued behind another starts later than it was sent.
        timeout_ms = msg.get("timeout_ms")
        self._deadline_ms = time.time() * 1000 + timeout_ms if timeout_ms else msg["deadline_ms"]

    def get_remaining_time_in_millis(self) -> int:
        return max(int(self._deadline_ms - time.time() * 1000), 0)

    def log(self, msg: str) -> None:
        sys.stdout.write(str(msg))

    def __repr__(self) -> str:
        return (f"LambdaContext([aws_request_id={self.aws_request_id},log_group_name={self.log_group_name},"
                f"log_stream_name={self.log_stream_name},function_name={self.function_name},"
                f"memory_limit_in_mb={self.memory_limit_in_mb},function_version={self.function_version},"
                f"invoked_function_arn={self.invoked_function_arn},client_context={self.client_context},"
                f"identity={self.identity}])")


if __name__ == "__main__":
    zygote_main(int(sys.argv[1]), int(sys.argv[2]))
