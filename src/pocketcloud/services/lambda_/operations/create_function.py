"""CreateFunction: https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html"""

from __future__ import annotations

from typing import Any

from ..code import code_bytes, store_zip
from ..errors import InvalidParameterValueException, ResourceConflictException
from ..models import empty_policy, scope
from ._common import check_environment, check_runtime_param, new_config, unqualified_ref
from .publish_version import publish


def create_function(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    if params.get("PackageType") == "Image":
        raise InvalidParameterValueException("pocketcloud runs Zip functions only: container images are not supported")
    if not params.get("Runtime") or not params.get("Handler"):
        raise InvalidParameterValueException(
            "Runtime and Handler are mandatory parameters for functions created with deployment packages."
        )
    check_runtime_param(params["Runtime"])
    check_environment(params.get("Environment"))
    store = ctx.state.storage.resources
    if store.get(scope(r.account, r.region), "function", r.name) is not None:
        raise ResourceConflictException(f"Function already exist: {r.name}")
    code = store_zip(ctx.state.files_dir, r.account, r.region, r.name,
                     code_bytes(ctx.state, r.account, r.region, params["Code"]))
    config = new_config(r.account, r.region, r.name, params, code.sha256, code.size)
    doc = {
        "config": config,
        "code_dir": str(code.code_dir),
        "zip_path": str(code.zip_path),
        "policies": {"": empty_policy()},
        "concurrency": None,
        "tags": dict(params.get("Tags") or {}),
        "last_version": 0,
    }
    if not store.insert(scope(r.account, r.region), "function", r.name, doc):
        raise ResourceConflictException(f"Function already exist: {r.name}")
    if params.get("Publish"):
        return publish(ctx, r, doc, None)
    return config
