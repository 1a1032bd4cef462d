"""ListVersionsByFunction: https://docs.aws.amazon.com/lambda/latest/api/API_ListVersionsByFunction.html"""

from __future__ import annotations

from typing import Any

from ..models import scope
from ._common import load, page, unqualified_ref


def list_versions_by_function(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    doc = load(ctx, r)
    store = ctx.state.storage.resources
    configs = [doc["config"]] + [v["config"] for _, v in store.list(scope(r.account, r.region), "version", prefix=f"{r.name}:")]
    key = lambda c: "0" if c["Version"] == "$LATEST" else f"{int(c['Version']):010d}"  # noqa: E731
    items, marker = page(configs, params.get("Marker"), params.get("MaxItems"), key)
    out: dict[str, Any] = {"Versions": items}
    if marker:
        out["NextMarker"] = marker
    return out
