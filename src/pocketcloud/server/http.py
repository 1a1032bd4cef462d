"""pocketcloud's own HTTP/1.1 server: asyncio protocol + httptools' parser, straight into `App.handle`.

Why not uvicorn: under load ~44% of a GetItem went to uvicorn's ASGI machinery and its two socket writes per
response (headers, then body). Here the parser's callbacks build a `protocols.base.Request` directly and each
`Response` leaves in one `transport.write`. `App` stays an ASGI app (`pocketcloud up --server uvicorn`).

HTTP/1.1 as RFC 9112 asks of a server: keep-alive (1.1 default, `Connection: close`, 1.0 keep-alive opt-in),
pipelined requests answered in order (one request at a time per connection), chunked request bodies,
`Expect: 100-continue`, a request-size cap (413), HEAD without a body, malformed requests → 400 and close.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import http
import logging
import signal
import sys
import time
from email.utils import formatdate
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httptools

from pocketcloud.protocols.base import Request, Response
from pocketcloud.server.log_output import batched_handler

if TYPE_CHECKING:
    from pocketcloud.server.app import App

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024 * 1024  # body
MAX_HEAD_BYTES = 1024 * 1024  # request line and headers
KEEP_ALIVE_SECONDS = 30.0
SHUTDOWN_GRACE_SECONDS = 5.0
# Pipelined requests parsed ahead of the one being answered; beyond this, reading pauses (a flood stays bounded).
MAX_QUEUED = 16


_PHRASES = {s.value: s.phrase for s in http.HTTPStatus}
_STATUS_LINES = {code: f"HTTP/1.1 {code} {_PHRASES.get(code, 'Unknown')}\r\n".encode("latin-1") for code in range(100, 600)}
# Response headers the server decides itself (framing), or adds unless the response has its own (date, server).
_SPECIAL = frozenset(("content-length", "transfer-encoding", "connection", "date", "server"))
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_SERVER_LINE = "server: pocketcloud\r\n"

# Keep-alive modes of a parsed request.
CLOSE, KEEP, KEEP_HTTP10 = 0, 1, 2


class _Date:
    """The Date header line, formatted once a second rather than per response."""

    __slots__ = ("second", "line")

    def __init__(self) -> None:
        self.second = -1
        self.line = ""

    def get(self) -> str:
        now = int(time.time())
        if now != self.second:
            self.second = now
            self.line = f"date: {formatdate(now, usegmt=True)}\r\n"
        return self.line


_date = _Date()


class _Reject(Exception):
    """Raised from a parser callback: answer with this status and close the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def encode_response(response: Response, *, head: bool = False, keep_alive: int = KEEP) -> bytes:
    """Status line, headers and body as one buffer: one socket write per response."""
    status = response.status
    body = response.body
    lines: list[str] = []
    length: str | None = None
    own_date = own_server = True
    for headers in (response.headers.items(), response.extra_headers):
        for name, value in headers:
            lname = name.lower()
            if lname in _SPECIAL:
                if lname == "date":
                    own_date = False
                elif lname == "server":
                    own_server = False
                else:
                    if lname == "content-length":
                        length = value  # used only for HEAD: the size GET would send
                    continue
            lines.append(f"{name}: {value}\r\n")
    if own_date:
        lines.append(_date.get())
    if own_server:
        lines.append(_SERVER_LINE)
    if status >= 200 and status != 204:
        lines.append(f"content-length: {length if head and length is not None and not body else len(body)}\r\n")
    if keep_alive == CLOSE:
        lines.append("connection: close\r\n")
    elif keep_alive == KEEP_HTTP10:
        lines.append("connection: keep-alive\r\n")
    block = "".join(lines)
    # A header value holding CR or LF would split the response: one count over the block finds it.
    if block.count("\n") != len(lines) or block.count("\r") != len(lines):
        block = _safe_block(lines)
    line = _STATUS_LINES.get(status) or f"HTTP/1.1 {status} Unknown\r\n".encode("latin-1")  # beyond 599
    try:
        out = line + block.encode("latin-1") + b"\r\n"
    except UnicodeEncodeError:  # HTTP headers are Latin-1; a function may still return other text
        out = line + block.encode("utf-8") + b"\r\n"
    if head or not body or status < 200 or status in (204, 304):
        return out
    return out + body


def _safe_block(lines: list[str]) -> str:
    kept = []
    for line in lines:
        text = line[:-2]
        if "\r" in text or "\n" in text:
            log.warning("dropped a response header with a line break in it: %r", text[:80])
        else:
            kept.append(line)
    return "".join(kept)


def _error_response(status: int, message: str) -> Response:
    return Response(status, message.encode() + b"\n", {"content-type": "text/plain; charset=utf-8"})


class HttpConnection(asyncio.Protocol):
    """One client connection: parse, queue in order, answer one request at a time."""

    def __init__(self, server: HttpServer) -> None:
        self.server = server
        self.app = server.app
        self.loop = server.loop
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.client = "127.0.0.1"
        # The request being parsed.
        self.url = b""
        self.header_list: list[tuple[str, str]] = []
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.size = 0
        self.expect_continue = False
        self.in_message = False
        self.received = 0  # bytes read since the last complete request
        # Parsed requests (or error answers) waiting behind the one being answered, and the task answering.
        self.queue: collections.deque[tuple[Request | Response, int]] = collections.deque()
        self.task: asyncio.Task[None] | None = None
        self.closing = False  # read nothing more
        self.close_when_done = False
        self.reading_paused = False
        self.writable: asyncio.Future[None] | None = None
        self.last_seen = 0.0

    # -- asyncio.Protocol -----------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername")
        if peer:
            self.client = peer[0]
        self.last_seen = self.loop.time()
        self.server.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.server.connections.discard(self)
        self.closing = True
        self.transport = None
        self.queue.clear()
        # A request being answered runs to its end (cancelling an operation halfway could leave a write
        # half-done); its response goes nowhere, and nothing queued behind it runs.
        if self.writable is not None and not self.writable.done():
            self.writable.set_result(None)

    def data_received(self, data: bytes) -> None:
        if self.closing:
            return
        self.last_seen = self.loop.time()
        # httptools buffers a URL or header until it ends and has no limit of its own: bound the whole message.
        self.received += len(data)
        if self.received > self.server.max_request_bytes + MAX_HEAD_BYTES and self.in_message:
            self._reject(413, "Request too large")
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            # No other protocol is spoken here (h2c, websocket): the request was answered as plain HTTP/1.1,
            # and whatever follows it is the next request.
            self.parser = httptools.HttpRequestParser(self)
            rest = data[upgrade.args[0]:] if upgrade.args else b""
            if rest:
                self.data_received(rest)
        except httptools.HttpParserCallbackError as error:
            cause = error.__context__
            if isinstance(cause, _Reject):
                self._reject(cause.status, str(cause))
            else:
                log.error("HTTP parser callback failed", exc_info=cause)
                self._reject(500, "Internal server error")
        except httptools.HttpParserError as error:
            self._reject(400, f"Bad request: {error}")

    def eof_received(self) -> bool | None:
        # A client that half-closes may still read the answers to what it sent.
        self.closing = True
        if self.task is None:
            return None  # nothing owed: close now
        self.close_when_done = True
        return True

    def pause_writing(self) -> None:
        if self.writable is None or self.writable.done():
            self.writable = self.loop.create_future()

    def resume_writing(self) -> None:
        if self.writable is not None and not self.writable.done():
            self.writable.set_result(None)

    # -- httptools callbacks --------------------------------------------------------------------------

    def on_message_begin(self) -> None:
        self.in_message = True
        self.url = b""
        self.header_list = []
        self.headers = {}
        self.body = []
        self.size = 0

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        n, v = name.decode("latin-1"), value.decode("latin-1")
        self.header_list.append((n, v))
        lk = n.lower()
        headers = self.headers
        headers[lk] = headers[lk] + "," + v if lk in headers else v

    def on_headers_complete(self) -> None:
        headers = self.headers
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.server.max_request_bytes:
            raise _Reject(413, "Request body too large")
        if "expect" in headers and headers["expect"].lower() == "100-continue" \
                and self.parser.get_http_version() == "1.1":
            # The 100 must not overtake answers still owed on this connection: then it follows them.
            if self.task is None:
                self._send(_CONTINUE)
            else:
                self.expect_continue = True

    def on_body(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.server.max_request_bytes:
            raise _Reject(413, "Request body too large")
        self.body.append(chunk)

    def on_message_complete(self) -> None:
        self.in_message = False
        self.received = 0
        self.expect_continue = False
        request = self._request()
        parser = self.parser
        if not parser.should_keep_alive() or self.server.stopping:
            mode = CLOSE
            self.closing = True  # nothing after this request is read
        else:
            mode = KEEP if parser.get_http_version() == "1.1" else KEEP_HTTP10
        if self.task is None:
            self.task = self.loop.create_task(self._answer(request, mode))
        else:
            self.queue.append((request, mode))
            if len(self.queue) >= MAX_QUEUED and not self.reading_paused and self.transport is not None:
                self.reading_paused = True
                self.transport.pause_reading()

    # -- answering ------------------------------------------------------------------------------------

    def _request(self) -> Request:
        url = self.url
        if url[:1] == b"/":
            raw_path, _, query = url.partition(b"?")
            query = query.partition(b"#")[0]
        else:  # absolute form (http://host/path?q), or "*" for OPTIONS
            try:
                parsed = httptools.parse_url(url)
                raw_path, query = parsed.path or b"/", parsed.query or b""
            except httptools.HttpParserInvalidURLError:
                raw_path, query = url, b""
        raw = raw_path.decode("latin-1")
        body = self.body
        return Request(
            method=self.parser.get_method().decode("latin-1"),
            path=unquote(raw) if "%" in raw else raw,
            raw_path=raw,
            query_string=query.decode("latin-1"),
            headers=self.headers,
            body=body[0] if len(body) == 1 else b"".join(body),
            client=self.client,
            header_list=self.header_list,
        )

    async def _answer(self, item: Request | Response, mode: int) -> None:
        """Answer `item`, then whatever was pipelined behind it, in order."""
        app = self.app
        try:
            while True:
                head = False
                if isinstance(item, Response):  # an error found while parsing: answered in its turn
                    response = item
                else:
                    head = item.method == "HEAD"
                    try:
                        response = await app.handle(item)
                    except Exception:  # App.handle answers errors itself; this is the last line of defence
                        log.exception("request %s %s failed", item.method, item.raw_path)
                        response = _error_response(500, "Internal server error")
                transport = self.transport
                if transport is None or transport.is_closing():
                    return
                if self.server.stopping:
                    mode = CLOSE
                transport.write(encode_response(response, head=head, keep_alive=mode))
                if mode == CLOSE:
                    transport.close()
                    return
                if self.writable is not None and not self.writable.done():
                    await self.writable
                if not self.queue:
                    break
                item, mode = self.queue.popleft()
                if self.reading_paused and len(self.queue) <= MAX_QUEUED // 2 and self.transport is not None:
                    self.reading_paused = False
                    self.transport.resume_reading()
        finally:
            self.task = None
        if self.transport is not None:
            if self.close_when_done:
                self.transport.close()
            elif self.expect_continue:
                self.expect_continue = False
                self._send(_CONTINUE)

    def _send(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def _reject(self, status: int, message: str) -> None:
        """A request that cannot be read: answer it after what is owed, then close."""
        self.closing = True
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        response = _error_response(status, message)
        if self.task is None:
            transport.write(encode_response(response, keep_alive=CLOSE))
            transport.close()
        else:
            transport.pause_reading()
            self.queue.append((response, CLOSE))

    def idle_for(self, now: float) -> float:
        """Seconds since this connection last sent anything, when no request of it is being answered."""
        return 0.0 if self.task is not None else now - self.last_seen

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class ListenError(OSError):
    """The address is taken, or not ours to listen on."""


class HttpServer:
    """Listens, tracks connections, closes idle ones, shuts down gracefully."""

    def __init__(self, app: App, *, max_request_bytes: int = MAX_REQUEST_BYTES,
                 keep_alive_seconds: float = KEEP_ALIVE_SECONDS) -> None:
        self.app = app
        self.max_request_bytes = max_request_bytes
        self.keep_alive_seconds = keep_alive_seconds
        self.connections: set[HttpConnection] = set()
        self.stopping = False
        self.loop: asyncio.AbstractEventLoop = None  # type: ignore[assignment]  # set by start()
        self._server: asyncio.base_events.Server | None = None
        self._sweeper: asyncio.TimerHandle | None = None

    async def start(self, host: str | None, port: int) -> None:
        """Run the App's startup, then listen (host None or "" means every interface, IPv4 and IPv6)."""
        self.loop = asyncio.get_running_loop()
        await self.app.startup()
        host = (host or "").strip("[]")
        if host == "::":
            # "::" means every interface, but asyncio binds it IPv6-only (it sets IPV6_V6ONLY): an empty host
            # binds every interface of both families, as a dual-stack "::" socket would.
            host = ""
        try:
            self._server = await self.loop.create_server(
                lambda: HttpConnection(self), host or None, port, reuse_address=True, backlog=2048,
            )
        except BaseException as exc:
            await self.app.shutdown()
            if isinstance(exc, OSError):
                raise ListenError(f"cannot listen on {host or '*'}:{port}: {exc.strerror or exc}") from exc
            raise
        self._sweeper = self.loop.call_later(1.0, self._sweep)

    @property
    def sockets(self) -> list[Any]:
        return list(self._server.sockets) if self._server else []

    @property
    def port(self) -> int:
        return int(self.sockets[0].getsockname()[1])

    def _sweep(self) -> None:
        # One timer for every connection instead of one per request: idle keep-alive connections (and clients
        # that stopped halfway through a request) are closed after keep_alive_seconds.
        now = self.loop.time()
        for conn in list(self.connections):
            if conn.idle_for(now) > self.keep_alive_seconds:
                conn.close()
        self._sweeper = self.loop.call_later(1.0, self._sweep)

    async def stop(self, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Stop accepting, let requests being answered finish (up to `grace` seconds), then App.shutdown()."""
        self.stopping = True
        if self._sweeper is not None:
            self._sweeper.cancel()
        if self._server is not None:
            self._server.close()
        deadline = self.loop.time() + grace
        while True:
            busy = [c for c in self.connections if c.task is not None or c.in_message]
            for conn in list(self.connections):
                if conn not in busy:
                    conn.close()
            if not busy or self.loop.time() >= deadline:
                break
            await asyncio.sleep(0.02)
        tasks = [c.task for c in self.connections if c.task is not None]
        for conn in list(self.connections):
            conn.close()
        for task in tasks:
            task.cancel()
        if tasks:
            log.warning("%d request(s) still running after %.0f s: cancelled", len(tasks), grace)
            await asyncio.wait(tasks, timeout=1.0)
        await self.app.shutdown()


async def serve(app: App, host: str | None, port: int) -> None:
    """Serve until SIGINT or SIGTERM, then shut down gracefully; a second signal ends the process at once."""
    server = HttpServer(app)
    await server.start(host, port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    output = batched_handler()
    if output is not None:
        output.attach(loop)
    signals = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows: Ctrl-C raises KeyboardInterrupt
            loop.add_signal_handler(sig, stop.set)
            signals.append(sig)
    try:
        await stop.wait()
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)  # back to the defaults: KeyboardInterrupt, termination
        try:
            await server.stop()
        finally:
            if output is not None:
                output.attach(None)


def run(app: App, host: str | None, port: int) -> int:
    """`pocketcloud up`'s server: uvloop when installed, else asyncio's own loop."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency, but not on Windows
        uvloop = None
    try:
        if uvloop is not None and sys.platform != "win32":
            uvloop.run(serve(app, host, port))
        else:
            asyncio.run(serve(app, host, port))
    except KeyboardInterrupt:
        pass
    except ListenError as exc:
        log.error("%s", exc)
        return 1
    return 0
