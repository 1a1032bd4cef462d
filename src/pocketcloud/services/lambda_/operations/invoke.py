"""Invoke: https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html

RequestResponse runs the function and answers its result (200 even when it failed: X-Amz-Function-Error says so);
Event queues it durably (202) for queue.py; DryRun only checks (204).
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from typing import Any

from pocketcloud.protocols.base import Response

from ..errors import InvalidParameterValueException, InvalidRequestContentException
from ..invoker import ASYNC_LIMIT, SYNC_LIMIT, check_payload, log_result_header, resolve_target, run
from ..models import resolve
from ..queue import get_queue
from ._common import ref


def _client_context(value: str | None) -> str | None:
    if not value:
        return None
    try:
        text = base64.b64decode(value, validate=True).decode()
        document = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        document = None
    # An object, not any JSON: the runtimes read its "client", "custom" and "env" members.
    if not isinstance(document, dict):
        raise InvalidRequestContentException("Client context must be a valid Base64-encoded JSON object.")
    return text


async def invoke(ctx: Any, params: dict[str, Any]) -> Response:
    r = ref(ctx, params["FunctionName"], params.get("Qualifier"))
    kind = params.get("InvocationType") or "RequestResponse"
    if kind not in ("RequestResponse", "Event", "DryRun"):
        raise InvalidParameterValueException(f"Unsupported invocation type {kind}")
    payload = check_payload(params.get("Payload") or b"", ASYNC_LIMIT if kind == "Event" else SYNC_LIMIT)
    client_context = _client_context(params.get("ClientContext"))
    target = resolve_target(ctx.state, r, pick_weighted=True)
    resolved = target.resolved
    headers = {"x-amzn-requestid": ctx.request_id, "content-type": "application/json"}
    if kind == "DryRun":
        return Response(204, b"", headers)
    if kind == "Event":
        get_queue(ctx.state).enqueue(r, payload, request_id=ctx.request_id)
        return Response(202, b"", headers)
    result = await run(ctx.state, r, resolved, payload, request_id=ctx.request_id, client_context=client_context,
                       target=target)
    headers["x-amz-executed-version"] = resolved.version
    if result.function_error:
        headers["x-amz-function-error"] = result.function_error
    if params.get("LogType") == "Tail":
        headers["x-amz-log-result"] = log_result_header(result)
    return Response(200, result.payload, headers)


async def invoke_async(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    """InvokeAsync, the deprecated predecessor of Invoke with InvocationType=Event."""
    r = ref(ctx, params["FunctionName"])
    raw = params.get("InvokeArgs") or b""
    payload = check_payload(raw if isinstance(raw, bytes) else raw.encode(), ASYNC_LIMIT)
    resolve(ctx.state.storage.resources, r)
    get_queue(ctx.state).enqueue(r, payload, request_id=str(uuid.uuid4()))
    return {"Status": 202}
