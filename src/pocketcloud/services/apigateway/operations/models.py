"""GetModels, GetModel, CreateModel, UpdateModel, DeleteModel.

https://docs.aws.amazon.com/apigateway/latest/api/API_CreateModel.html
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import BadRequestException, ConflictException, NotFoundException
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


def create_model(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    name = params.get("name") or ""
    check_model_name(name)
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
    s.put_api(api)
    return dict(model)


def delete_model(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    _model(api, params["modelName"])
    del api["models"][params["modelName"]]
    s.put_api(api)
    return {}
