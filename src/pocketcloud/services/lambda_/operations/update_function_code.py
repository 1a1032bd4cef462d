"""UpdateFunctionCode: https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html"""

from __future__ import annotations

from typing import Any

from ..code import code_bytes, store_zip
from ..runtime import get_runtime
from ._common import check_revision, load, save, touch, unqualified_ref
from .publish_version import publish


async def update_function_code(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    doc = load(ctx, r)
    config = doc["config"]
    check_revision(config, params.get("RevisionId"))
    code_param = {k: params[k] for k in ("ZipFile", "S3Bucket", "S3Key", "S3ObjectVersion", "ImageUri") if k in params}
    code = store_zip(ctx.state.files_dir, r.account, r.region, r.name, code_bytes(ctx.state, r.account, r.region, code_param))
    if params.get("DryRun"):
        return {**config, "CodeSha256": code.sha256, "CodeSize": code.size}
    config["CodeSha256"] = code.sha256
    config["CodeSize"] = code.size
    if params.get("Architectures"):
        config["Architectures"] = list(params["Architectures"])
    touch(config)
    doc["code_dir"] = str(code.code_dir)
    doc["zip_path"] = str(code.zip_path)
    save(ctx, r, doc)
    await get_runtime(ctx.state).pool.drop(r.name)
    if params.get("Publish"):
        return publish(ctx, r, doc, None)
    return config
