"""UntagResource — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UntagResource.html"""

from __future__ import annotations

import copy
from typing import Any

from ..control import table_for_arn
from ..errors import ValidationException


def untag_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = table_for_arn(ctx, params.get("ResourceArn"))
    keys = params.get("TagKeys") or []
    if not keys:
        raise ValidationException("Atleast one Tag Key needs to be provided as Input.")
    for key in keys:
        if not (1 <= len(key) <= 128):
            raise ValidationException(f"The Tag Key provided is invalid, Key: {key}")
    desc = copy.deepcopy(table.description)
    tags = desc.get("_tags") or {}
    desc["_tags"] = {k: v for k, v in tags.items() if k not in set(keys)}
    ctx.state.storage.dynamodb.save_table(table, desc)
    return {}
