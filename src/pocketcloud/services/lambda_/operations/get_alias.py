"""GetAlias: https://docs.aws.amazon.com/lambda/latest/api/API_GetAlias.html"""

from __future__ import annotations

from typing import Any

from ._aliases import load_alias, public
from ._common import load, unqualified_ref


def get_alias(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    load(ctx, r)
    return public(load_alias(ctx.state.storage.resources, r, params["Name"]))
