"""ListFunctions: https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html (Marker/MaxItems, at most 50)"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterValueException
from ..models import scope
from ._common import page


def list_functions(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    store = ctx.state.storage.resources
    sc = scope(ctx.account_id, ctx.region)
    version = params.get("FunctionVersion")
    if version not in (None, "ALL"):
        raise InvalidParameterValueException(f"Invalid value for FunctionVersion: {version}")
    configs: list[dict[str, Any]] = []
    for name, doc in store.list(sc, "function"):
        configs.append(doc["config"])
        if version == "ALL":
            configs += [v["config"] for _, v in store.list(sc, "version", prefix=f"{name}:")]
    items, marker = page(configs, params.get("Marker"), params.get("MaxItems"),
                         key=lambda c: f"{c['FunctionName']}:{_version_sort(c['Version'])}")
    out: dict[str, Any] = {"Functions": items}
    if marker:
        out["NextMarker"] = marker
    return out


def _version_sort(version: str) -> str:
    return "0" if version == "$LATEST" else f"{int(version):010d}"
