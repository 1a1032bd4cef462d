"""A small HTTP/1.1 client on asyncio streams for HTTP and HTTP_PROXY integrations (one connection per call).

Kept dependency-free on purpose: integrations call one backend per request, and a connection per call keeps the
code short and the failure modes obvious. Handles Content-Length, chunked and read-to-EOF bodies; https via ssl.
"""

from __future__ import annotations

import asyncio
import ssl
from urllib.parse import urlsplit

_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                         "proxy-authorization", "proxy-authenticate", "host", "content-length"})


class HttpClientError(Exception):
    pass


async def request(method: str, url: str, headers: list[tuple[str, str]], body: bytes,
                  timeout: float) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) of one request; raises asyncio.TimeoutError or HttpClientError."""
    return await asyncio.wait_for(_request(method, url, headers, body), timeout)


async def _request(method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if secure else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        reader, writer = await asyncio.open_connection(host, port, ssl=ssl.create_default_context() if secure else None)
    except OSError as e:
        raise HttpClientError(f"cannot connect to {host}:{port}: {e}") from None
    try:
        lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close",
                 f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers if k.lower() not in _HOP_BY_HOP]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        return await _read_response(reader, method)
    finally:
        writer.close()


async def _read_response(reader: asyncio.StreamReader, method: str) -> tuple[int, list[tuple[str, str]], bytes]:
    status_line = await reader.readline()
    try:
        status = int(status_line.split(b" ", 2)[1])
    except (IndexError, ValueError):
        raise HttpClientError(f"malformed status line {status_line[:100]!r}") from None
    headers: list[tuple[str, str]] = []
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    lowered = {k.lower(): v for k, v in headers}
    if method == "HEAD" or status in (204, 304):
        body = b""
    elif "chunked" in lowered.get("transfer-encoding", "").lower():
        body = await _read_chunked(reader)
    elif "content-length" in lowered:
        body = await reader.readexactly(int(lowered["content-length"]))
    else:
        body = await reader.read()
    return status, [(k, v) for k, v in headers if k.lower() not in _HOP_BY_HOP], body


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks = []
    while True:
        size = int((await reader.readline()).split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            await reader.readline()
            return b"".join(chunks)
        chunks.append(await reader.readexactly(size))
        await reader.readline()
