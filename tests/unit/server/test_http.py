"""server/http.py over raw sockets: keep-alive, pipelining, chunked bodies, 100-continue, HEAD, errors, shutdown."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from pocketcloud.config import Config
from pocketcloud.protocols.base import Request, Response
from pocketcloud.server import http
from pocketcloud.server.app import App
from pocketcloud.server.http import HttpServer, encode_response

TIMEOUT = 10.0


class EchoApp:
    """Answers with what it received; `/sleep/<ms>` waits first, `/boom` raises."""

    def __init__(self) -> None:
        self.seen: list[Request] = []
        self.finished: list[str] = []
        self.shut_down = False

    async def startup(self) -> None:
        pass

    async def shutdown(self) -> None:
        self.shut_down = True

    async def handle(self, request: Request) -> Response:
        self.seen.append(request)
        if request.path.startswith("/sleep/"):
            await asyncio.sleep(int(request.path.rsplit("/", 1)[1]) / 1000)
        if request.path == "/boom":
            raise RuntimeError("boom")
        if request.path.startswith("/big/"):
            self.finished.append(request.path)
            return Response(200, b"x" * int(request.path.rsplit("/", 1)[1]))
        self.finished.append(request.path)
        body = json.dumps({
            "method": request.method, "path": request.path, "raw_path": request.raw_path,
            "query": request.query_string, "body": request.body.decode("latin-1"),
            "headers": request.headers, "header_list": request.header_list,
        }).encode()
        return Response(200, body, {"content-type": "application/json"})


class Running:
    """An HttpServer on 127.0.0.1:<free port>, its event loop in a thread."""

    def __init__(self, app: Any, host: str = "127.0.0.1", **options: Any) -> None:
        try:
            import uvloop

            self.loop = uvloop.new_event_loop()
        except ImportError:  # pragma: no cover
            self.loop = asyncio.new_event_loop()
        self.server = HttpServer(app, **options)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.call(self.server.start(host, 0))
        self.port = self.server.port
        self.host = host

    def call(self, coro: Any, timeout: float = TIMEOUT) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def connect(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout=TIMEOUT)
        sock.settimeout(TIMEOUT)
        return sock

    def open_tasks(self) -> int:
        async def count() -> int:
            return sum(1 for c in self.server.connections if c.task is not None)

        return self.call(count())

    def stop(self, grace: float = 2.0) -> None:
        if self.loop.is_running():
            self.call(self.server.stop(grace), timeout=grace + TIMEOUT)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(TIMEOUT)
        self.loop.close()


@pytest.fixture
def echo() -> Iterator[tuple[Running, EchoApp]]:
    app = EchoApp()
    running = Running(app, max_request_bytes=1024)
    yield running, app
    running.stop()


@pytest.fixture(scope="module")
def real() -> Iterator[Running]:
    running = Running(App(Config(in_memory=True, port=0)))
    yield running
    running.stop()


class Reader:
    """Reads HTTP responses off a socket, one at a time."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buf = b""

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buf += chunk
        return bool(chunk)

    def head(self) -> tuple[int, dict[str, str], str]:
        while b"\r\n\r\n" not in self.buf:
            if not self._fill():
                raise EOFError(f"connection closed; got {self.buf!r}")
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            assert name.lower() not in headers, f"header {name} sent twice"
            headers[name.lower()] = value.strip()
        return int(lines[0].split()[1]), headers, lines[0]

    def response(self, *, head: bool = False) -> tuple[int, dict[str, str], bytes]:
        status, headers, _ = self.head()
        length = 0 if head else int(headers.get("content-length", "0"))
        while len(self.buf) < length:
            if not self._fill():
                raise EOFError("connection closed mid-body")
        body, self.buf = self.buf[:length], self.buf[length:]
        return status, headers, body

    def closed(self) -> bool:
        """True when the server closes the connection with nothing more to read."""
        try:
            return not self._fill() and not self.buf
        except ConnectionResetError:
            return True


def reset(sock: socket.socket) -> None:
    """Leave abruptly: close with a TCP reset rather than a FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def get(path: str, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n".encode()


def post(path: str, body: bytes, extra: str = "") -> bytes:
    return f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body


# -- keep-alive, pipelining -----------------------------------------------------------------------------


def test_several_requests_on_one_keep_alive_connection_are_each_answered(real):
    with real.connect() as sock:
        reader = Reader(sock)
        for _ in range(3):
            sock.sendall(get("/_pocketcloud/health"))
            status, headers, body = reader.response()
            assert status == 200
            assert json.loads(body)["status"] == "running"
            assert headers["content-length"] == str(len(body))
            assert headers["server"] == "pocketcloud"
            assert headers["date"].endswith(" GMT")
            assert "connection" not in headers


def test_a_dynamodb_request_is_answered_through_the_real_app(real):
    body = b"{}"
    extra = ("X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Type: application/x-amz-json-1.0\r\n"
             "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
             "SignedHeaders=host, Signature=0\r\n")
    with real.connect() as sock:
        sock.sendall(post("/", body, extra))
        status, headers, out = Reader(sock).response()
    assert status == 200
    assert json.loads(out) == {"TableNames": []}
    assert headers["x-amzn-requestid"]


def test_pipelined_requests_are_answered_in_the_order_they_were_sent(echo):
    running, app = echo
    with running.connect() as sock:
        sock.sendall(get("/sleep/200") + post("/second", b"abc") + get("/third?x=1"))
        reader = Reader(sock)
        answers = [json.loads(reader.response()[2]) for _ in range(3)]
    assert [a["path"] for a in answers] == ["/sleep/200", "/second", "/third"]
    assert answers[1]["body"] == "abc"
    assert answers[2]["query"] == "x=1"
    # One at a time: the slow first request finished before the second one started.
    assert app.finished == ["/sleep/200", "/second", "/third"]


def test_many_pipelined_requests_beyond_the_queue_limit_are_all_answered(echo):
    running, _ = echo
    count = http.MAX_QUEUED * 3
    with running.connect() as sock:
        sock.sendall(b"".join(get(f"/n/{i}") for i in range(count)))
        reader = Reader(sock)
        paths = [json.loads(reader.response()[2])["path"] for _ in range(count)]
    assert paths == [f"/n/{i}" for i in range(count)]


def test_big_pipelined_responses_to_a_slow_reader_arrive_whole_and_in_order(echo):
    running, app = echo
    size = 24 * 1024 * 1024  # more than the kernel buffers of both ends hold
    with running.connect() as sock:
        sock.sendall(get(f"/big/{size}") + get(f"/big/{size + 1}") + get("/last"))
        time.sleep(0.3)  # not reading: the server's writes back up and it must wait before answering more
        assert app.finished == [f"/big/{size}"]
        reader = Reader(sock)
        assert len(reader.response()[2]) == size
        assert len(reader.response()[2]) == size + 1
        assert json.loads(reader.response()[2])["path"] == "/last"


def test_connection_close_is_honoured_after_the_response(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(get("/a", "Connection: close\r\n") + get("/never"))
        reader = Reader(sock)
        status, headers, _ = reader.response()
        assert status == 200
        assert headers["connection"] == "close"
        assert reader.closed()


def test_http_1_0_closes_by_default_and_keeps_alive_when_asked(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(b"GET /a HTTP/1.0\r\n\r\n")
        reader = Reader(sock)
        status, headers, body = reader.response()
        assert status == 200 and json.loads(body)["path"] == "/a"
        assert reader.closed()
    with running.connect() as sock:
        reader = Reader(sock)
        for path in ("/b", "/c"):
            sock.sendall(f"GET {path} HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".encode())
            status, headers, body = reader.response()
            assert headers["connection"] == "keep-alive"
            assert json.loads(body)["path"] == path


# -- request bodies -------------------------------------------------------------------------------------


def test_a_chunked_request_body_is_decoded(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(b"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        time.sleep(0.05)  # the rest arrives in a later packet
        sock.sendall(b"6\r\n world\r\n0\r\n\r\n")
        status, _, body = Reader(sock).response()
    assert status == 200
    assert json.loads(body)["body"] == "hello world"


def test_expect_100_continue_is_answered_before_the_body_is_sent(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(b"PUT /up HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        reader = Reader(sock)
        status, _, line = reader.head()
        assert (status, line) == (100, "HTTP/1.1 100 Continue")
        sock.sendall(b"data")
        status, _, body = reader.response()
    assert status == 200
    assert json.loads(body)["body"] == "data"


def test_expect_100_continue_behind_a_pipelined_request_waits_for_its_answer(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(get("/sleep/100") + b"PUT /up HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        reader = Reader(sock)
        assert json.loads(reader.response()[2])["path"] == "/sleep/100"
        assert reader.head()[0] == 100
        sock.sendall(b"ok")
        assert json.loads(reader.response()[2])["body"] == "ok"


def test_an_oversized_content_length_is_refused_with_413_before_the_body(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(b"POST /big HTTP/1.1\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
        reader = Reader(sock)
        status, headers, _ = reader.response()
        assert status == 413
        assert headers["connection"] == "close"
        assert reader.closed()


def test_an_oversized_chunked_body_is_refused_with_413(echo):
    running, app = echo
    chunk = b"400\r\n" + b"x" * 0x400 + b"\r\n"
    with running.connect() as sock:
        sock.sendall(b"POST /big HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk)
        reader = Reader(sock)
        assert reader.response()[0] == 413
        assert reader.closed()
    assert app.seen == []


# -- responses ------------------------------------------------------------------------------------------


def test_head_gets_the_headers_without_a_body_and_the_connection_stays_usable(real):
    with real.connect() as sock:
        reader = Reader(sock)
        sock.sendall(get("/health"))
        _, _, get_body = reader.response()
        sock.sendall(b"HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n" + get("/health"))
        status, headers, _ = reader.response(head=True)
        assert status == 200
        assert int(headers["content-length"]) == len(get_body)
        status, _, body = reader.response()  # the next response starts right after HEAD's headers
        assert status == 200 and json.loads(body)["status"] == "running"


def test_header_names_are_lower_case_in_headers_and_kept_as_sent_in_header_list(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(get("/h", "X-Thing: a\r\nx-thing: b\r\nContent-Type: text/plain\r\n"))
        answer = json.loads(Reader(sock).response()[2])
    assert answer["headers"]["x-thing"] == "a,b"
    assert answer["headers"]["content-type"] == "text/plain"
    assert ["X-Thing", "a"] in answer["header_list"] and ["x-thing", "b"] in answer["header_list"]


def test_the_path_is_percent_decoded_and_raw_path_is_kept_as_sent(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(get("/a%20b/%C3%A9?q=%20&r"))
        answer = json.loads(Reader(sock).response()[2])
    assert answer["path"] == "/a b/é"
    assert answer["raw_path"] == "/a%20b/%C3%A9"
    assert answer["query"] == "q=%20&r"


def test_an_exception_in_the_app_becomes_a_500_and_the_connection_stays_open(echo, caplog):
    running, _ = echo
    with running.connect() as sock:
        reader = Reader(sock)
        sock.sendall(get("/boom"))
        assert reader.response()[0] == 500
        sock.sendall(get("/after"))
        assert json.loads(reader.response()[2])["path"] == "/after"


def test_response_headers_with_line_breaks_are_dropped_and_the_framing_is_the_servers():
    response = Response(200, b"hi", {"x-ok": "1", "x-bad": "a\r\nx-injected: 1", "Content-Length": "99"},
                        [("set-cookie", "a=1"), ("set-cookie", "b=2")])
    out = encode_response(response)
    head, _, body = out.partition(b"\r\n\r\n")
    assert body == b"hi"
    assert b"x-injected" not in head and b"x-ok: 1" in head
    assert head.count(b"set-cookie") == 2
    assert b"content-length: 2" in head and b"99" not in head


def test_a_204_has_no_content_length_and_no_body():
    out = encode_response(Response(204, b"ignored"))
    assert out.startswith(b"HTTP/1.1 204 No Content\r\n") and out.endswith(b"\r\n\r\n")
    assert b"content-length" not in out


def test_an_upgrade_request_is_answered_as_plain_http_and_the_connection_carries_on(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(get("/up", "Connection: Upgrade\r\nUpgrade: h2c\r\n") + get("/next"))
        reader = Reader(sock)
        assert [json.loads(reader.response()[2])["path"] for _ in range(2)] == ["/up", "/next"]


# -- bad clients ----------------------------------------------------------------------------------------


def test_a_malformed_request_gets_400_and_the_connection_is_closed(echo):
    running, app = echo
    with running.connect() as sock:
        sock.sendall(b"THIS IS NOT HTTP\r\n\r\n")
        reader = Reader(sock)
        status, headers, _ = reader.response()
        assert status == 400
        assert headers["connection"] == "close"
        assert reader.closed()
    assert app.seen == []


def test_a_malformed_request_behind_a_good_one_gets_400_after_the_good_answer(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(get("/sleep/50") + b"GET / HTTP/1.1\r\nContent-Length: nope\r\n\r\n")
        reader = Reader(sock)
        assert reader.response()[0] == 200
        assert reader.response()[0] == 400
        assert reader.closed()


def test_a_client_leaving_mid_body_leaves_nothing_running_and_logs_nothing(echo, caplog):
    running, app = echo
    caplog.set_level(logging.DEBUG, logger="pocketcloud")
    for leave in (socket.socket.close, reset):
        sock = running.connect()
        sock.sendall(b"POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\n0123456789")
        leave(sock)
    with running.connect() as sock:  # the server still answers
        sock.sendall(get("/next"))
        assert Reader(sock).response()[0] == 200
    assert [r.path for r in app.seen] == ["/next"]
    assert running.open_tasks() == 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_client_leaving_while_its_request_runs_lets_it_finish_and_drops_what_was_queued(echo, caplog):
    running, app = echo
    caplog.set_level(logging.DEBUG, logger="pocketcloud")
    sock = running.connect()
    sock.sendall(get("/sleep/200") + get("/queued"))
    time.sleep(0.05)
    reset(sock)
    deadline = time.monotonic() + TIMEOUT
    while "/sleep/200" not in app.finished and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)
    assert app.finished == ["/sleep/200"]
    assert running.open_tasks() == 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_client_that_half_closes_still_gets_every_answer_it_asked_for(echo):
    running, _ = echo
    with running.connect() as sock:
        sock.sendall(get("/sleep/100") + get("/second"))
        sock.shutdown(socket.SHUT_WR)
        reader = Reader(sock)
        assert [json.loads(reader.response()[2])["path"] for _ in range(2)] == ["/sleep/100", "/second"]
        assert reader.closed()


def test_idle_connections_and_stalled_requests_are_closed_after_the_keep_alive_time():
    running = Running(EchoApp(), keep_alive_seconds=0.3)
    try:
        with running.connect() as idle, running.connect() as stalled:
            reader = Reader(idle)
            idle.sendall(get("/once"))
            assert reader.response()[0] == 200
            stalled.sendall(b"GET /never-finished HTTP/1.1\r\nHost: x\r\n")
            # The sweep runs once a second: both are closed within a few seconds (the socket timeout bounds it).
            assert reader.closed()
            assert Reader(stalled).closed()
    finally:
        running.stop()


# -- lifecycle ------------------------------------------------------------------------------------------


def test_shutdown_finishes_the_request_in_flight_then_shuts_the_app_down():
    app = EchoApp()
    running = Running(app)
    try:
        sock = running.connect()
        idle = running.connect()
        sock.sendall(get("/sleep/300"))
        time.sleep(0.1)
        stopping = threading.Thread(target=running.stop, args=(3.0,))
        stopping.start()
        reader = Reader(sock)
        status, headers, body = reader.response()
        assert status == 200 and json.loads(body)["path"] == "/sleep/300"
        assert headers["connection"] == "close"
        assert Reader(idle).closed()
        stopping.join(TIMEOUT)
        assert app.shut_down
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", running.port), timeout=1).close()
        sock.close()
        idle.close()
    finally:
        if running.thread.is_alive():
            running.stop()


def test_the_server_listens_on_ipv6_when_asked():
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    try:
        running = Running(EchoApp(), host="::1")
    except OSError:
        pytest.skip("::1 is not configured")
    try:
        with socket.create_connection(("::1", running.port), timeout=TIMEOUT) as sock:
            sock.sendall(get("/six"))
            assert json.loads(Reader(sock).response()[2])["path"] == "/six"
    finally:
        running.stop()


def test_endless_headers_are_refused_with_413_instead_of_buffered(echo):
    running, app = echo
    with running.connect() as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nX-Long: ")
        reader = Reader(sock)
        try:
            for _ in range(200):  # up to 3.2 MB, well past the 1 MB + 1 KB cap
                sock.sendall(b"a" * 16384)
        except OSError:
            pass  # the server answered and closed while we were still sending
        assert reader.response()[0] == 413
    assert app.seen == []


def test_double_colon_listens_on_ipv4_and_ipv6_alike():
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    try:
        running = Running(EchoApp(), host="::")
    except OSError:
        pytest.skip("IPv6 is not configured")
    try:
        families = {s.family for s in running.server.sockets}
        assert socket.AF_INET in families
        with socket.create_connection(("127.0.0.1", running.port), timeout=TIMEOUT) as sock:
            sock.sendall(get("/four"))
            assert json.loads(Reader(sock).response()[2])["path"] == "/four"
    finally:
        running.stop()


def test_the_app_still_answers_as_an_asgi_app():
    app = App(Config(in_memory=True, port=0))
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def call() -> None:
        scope = {"type": "http", "method": "GET", "path": "/health", "raw_path": b"/health", "query_string": b"",
                 "headers": [(b"host", b"x")], "client": ("127.0.0.1", 1)}
        await app(scope, receive, send)
        await app.shutdown()

    asyncio.run(call())
    assert sent[0]["status"] == 200
    assert json.loads(sent[1]["body"])["status"] == "running"


def test_pocketcloud_up_stops_cleanly_on_sigterm(tmp_path):
    import subprocess
    import sys

    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    number = port.getsockname()[1]
    port.close()
    log = tmp_path / "up.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pocketcloud", "up", "--in-memory", "--port", str(number)],
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", number), timeout=1) as sock:
                    sock.settimeout(TIMEOUT)
                    sock.sendall(get("/health"))
                    assert Reader(sock).response()[0] == 200
                break
            except ConnectionRefusedError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.05)
        proc.terminate()
        assert proc.wait(TIMEOUT) == 0
        assert "Traceback" not in log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(TIMEOUT)
