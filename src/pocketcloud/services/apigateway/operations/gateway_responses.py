"""PutGatewayResponse, GetGatewayResponse, GetGatewayResponses, UpdateGatewayResponse, DeleteGatewayResponse.

https://docs.aws.amazon.com/apigateway/latest/api/API_PutGatewayResponse.html — the types and their defaults are
in ../gateway_responses.py. Like the rest of the API, a change is served once the API is deployed again.
"""

from __future__ import annotations

from typing import Any

from ..errors import BadRequestException, NotFoundException
from ..execute.templates import is_header_name
from ..gateway_responses import DEFAULT_STATUS, HEADER_TARGET, current
from ..patch import apply_patches
from ._common import paginate, store

# Where a gateway response parameter may read from (besides a 'static' value).
_SOURCES = ("method.request.header.", "method.request.multivalueheader.", "method.request.querystring.",
            "method.request.multivaluequerystring.", "method.request.path.", "stageVariables.", "context.")


def check_response_parameters(parameters: dict[str, Any] | None) -> None:
    """Targets are response headers; sources are request parameters, stage or context variables, or 'static'."""
    for target, source in (parameters or {}).items():
        if not target.startswith(HEADER_TARGET) or not is_header_name(target[len(HEADER_TARGET):]):
            raise BadRequestException(f"Invalid mapping expression specified: {target}")
        text = (source or "").strip() if isinstance(source, str) else ""
        static = len(text) >= 2 and text[0] == text[-1] == "'"
        if not static and not any(text.startswith(p) and len(text) > len(p) for p in _SOURCES):
            raise BadRequestException(f"Invalid mapping expression specified: {source}")


def check_status_code(status: str | None) -> None:
    """The model's pattern for a status code ([1-5]\\d\\d), for values that reach us without the protocol's check
    (patch operations, imported documents)."""
    if status is not None and not (len(status) == 3 and status.isascii() and status.isdigit() and status[0] in "12345"):
        raise BadRequestException(f"Invalid status code specified: {status}")


def _customised(api: dict[str, Any], response_type: str) -> dict[str, Any]:
    """The stored customisation of a type, made from its default when there is none yet."""
    responses = api.setdefault("gatewayResponses", {})
    if response_type not in responses:
        default = current(api, response_type)
        default.pop("defaultResponse")
        responses[response_type] = default
    return responses[response_type]


def put_gateway_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    response_type = params["responseType"]
    check_response_parameters(params.get("responseParameters"))
    record: dict[str, Any] = {"responseType": response_type}
    if params.get("statusCode") is not None:
        record["statusCode"] = params["statusCode"]
    record["responseParameters"] = dict(params.get("responseParameters") or {})
    record["responseTemplates"] = dict(params.get("responseTemplates") or {})
    api.setdefault("gatewayResponses", {})[response_type] = record
    s.put_api(api)
    return current(api, response_type)


def get_gateway_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    return current(api, params["responseType"])


def get_gateway_responses(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    return paginate([current(api, kind) for kind in DEFAULT_STATUS], params)


def update_gateway_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    response_type = params["responseType"]
    record = _customised(api, response_type)
    apply_patches(record, params.get("patchOperations"), allowed={"statusCode": "str"},
                  maps=("responseParameters", "responseTemplates"))
    check_status_code(record.get("statusCode"))
    check_response_parameters(record.get("responseParameters"))
    s.put_api(api)
    return current(api, response_type)


def delete_gateway_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    responses = api.get("gatewayResponses") or {}
    if params["responseType"] not in responses:
        raise NotFoundException("Invalid Gateway Response type specified")
    del responses[params["responseType"]]
    s.put_api(api)
    return {}
