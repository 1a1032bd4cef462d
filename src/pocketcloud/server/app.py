"""The ASGI application: where every request enters.

request → identify the caller (auth.py) → identify the service (identify.py) → the service's protocol parses and
validates from the botocore model → the operation runs → the protocol serializes the result or the error.
Anything unexpected becomes InternalServerError with the request id in the log — never a traceback to the client.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any

from pocketcloud import __version__
from pocketcloud.config import Config
from pocketcloud.protocols import serialize
from pocketcloud.protocols.base import Request, Response
from pocketcloud.protocols.errors import InternalServerError, ServiceError
from pocketcloud.services import registry

from .auth import Identity
from .context import RequestContext
from .identify import execute_api_target, identify_service
from .state import AppState

log = logging.getLogger("pocketcloud.request")


class NotImplementedOperation(ServiceError):
    code = "NotImplementedException"
    status_code = 501


# A request id has the shape of a version-4 UUID. It needs to be unique, not unguessable: Python's Mersenne
# Twister makes one in 0.7 µs where uuid.uuid4() (os.urandom) takes 2.6 µs on every request.
_UUID4_MASK = ~(0xF000 << 64 | 0xC000 << 48) & ((1 << 128) - 1)
_UUID4_BITS = 0x4000 << 64 | 0x8000 << 48
_rng = random.Random()  # seeded from os.urandom


def new_request_id() -> str:
    h = "%032x" % (_rng.getrandbits(128) & _UUID4_MASK | _UUID4_BITS)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class App:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.state: AppState | None = None
        self.started = time.time()

    # -- ASGI -----------------------------------------------------------------------------------------

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.startup()
                except Exception as exc:  # pragma: no cover - reported to the server
                    log.exception("startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def startup(self) -> None:
        if self.state is None:
            self.state = AppState(self.config)
        # DynamoDB is what nearly every first request is for; load it now rather than on that request.
        service = registry.get("dynamodb")
        await self._start_service(service)
        self.state.spawn(self._resume_services(), "resume-services")

    async def _resume_services(self) -> None:
        await asyncio.sleep(0.2)  # let the first requests in before importing more code
        for name in registry.RESUME_AT_START:
            try:
                await self._start_service(registry.get(name))
            except Exception:
                log.exception("could not start %s", name)

    async def _start_service(self, service: Any) -> None:
        assert self.state is not None
        started = self.state.runtime.setdefault("_started", set())
        if service is None or service.name in started:
            return
        started.add(service.name)
        for hook in service.on_startup:
            result = hook(self.state)
            if asyncio.iscoroutine(result):
                await result
        for hook in service.on_shutdown:
            self.state.on_close(lambda hook=hook: hook(self.state))

    async def shutdown(self) -> None:
        if self.state is not None:
            await self.state.close()
            self.state = None

    async def _http(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        chunks = []
        while True:
            message = await receive()
            body = message.get("body")
            if body:
                chunks.append(body)
            if not message.get("more_body"):
                break
        # ASGI servers hand header names lower-cased already; repeated headers are joined as HTTP allows.
        header_list: list[tuple[str, str]] = []
        headers: dict[str, str] = {}
        for k, v in scope["headers"]:
            name, value = k.decode("latin-1"), v.decode("latin-1")
            header_list.append((name, value))
            lk = name.lower()
            headers[lk] = headers[lk] + "," + value if lk in headers else value
        raw_path = scope.get("raw_path")
        client = scope.get("client")
        request = Request(
            method=scope["method"],
            path=scope["path"],
            raw_path=raw_path.decode("latin-1") if raw_path else scope["path"],
            query_string=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            body=b"".join(chunks),
            client=client[0] if client else "127.0.0.1",
            header_list=header_list,
        )
        response = await self.handle(request)
        out_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
        if response.extra_headers:
            out_headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.extra_headers]
        out_headers.append((b"content-length", b"%d" % len(response.body)))
        await send({"type": "http.response.start", "status": response.status, "headers": out_headers})
        await send({"type": "http.response.body", "body": response.body})

    # -- dispatch -------------------------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        if self.state is None:
            await self.startup()
        state = self.state
        assert state is not None
        target = execute_api_target(request)
        if target is not None:  # a deployed API's traffic: API Gateway's data plane, not an AWS API call
            return await _apigateway_serve()(request, state, target)
        identity = state.auth.identify(request)
        name = identify_service(request, identity)
        if name is None:
            return self._unrouted(request)
        service = registry.get(name)
        if service is None:
            return _plain_error(400, "UnknownService", f"pocketcloud does not serve the '{name}' service yet")
        if service.name not in state.runtime.get("_started", ()):
            await self._start_service(service)
        commits, failures = state.storage.commits, state.storage.commits.failures
        response = await self.dispatch(service, request, identity, state)
        return await _after_commit(commits, failures, service.protocol, response)

    async def dispatch(self, service: Any, request: Request, identity: Identity, state: AppState) -> Response:
        request_id = new_request_id()
        protocol = service.protocol
        operation = "?"
        try:
            parsed = protocol.parse(request)
            operation = parsed.operation
            handler = service.operations.get(operation)
            if handler is None:
                unimplemented = service.unimplemented or NotImplementedOperation
                raise unimplemented(f"pocketcloud does not implement {service.name}:{operation} yet")
            ctx = RequestContext(
                request_id, identity.account_id, identity.region, identity.access_key,
                service.name, operation, request, state,
            )
            if service.is_async[operation]:
                result = await handler(ctx, parsed.params)
            else:
                result = handler(ctx, parsed.params)
            if isinstance(result, Response):
                return result
            return protocol.serialize(operation, result, request_id)
        except ServiceError as error:
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s %s.%s -> %s: %s", request_id, service.name, operation, error.code, error.message)
            return protocol.serialize_error(error, request_id)
        except Exception:
            log.exception("%s %s.%s failed", request_id, service.name, operation)
            return protocol.serialize_error(InternalServerError(f"Internal server error (request id {request_id})"), request_id)

    def _unrouted(self, request: Request) -> Response:
        path = request.path
        if request.method in ("GET", "HEAD") and path in ("/", "/_pocketcloud/health", "/health", "/_localstack/health"):
            body = {
                "status": "running",
                "version": __version__,
                "uptime_seconds": round(time.time() - self.started, 1),
                "services": sorted(registry.SERVICES),
            }
            return Response(200, serialize.dumps(body), {"content-type": "application/json"})
        return _plain_error(
            400, "UnrecognizedRequest",
            "pocketcloud could not tell which AWS service this request is for: sign it with SigV4 "
            "(any credentials work) or send X-Amz-Target",
        )


async def _after_commit(commits: Any, failures: int, protocol: Any, response: Response) -> Response:
    """`response` once the writes it reports are committed (storage/base.py Commits); a 500 if a commit failed."""
    if commits.pending:
        await commits.committed()
    if commits.failures == failures:
        return response
    request_id = response.headers.get("x-amzn-requestid") or new_request_id()
    log.error("%s answered 500: a group commit failed while it ran", request_id)
    return protocol.serialize_error(InternalServerError(f"Internal server error (request id {request_id})"), request_id)


_serve: Any = None


def _apigateway_serve() -> Any:
    """services/apigateway/serve.serve, imported on the first deployed-API request (an import statement per
    request costs the import machinery's lookup each time)."""
    global _serve
    if _serve is None:
        from pocketcloud.services.apigateway import serve

        _serve = serve.serve
    return _serve


def _plain_error(status: int, code: str, message: str) -> Response:
    body = serialize.dumps({"__type": code, "message": message})
    return Response(status, body, {"content-type": "application/json", "x-amzn-errortype": code})
