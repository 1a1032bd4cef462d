"""UpdateAlias: https://docs.aws.amazon.com/lambda/latest/api/API_UpdateAlias.html"""

from __future__ import annotations

from typing import Any

from ..models import new_revision, scope
from ._aliases import alias_key, check_routing, check_version, load_alias, public
from ._common import check_revision, load, unqualified_ref


def update_alias(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    load(ctx, r)
    store = ctx.state.storage.resources
    doc = load_alias(store, r, params["Name"])
    check_revision(doc, params.get("RevisionId"))
    if "FunctionVersion" in params:
        check_version(store, r, params["FunctionVersion"])
        doc["FunctionVersion"] = params["FunctionVersion"]
    if "Description" in params:
        doc["Description"] = params["Description"]
    if "RoutingConfig" in params:
        check_routing(store, r, params["RoutingConfig"])
        doc["RoutingConfig"] = params["RoutingConfig"]
    doc["RevisionId"] = new_revision()
    store.put(scope(r.account, r.region), "alias", alias_key(r.name, params["Name"]), doc)
    return public(doc)
