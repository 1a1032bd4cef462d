"""GetModels, GetModel, CreateModel, UpdateModel, DeleteModel.

https://docs.aws.amazon.com/apigateway/latest/api/API_CreateModel.html
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import BadRequestException, ConflictException, NotFoundException
from ..json_schema import is_valid_schema
from ..patch import apply_patches
from ..store import new_id
from ._common import paginate, store

_MODEL_NAME = re.compile(r"^[a-zA-Z0-9]+$")


def _model(api: dict[str, Any], name: str) -> dict[str, Any]:
    model = api.get("models", {}).get(name)
    if model is None:
        raise NotFoundException(f"Invalid model name specified: {name}")
    return model


def get_models(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    items = sorted(api.get("models", {}).values(), key=lambda m: m["name"])
    page = paginate([dict(m) for m in items], params)
    return page


def get_model(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    return dict(_model(api, params["modelName"]))


def check_model_name(name: str) -> None:
    if not _MODEL_NAME.match(name):
        raise BadRequestException("Model name must be alphanumeric")


_NOT_JSON = object()
_CANONICAL_REF = re.compile(r"^https://apigateway\.amazonaws\.com/restapis/[^/]+/models/[^/]+$")


def check_model_schema(schema: str | None) -> None:
    """A model's schema must be a JSON Schema (draft 4) document, and its references to other models canonical
    model URLs; AWS refuses others with these words."""
    if schema is None:
        return
    try:
        document = json.loads(schema)
    except ValueError:
        document = _NOT_JSON
    errors = []
    if document is _NOT_JSON or not is_valid_schema(document):
        errors.append("Invalid model schema specified")
    elif any(not ref.startswith("#") and not _CANONICAL_REF.match(ref) for ref in _refs(document)):
        errors += ["Invalid model schema specified", "Model reference must be in canonical form"]
    if errors:
        raise BadRequestException(f"Invalid model specified: Validation Result: warnings : [], errors : "
                                  f"[{', '.join(errors)}]")


def _refs(document: Any) -> list[str]:
    if isinstance(document, dict):
        found = [document["$ref"]] if isinstance(document.get("$ref"), str) else []
        for value in document.values():
            found += _refs(value)
        return found
    if isinstance(document, list):
        return [ref for item in document for ref in _refs(item)]
    return []


def create_model(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    name = params.get("name") or ""
    check_model_name(name)
    check_model_schema(params.get("schema"))
    if name in api.setdefault("models", {}):
        raise ConflictException("Model name already exists for this REST API")
    model = {"id": new_id(6), "name": name, "contentType": params.get("contentType") or "application/json"}
    for key in ("description", "schema"):
        if params.get(key) is not None:
            model[key] = params[key]
    api["models"][name] = model
    s.put_api(api)
    return dict(model)


def update_model(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    model = _model(api, params["modelName"])
    apply_patches(model, params.get("patchOperations"), allowed={"description": "str", "schema": "str"})
    check_model_schema(model.get("schema"))
    s.put_api(api)
    return dict(model)


def delete_model(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    _model(api, params["modelName"])
    del api["models"][params["modelName"]]
    s.put_api(api)
    return {}
