"""CreateAlias: https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html"""

from __future__ import annotations

from typing import Any

from ..errors import ResourceConflictException
from ..models import function_arn, new_revision, scope
from ._aliases import alias_key, check_routing, check_version, public
from ._common import load, unqualified_ref


def create_alias(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    load(ctx, r)
    store = ctx.state.storage.resources
    name = params["Name"]
    check_version(store, r, params["FunctionVersion"])
    check_routing(store, r, params.get("RoutingConfig"))
    arn = function_arn(r.account, r.region, r.name, name)
    doc: dict[str, Any] = {
        "AliasArn": arn,
        "Name": name,
        "FunctionVersion": params["FunctionVersion"],
        "Description": params.get("Description", ""),
        "RevisionId": new_revision(),
    }
    if params.get("RoutingConfig"):
        doc["RoutingConfig"] = params["RoutingConfig"]
    if not store.insert(scope(r.account, r.region), "alias", alias_key(r.name, name), doc):
        raise ResourceConflictException(f"Alias already exists: {arn}")
    return public(doc)
