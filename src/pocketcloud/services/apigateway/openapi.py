"""OpenAPI (Swagger 2.0 and OpenAPI 3.0, JSON or YAML) to and from a REST API, with API Gateway's extensions.

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html and
api-gateway-swagger-extensions.html (x-amazon-apigateway-integration, -any-method, -binary-media-types).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from .errors import BadRequestException
from .store import new_id

_VERBS = ("get", "put", "post", "delete", "patch", "head", "options", "x-amazon-apigateway-any-method")
_INTEGRATION_KEYS = ("uri", "httpMethod", "requestTemplates", "requestParameters", "passthroughBehavior",
                     "timeoutInMillis", "contentHandling", "cacheNamespace", "cacheKeyParameters", "credentials",
                     "connectionType", "connectionId")


def load_document(body: bytes | str) -> dict[str, Any]:
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    try:
        doc = json.loads(text)
    except ValueError:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            doc = None
    if not isinstance(doc, dict) or not ("swagger" in doc or "openapi" in doc):
        raise BadRequestException("Invalid OpenAPI input.")
    if not isinstance(doc.get("paths", {}), dict):
        raise BadRequestException("Invalid OpenAPI input.")
    return doc


# ---------------------------------------------------------------------------------------------- import


def _ensure_resource(api: dict[str, Any], path: str) -> dict[str, Any]:
    by_path = {r["path"]: r for r in api["resources"].values()}
    current = by_path["/"]
    built = ""
    for part in [p for p in path.split("/") if p]:
        built += "/" + part
        found = by_path.get(built)
        if found is None:
            rid = new_id(6)
            found = {"id": rid, "parentId": current["id"], "pathPart": part, "path": built}
            api["resources"][rid] = found
            by_path[built] = found
        current = found
    return current


def _integration(spec: dict[str, Any], resource_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {"type": str(spec.get("type", "")).upper()}
    for key in _INTEGRATION_KEYS:
        if key in spec:
            out[key] = spec[key]
    if "httpMethod" in out:
        out["httpMethod"] = str(out["httpMethod"]).upper()
    out["passthroughBehavior"] = str(out.get("passthroughBehavior", "WHEN_NO_MATCH")).upper()
    out.setdefault("timeoutInMillis", 29000)
    out.setdefault("cacheNamespace", resource_id)
    out.setdefault("cacheKeyParameters", [])
    responses: dict[str, Any] = {}
    for pattern, response in (spec.get("responses") or {}).items():
        status = str(response.get("statusCode", "200"))
        entry: dict[str, Any] = {"statusCode": status}
        if pattern != "default":
            entry["selectionPattern"] = pattern
        for key in ("responseParameters", "responseTemplates", "contentHandling"):
            if key in response:
                entry[key] = response[key]
        responses[status] = entry
    if responses:
        out["integrationResponses"] = responses
    return out


def _method(verb: str, op: dict[str, Any], resource_id: str, path_params: list[Any]) -> dict[str, Any]:
    http_method = "ANY" if verb == "x-amazon-apigateway-any-method" else verb.upper()
    method: dict[str, Any] = {"httpMethod": http_method, "authorizationType": "NONE", "apiKeyRequired": False}
    if any("api_key" in s for s in op.get("security") or [] if isinstance(s, dict)):
        method["apiKeyRequired"] = True
    if op.get("operationId"):
        method["operationName"] = op["operationId"]
    params: dict[str, bool] = {}
    for param in list(path_params) + list(op.get("parameters") or []):
        where = {"path": "path", "query": "querystring", "header": "header"}.get(param.get("in", ""))
        if where and param.get("name"):
            params[f"method.request.{where}.{param['name']}"] = bool(param.get("required", False))
    if params:
        method["requestParameters"] = params
    responses = {}
    for code, response in (op.get("responses") or {}).items():
        if not str(code).isdigit():
            continue
        entry: dict[str, Any] = {"statusCode": str(code)}
        headers = (response or {}).get("headers") or {}
        if headers:
            entry["responseParameters"] = {f"method.response.header.{h}": False for h in headers}
        responses[str(code)] = entry
    if responses:
        method["methodResponses"] = responses
    if "x-amazon-apigateway-integration" in op:
        method["methodIntegration"] = _integration(op["x-amazon-apigateway-integration"], resource_id)
    return method


def apply_document(api: dict[str, Any], doc: dict[str, Any], *, overwrite: bool) -> list[str]:
    """Build the API's resources, methods and models from the document; returns warnings."""
    warnings: list[str] = []
    info = doc.get("info") or {}
    if overwrite or not api.get("name"):
        if info.get("title"):
            api["name"] = info["title"]
    if overwrite:
        root = api["resources"][api["rootResourceId"]]
        api["resources"] = {root["id"]: {"id": root["id"], "path": "/"}}
        api["models"] = {}
        for key in ("description", "version"):
            api.pop(key, None)
    if info.get("description"):
        api["description"] = info["description"]
    if info.get("version") is not None:
        api["version"] = str(info["version"])
    if doc.get("x-amazon-apigateway-binary-media-types"):
        api["binaryMediaTypes"] = list(doc["x-amazon-apigateway-binary-media-types"])
    for path, item in (doc.get("paths") or {}).items():
        resource = _ensure_resource(api, path)
        for verb, op in (item or {}).items():
            if verb not in _VERBS or not isinstance(op, dict):
                continue
            method = _method(verb, op, resource["id"], item.get("parameters") or [])
            if "methodIntegration" not in method:
                warnings.append(f"No integration defined for method {method['httpMethod']} {path}")
            resource.setdefault("resourceMethods", {})[method["httpMethod"]] = method
    schemas = doc.get("definitions") or (doc.get("components") or {}).get("schemas") or {}
    for name, schema in schemas.items():
        api.setdefault("models", {})[name] = {"id": new_id(6), "name": name, "contentType": "application/json",
                                              "schema": json.dumps(schema)}
    return warnings


# ---------------------------------------------------------------------------------------------- export


def _export_integration(integration: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": integration["type"].lower()}
    for key in _INTEGRATION_KEYS:
        if key in integration and key not in ("cacheNamespace", "cacheKeyParameters", "timeoutInMillis"):
            out[key] = integration[key]
    out["passthroughBehavior"] = integration.get("passthroughBehavior", "WHEN_NO_MATCH").lower()
    responses = {}
    for status, response in (integration.get("integrationResponses") or {}).items():
        entry = {k: v for k, v in response.items() if k not in ("selectionPattern",)}
        responses[response.get("selectionPattern") or "default"] = entry
    if responses:
        out["responses"] = responses
    return out


def export_document(api: dict[str, Any], stage: dict[str, Any], region: str, *, oas3: bool,
                    integrations: bool) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for resource in sorted(api["resources"].values(), key=lambda r: r["path"]):
        methods = resource.get("resourceMethods") or {}
        if not methods:
            continue
        item: dict[str, Any] = {}
        for name, method in methods.items():
            verb = "x-amazon-apigateway-any-method" if name == "ANY" else name.lower()
            op: dict[str, Any] = {}
            params = []
            for key, required in (method.get("requestParameters") or {}).items():
                _, _, where, pname = key.split(".", 3)
                where = {"querystring": "query"}.get(where, where)
                param: dict[str, Any] = {"name": pname, "in": where, "required": bool(required) or where == "path"}
                param.update({"schema": {"type": "string"}} if oas3 else {"type": "string"})
                params.append(param)
            if params:
                op["parameters"] = params
            responses = {}
            for code, response in (method.get("methodResponses") or {}).items():
                entry: dict[str, Any] = {"description": f"{code} response"}
                headers = {k.split(".")[-1]: ({"schema": {"type": "string"}} if oas3 else {"type": "string"})
                           for k in (response.get("responseParameters") or {})}
                if headers:
                    entry["headers"] = headers
                responses[code] = entry
            op["responses"] = responses
            if method.get("apiKeyRequired"):
                op["security"] = [{"api_key": []}]
            if integrations and method.get("methodIntegration"):
                op["x-amazon-apigateway-integration"] = _export_integration(method["methodIntegration"])
            item[verb] = op
        paths[resource["path"]] = item
    info = {"title": api.get("name", ""), "version": api.get("version") or stage.get("createdDate") and
            _iso(stage["createdDate"])}
    if api.get("description"):
        info["description"] = api["description"]
    host = f"{api['id']}.execute-api.{region}.amazonaws.com"
    if oas3:
        doc: dict[str, Any] = {"openapi": "3.0.1", "info": info,
                               "servers": [{"url": f"https://{host}/{{basePath}}",
                                            "variables": {"basePath": {"default": stage["stageName"]}}}],
                               "paths": paths}
    else:
        doc = {"swagger": "2.0", "info": info, "host": host, "basePath": f"/{stage['stageName']}",
               "schemes": ["https"], "paths": paths}
    if api.get("binaryMediaTypes"):
        doc["x-amazon-apigateway-binary-media-types"] = api["binaryMediaTypes"]
    return doc


def _iso(epoch: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def dump(doc: dict[str, Any], as_yaml: bool) -> bytes:
    if as_yaml:
        return yaml.safe_dump(doc, sort_keys=False).encode()
    return json.dumps(doc, indent=2).encode()
