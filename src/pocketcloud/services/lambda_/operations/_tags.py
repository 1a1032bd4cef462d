"""Tags live on the function document; Resource is the function's ARN."""

from __future__ import annotations

from typing import Any

from ..errors import ResourceNotFoundException
from ..models import FunctionRef, function_arn, load_function
from ._common import unqualified_ref


def tagged_function(ctx: Any, resource: str) -> tuple[FunctionRef, dict[str, Any]]:
    # Tags belong to the function, not to a version or alias of it.
    r = unqualified_ref(ctx, resource)
    try:
        return r, load_function(ctx.state.storage.resources, r)
    except ResourceNotFoundException:
        raise ResourceNotFoundException(f"Function not found: {function_arn(r.account, r.region, r.name)}") from None
