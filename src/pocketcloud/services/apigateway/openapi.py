"""OpenAPI (Swagger 2.0 and OpenAPI 3.0, JSON or YAML) to and from a REST API, with API Gateway's extensions.

Follows https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html and
api-gateway-swagger-extensions.html (x-amazon-apigateway-integration, -any-method, -binary-media-types).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import yaml

from .errors import BadRequestException
from .gateway_responses import DEFAULT_STATUS
from .store import new_id

_VERBS = ("get", "put", "post", "delete", "patch", "head", "options", "x-amazon-apigateway-any-method")
_INTEGRATION_KEYS = ("uri", "httpMethod", "requestTemplates", "requestParameters", "passthroughBehavior",
                     "timeoutInMillis", "contentHandling", "cacheNamespace", "cacheKeyParameters", "credentials",
                     "connectionType", "connectionId")


def load_document(body: bytes | str) -> dict[str, Any]:
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        try:
            doc = json.loads(text)
        except ValueError:
            doc = yaml.safe_load(text)
        # Only what JSON can hold goes on (YAML dates, non-string keys, alias cycles do not).
        doc = json.loads(json.dumps(doc, default=str))
    except (UnicodeDecodeError, yaml.YAMLError, TypeError, ValueError, RecursionError):
        doc = None
    if not isinstance(doc, dict) or not ("swagger" in doc or "openapi" in doc):
        raise BadRequestException("Invalid OpenAPI input.")
    if not isinstance(doc.get("paths", {}), dict) or not isinstance(doc.get("info") or {}, dict):
        raise BadRequestException("Invalid OpenAPI input.")
    return doc


# ---------------------------------------------------------------------------------------------- import


def import_error(detail: str) -> BadRequestException:
    """AWS's form for a document it cannot import: "Errors found during import:" and one tab-indented line each."""
    return BadRequestException(f"Errors found during import:\n\t{detail}")


# Type checks of document parts. AWS's parser rejects such documents; the wording of these details is ours.
def _obj(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise import_error(f"Invalid {where}: expected an object")
    return value


def _items(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise import_error(f"Invalid {where}: expected an array")
    return value


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise import_error(f"Invalid {where}: expected a string")
    return str(value)


def _text_map(value: Any, where: str) -> dict[str, str]:
    return {key: _text(item, f"{where}.{key}") for key, item in _obj(value, where).items()}


def _text_list(value: Any, where: str) -> list[str]:
    return [_text(item, where) for item in _items(value, where)]


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


_INTEGRATION_TYPES: dict[str, Callable[[Any, str], Any]] = {
    "uri": _text, "httpMethod": _text, "requestTemplates": _text_map, "requestParameters": _text_map,
    "passthroughBehavior": _text, "contentHandling": _text, "cacheNamespace": _text,
    "cacheKeyParameters": _text_list, "credentials": _text, "connectionType": _text, "connectionId": _text,
}


def _integration(spec: Any, resource_id: str, where: str) -> dict[str, Any]:
    spec = _obj(spec, f"x-amazon-apigateway-integration for {where}")
    out: dict[str, Any] = {"type": _text(spec.get("type", ""), f"integration type for {where}").upper()}
    for key, check in _INTEGRATION_TYPES.items():
        if spec.get(key) is not None:
            out[key] = check(spec[key], f"integration {key} for {where}")
    if "timeoutInMillis" in spec:
        timeout = spec["timeoutInMillis"]
        if isinstance(timeout, bool) or not isinstance(timeout, int):
            raise import_error(f"Invalid integration timeoutInMillis for {where}: expected an integer")
        out["timeoutInMillis"] = timeout
    if "httpMethod" in out:
        out["httpMethod"] = out["httpMethod"].upper()
    out["passthroughBehavior"] = out.get("passthroughBehavior", "WHEN_NO_MATCH").upper()
    out.setdefault("timeoutInMillis", 29000)
    out.setdefault("cacheNamespace", resource_id)
    out.setdefault("cacheKeyParameters", [])
    responses: dict[str, Any] = {}
    for pattern, response in _obj(spec.get("responses"), f"integration responses for {where}").items():
        response = _obj(response, f"integration response '{pattern}' for {where}")
        status = _text(response.get("statusCode", "200"), f"integration response statusCode for {where}")
        entry: dict[str, Any] = {"statusCode": status}
        if pattern != "default":
            entry["selectionPattern"] = pattern
        for key, check in (("responseParameters", _text_map), ("responseTemplates", _text_map),
                           ("contentHandling", _text)):
            if response.get(key) is not None:
                entry[key] = check(response[key], f"integration response {key} for {where}")
        responses[status] = entry
    if responses:
        out["integrationResponses"] = responses
    return out


def _method(verb: str, op: dict[str, Any], resource_id: str, path_params: list[Any], where: str,
            validators: "_Validators") -> dict[str, Any]:
    http_method = "ANY" if verb == "x-amazon-apigateway-any-method" else verb.upper()
    method: dict[str, Any] = {"httpMethod": http_method, "authorizationType": "NONE", "apiKeyRequired": False}
    validator = validators.for_operation(op, where)
    if validator:
        method["requestValidatorId"] = validator
    models = _request_models(op, validators.consumes, where)
    if models:
        method["requestModels"] = models
    if any("api_key" in s for s in _items(op.get("security"), f"security for {where}") if isinstance(s, dict)):
        method["apiKeyRequired"] = True
    if op.get("operationId"):
        method["operationName"] = _text(op["operationId"], f"operationId for {where}")
    params: dict[str, bool] = {}
    for param in list(path_params) + _items(op.get("parameters"), f"parameters for {where}"):
        param = _obj(param, f"parameter for {where}")
        where_in = {"path": "path", "query": "querystring", "header": "header"}.get(_text(param.get("in", ""), where))
        if where_in and param.get("name"):
            params[f"method.request.{where_in}.{_text(param['name'], f'parameter name for {where}')}"] = bool(
                param.get("required", False))
    if params:
        method["requestParameters"] = params
    responses = {}
    for code, response in _obj(op.get("responses"), f"responses for {where}").items():
        if not str(code).isdigit():
            continue
        entry: dict[str, Any] = {"statusCode": str(code)}
        headers = _obj(_obj(response, f"response {code} for {where}").get("headers"), f"headers for {where}")
        if headers:
            entry["responseParameters"] = {f"method.response.header.{h}": False for h in headers}
        responses[str(code)] = entry
    if responses:
        method["methodResponses"] = responses
    if "x-amazon-apigateway-integration" in op:
        method["methodIntegration"] = _integration(op["x-amazon-apigateway-integration"], resource_id, where)
    return method


_GATEWAY_RESPONSES = "x-amazon-apigateway-gateway-responses"


def _gateway_response(kind: str, spec: Any) -> dict[str, Any]:
    where = f"{_GATEWAY_RESPONSES}.{kind}"
    if kind not in DEFAULT_STATUS:
        raise import_error(f"Invalid gateway response type '{kind}'")
    spec = _obj(spec, where)
    record: dict[str, Any] = {"responseType": kind}
    if spec.get("statusCode") is not None:
        record["statusCode"] = _text(spec["statusCode"], f"{where}.statusCode")
    record["responseParameters"] = _text_map(spec.get("responseParameters"), f"{where}.responseParameters")
    record["responseTemplates"] = _text_map(spec.get("responseTemplates"), f"{where}.responseTemplates")
    return record


def apply_document(api: dict[str, Any], doc: dict[str, Any], *, overwrite: bool) -> list[str]:
    """Build the API's resources, methods and models from the document; returns warnings."""
    warnings: list[str] = []
    info = _obj(doc.get("info"), "info")
    if overwrite or not api.get("name"):
        if info.get("title"):
            api["name"] = _text(info["title"], "info.title")
    if overwrite:
        root = api["resources"][api["rootResourceId"]]
        api["resources"] = {root["id"]: {"id": root["id"], "path": "/"}}
        api["models"] = {}
        api.pop("gatewayResponses", None)
        api.pop("requestValidators", None)
        for key in ("description", "version"):
            api.pop(key, None)
    if info.get("description"):
        api["description"] = _text(info["description"], "info.description")
    if info.get("version") is not None:
        api["version"] = _text(info["version"], "info.version")
    if doc.get("x-amazon-apigateway-binary-media-types"):
        api["binaryMediaTypes"] = _text_list(doc["x-amazon-apigateway-binary-media-types"],
                                             "x-amazon-apigateway-binary-media-types")
    validators = _Validators(api, doc)
    responses = _obj(doc.get(_GATEWAY_RESPONSES), _GATEWAY_RESPONSES)
    for kind, spec in responses.items():
        api.setdefault("gatewayResponses", {})[kind] = _gateway_response(kind, spec)
    for path, item in _obj(doc.get("paths"), "paths").items():
        item = _obj(item, f"path item '{path}'")
        resource = _ensure_resource(api, path)
        path_params = _items(item.get("parameters"), f"parameters for '{path}'")
        for verb, op in item.items():
            if verb not in _VERBS:
                continue
            where = f"'{verb.upper()}' at path '{path}'"
            method = _method(verb, _obj(op, f"operation {where}"), resource["id"], path_params, where, validators)
            if "methodIntegration" not in method:
                warnings.append(f"No integration defined for method {method['httpMethod']} {path}")
            resource.setdefault("resourceMethods", {})[method["httpMethod"]] = method
    schemas = doc.get("definitions") or _obj(doc.get("components"), "components").get("schemas") or {}
    for name, schema in _obj(schemas, "definitions").items():  # (names checked as CreateModel checks them)
        # References between them become model URLs, as AWS rewrites them (a model is a document of its own).
        api.setdefault("models", {})[name] = {"id": new_id(6), "name": name, "contentType": "application/json",
                                              "schema": json.dumps(_model_refs(schema, api["id"]))}
    return warnings


_REQUEST_VALIDATORS = "x-amazon-apigateway-request-validators"
_REQUEST_VALIDATOR = "x-amazon-apigateway-request-validator"
_LOCAL_REFS = ("#/definitions/", "#/components/schemas/")


class _Validators:
    """The document's request validators (created on the API, by name) and the default one for its methods."""

    def __init__(self, api: dict[str, Any], doc: dict[str, Any]) -> None:
        self.ids: dict[str, str] = {}
        existing = {v.get("name"): k for k, v in (api.get("requestValidators") or {}).items()}
        for name, spec in _obj(doc.get(_REQUEST_VALIDATORS), _REQUEST_VALIDATORS).items():
            spec = _obj(spec, f"{_REQUEST_VALIDATORS}.{name}")
            validator_id = existing.get(name) or new_id(6)
            api.setdefault("requestValidators", {})[validator_id] = {
                "id": validator_id, "name": name,
                "validateRequestBody": bool(spec.get("validateRequestBody", False)),
                "validateRequestParameters": bool(spec.get("validateRequestParameters", False))}
            self.ids[name] = validator_id
        self.default = self._named(doc.get(_REQUEST_VALIDATOR), _REQUEST_VALIDATOR)
        self.consumes = _text_list(doc.get("consumes"), "consumes") if doc.get("consumes") else ["application/json"]

    def _named(self, name: Any, where: str) -> str | None:
        if name is None:
            return None
        name = _text(name, where)
        if name not in self.ids:
            raise import_error(f"Invalid request validator '{name}' for {where}")
        return self.ids[name]

    def for_operation(self, op: dict[str, Any], where: str) -> str | None:
        if _REQUEST_VALIDATOR in op:
            return self._named(op[_REQUEST_VALIDATOR], f"{_REQUEST_VALIDATOR} of {where}")
        return self.default


def _model_name(schema: Any, where: str) -> str | None:
    ref = _obj(schema, where).get("$ref")
    if isinstance(ref, str):
        for prefix in _LOCAL_REFS:
            if ref.startswith(prefix):
                return ref[len(prefix):]
    return None


def _request_models(op: dict[str, Any], consumes: list[str], where: str) -> dict[str, str]:
    """requestModels from a Swagger body parameter or an OpenAPI 3 requestBody that names a schema."""
    models: dict[str, str] = {}
    for param in _items(op.get("parameters"), f"parameters for {where}"):
        if isinstance(param, dict) and param.get("in") == "body" and param.get("schema") is not None:
            name = _model_name(param["schema"], f"body schema for {where}")
            if name:
                types = _text_list(op["consumes"], f"consumes for {where}") if op.get("consumes") else consumes
                models.update((content_type, name) for content_type in types)
    body = op.get("requestBody")
    if body is not None:
        for content_type, media in _obj(_obj(body, f"requestBody for {where}").get("content"),
                                        f"requestBody content for {where}").items():
            name = _model_name(_obj(media, f"requestBody {content_type} for {where}").get("schema") or {},
                               f"requestBody schema for {where}")
            if name:
                models[content_type] = name
    return models


def _model_refs(schema: Any, api_id: str) -> Any:
    if isinstance(schema, dict):
        out = {}
        for key, value in schema.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_LOCAL_REFS):
                value = f"https://apigateway.amazonaws.com/restapis/{api_id}/models/{value.split('/')[-1]}"
            out[key] = _model_refs(value, api_id)
        return out
    if isinstance(schema, list):
        return [_model_refs(item, api_id) for item in schema]
    return schema


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
            validator = (api.get("requestValidators") or {}).get(method.get("requestValidatorId") or "")
            if validator is not None:
                op[_REQUEST_VALIDATOR] = validator.get("name") or validator["id"]
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
    if api.get("requestValidators"):
        doc[_REQUEST_VALIDATORS] = {v.get("name") or v["id"]: {"validateRequestBody": v["validateRequestBody"],
                                                              "validateRequestParameters": v["validateRequestParameters"]}
                                    for v in api["requestValidators"].values()}
    if api.get("gatewayResponses"):
        doc[_GATEWAY_RESPONSES] = {kind: {k: v for k, v in record.items() if k != "responseType"}
                                   for kind, record in api["gatewayResponses"].items()}
    return doc


def _iso(epoch: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def dump(doc: dict[str, Any], as_yaml: bool) -> bytes:
    if as_yaml:
        return yaml.safe_dump(doc, sort_keys=False).encode()
    return json.dumps(doc, indent=2).encode()
