"""ListAliases: https://docs.aws.amazon.com/lambda/latest/api/API_ListAliases.html"""

from __future__ import annotations

from typing import Any

from ..models import scope
from ._aliases import public
from ._common import load, page, unqualified_ref


def list_aliases(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    load(ctx, r)
    docs = [public(d) for _, d in ctx.state.storage.resources.list(scope(r.account, r.region), "alias", prefix=f"{r.name}:")]
    if params.get("FunctionVersion"):
        docs = [d for d in docs if d["FunctionVersion"] == params["FunctionVersion"]]
    items, marker = page(docs, params.get("Marker"), params.get("MaxItems"), key=lambda d: d["Name"])
    out: dict[str, Any] = {"Aliases": items}
    if marker:
        out["NextMarker"] = marker
    return out
