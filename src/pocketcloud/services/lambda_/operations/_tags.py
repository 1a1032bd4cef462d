"""Tags live on the function document; Resource is the function's ARN."""

from __future__ import annotations

from typing import Any

from ..errors import ResourceNotFoundException
from ..models import FunctionRef, function_arn, load_function, parse_function_name


def tagged_function(ctx: Any, resource: str) -> tuple[FunctionRef, dict[str, Any]]:
    r = parse_function_name(resource, ctx.account_id, ctx.region)
    try:
        return r, load_function(ctx.state.storage.resources, r)
    except ResourceNotFoundException:
        raise ResourceNotFoundException(f"Function not found: {function_arn(r.account, r.region, r.name)}") from None
