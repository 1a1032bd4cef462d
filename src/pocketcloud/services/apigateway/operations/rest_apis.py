"""CreateRestApi, GetRestApis, GetRestApi, UpdateRestApi, DeleteRestApi.

https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRestApi.html
"""

from __future__ import annotations

from typing import Any

from ..errors import BadRequestException
from ..patch import apply_patches
from ..store import new_id, now
from ._common import paginate, public, store

DEFAULT_MODELS = {
    "Empty": {"name": "Empty", "description": "This is a default empty schema model", "contentType": "application/json",
              "schema": '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}'},
    "Error": {"name": "Error", "description": "This is a default error schema model", "contentType": "application/json",
              "schema": '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n  "type" : "object",\n'
                        '  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}'},
}
_ENDPOINT_TYPES = ("EDGE", "REGIONAL", "PRIVATE")


def check_minimum_compression_size(size: Any) -> None:
    # The bound is AWS's (patch-operations.html: "a non-negative integer between 0 and 10485760"); the wording is ours.
    if size is not None and not 0 <= size <= 10485760:
        raise BadRequestException("Invalid minimum compression size, must be between 0 and 10485760")


def new_api_document(name: str, params: dict[str, Any]) -> dict[str, Any]:
    api_id, root_id = new_id(10), new_id(10)
    check_minimum_compression_size(params.get("minimumCompressionSize"))
    endpoint = dict(params.get("endpointConfiguration") or {})
    types = endpoint.get("types") or ["EDGE"]
    for kind in types:
        if kind not in _ENDPOINT_TYPES:
            raise BadRequestException(f"Invalid endpoint type: {kind}")
    endpoint["types"] = types
    endpoint.setdefault("ipAddressType", "ipv4")
    doc: dict[str, Any] = {
        "id": api_id,
        "name": name,
        "createdDate": now(),
        "apiKeySource": params.get("apiKeySource") or "HEADER",
        "endpointConfiguration": endpoint,
        "disableExecuteApiEndpoint": bool(params.get("disableExecuteApiEndpoint", False)),
        "rootResourceId": root_id,
        "resources": {root_id: {"id": root_id, "path": "/"}},
        "models": {k: dict(v, id=new_id(6)) for k, v in DEFAULT_MODELS.items()},
    }
    for key in ("description", "version", "binaryMediaTypes", "minimumCompressionSize", "policy", "tags"):
        if params.get(key) is not None:
            doc[key] = params[key]
    return doc


def api_output(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in public(doc).items() if k not in ("resources", "models")}
    return out


def create_rest_api(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    if not params.get("name"):
        raise BadRequestException("Invalid REST API name specified")
    doc = new_api_document(params["name"], params)
    store(ctx).create_api(doc)
    return api_output(doc)


def get_rest_apis(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    apis = sorted(store(ctx).list_apis(), key=lambda d: d["createdDate"])
    page = paginate(apis, params)
    page["items"] = [api_output(d) for d in page["items"]]
    return page


def get_rest_api(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    return api_output(store(ctx).get_api(params["restApiId"]))


def update_rest_api(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    doc = s.get_api(params["restApiId"])
    endpoint = doc.setdefault("endpointConfiguration", {"types": ["EDGE"]})

    def mapper(parts: list[str]) -> list[str]:
        # /endpointConfiguration/types/EDGE with value REGIONAL switches the endpoint type.
        if parts[:2] == ["endpointConfiguration", "types"]:
            return ["_endpointTypes", *parts[2:]]
        return parts

    doc["_endpointTypes"] = endpoint.get("types", [])
    apply_patches(
        doc, params.get("patchOperations"), mapper=mapper,
        allowed={"name": "str", "description": "str", "version": "str", "policy": "str", "apiKeySource": "str",
                 "minimumCompressionSize": "int", "disableExecuteApiEndpoint": "bool"},
        lists=("binaryMediaTypes", "_endpointTypes"), required=("name", "apiKeySource", "disableExecuteApiEndpoint"),
    )
    check_minimum_compression_size(doc.get("minimumCompressionSize"))
    endpoint["types"] = doc.pop("_endpointTypes")
    s.put_api(doc)
    return api_output(doc)


def delete_rest_api(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    store(ctx).delete_api(params["restApiId"])
    return {}
