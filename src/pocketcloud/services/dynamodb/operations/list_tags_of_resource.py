"""ListTagsOfResource — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTagsOfResource.html

A table has at most 50 tags, so one page always holds them all and NextToken is never returned.
"""

from __future__ import annotations

from typing import Any

from ..control import table_for_arn


def list_tags_of_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = table_for_arn(ctx, params.get("ResourceArn"))
    tags = table.description.get("_tags") or {}
    return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}
