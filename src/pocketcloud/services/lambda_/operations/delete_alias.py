"""DeleteAlias: https://docs.aws.amazon.com/lambda/latest/api/API_DeleteAlias.html (204 even when absent)"""

from __future__ import annotations

from typing import Any

from ..models import scope
from ._aliases import alias_key
from ._common import load, unqualified_ref


def delete_alias(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    load(ctx, r)
    ctx.state.storage.resources.delete(scope(r.account, r.region), "alias", alias_key(r.name, params["Name"]))
    return {}
