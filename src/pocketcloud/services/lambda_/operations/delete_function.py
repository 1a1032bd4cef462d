"""DeleteFunction: https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html"""

from __future__ import annotations

from typing import Any

from ..code import remove_function_code
from ..errors import InvalidParameterValueException, ResourceConflictException
from ..models import LATEST, resolve, scope, version_key
from ..runtime import get_runtime
from ._common import load, ref


async def delete_function(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = ref(ctx, params["FunctionName"], params.get("Qualifier"))
    store = ctx.state.storage.resources
    sc = scope(r.account, r.region)
    if r.qualifier == LATEST:
        raise InvalidParameterValueException("$LATEST version cannot be deleted without deleting the function.")
    if r.qualifier:
        if not r.qualifier.isdigit():  # an alias: "01" is neither, and resolve() says it is not found
            raise InvalidParameterValueException("Deletion of aliases is not currently supported.")
        resolve(store, r)
        users = [a["Name"] for _, a in store.list(sc, "alias", prefix=f"{r.name}:") if a["FunctionVersion"] == r.qualifier]
        if users:
            raise ResourceConflictException(
                f"Unable to delete version because the following aliases reference it: {users}"
            )
        store.delete(sc, "version", version_key(r.name, r.qualifier))
        return {}
    load(ctx, r)
    with store.transaction():
        for kind in ("version", "alias"):
            for key, _ in store.list(sc, kind, prefix=f"{r.name}:"):
                store.delete(sc, kind, key)
        store.delete(sc, "function", r.name)
    await get_runtime(ctx.state).pool.drop(r.name)
    remove_function_code(ctx.state.files_dir, r.account, r.region, r.name)
    return {}
