"""GetFunctionConfiguration: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html"""

from __future__ import annotations

from typing import Any

from ..models import resolve
from ._common import ref


def get_function_configuration(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = ref(ctx, params["FunctionName"], params.get("Qualifier"))
    return resolve(ctx.state.storage.resources, r).config
