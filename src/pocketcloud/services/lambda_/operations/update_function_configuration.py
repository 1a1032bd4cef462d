"""UpdateFunctionConfiguration: https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionConfiguration.html"""

from __future__ import annotations

from typing import Any

from ..runtime import get_runtime
from ._common import (
    apply_settings, check_environment, check_revision, check_runtime_param, load, save, touch, unqualified_ref,
)


async def update_function_configuration(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    doc = load(ctx, r)
    config = doc["config"]
    check_revision(config, params.get("RevisionId"))
    if "Runtime" in params:
        check_runtime_param(params["Runtime"])
    check_environment(params.get("Environment"))
    apply_settings(config, params, r.region)
    touch(config)
    save(ctx, r, doc)
    await get_runtime(ctx.state).pool.drop(r.name)
    return config
