"""TagResource — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html

Tags live in the table description as "_tags" ({key: value}).
"""

from __future__ import annotations

import copy
from typing import Any

from ..control import check_tags, table_for_arn
from ..errors import ValidationException


def tag_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = table_for_arn(ctx, params.get("ResourceArn"))
    tags = params.get("Tags") or []
    if not tags:
        raise ValidationException("Atleast one Tag needs to be provided as Input.")
    merged = check_tags(tags, table.description.get("_tags"))
    desc = copy.deepcopy(table.description)
    desc["_tags"] = merged
    ctx.state.storage.dynamodb.save_table(table, desc)
    return {}
