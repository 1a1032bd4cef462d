"""ListTags: https://docs.aws.amazon.com/lambda/latest/api/API_ListTags.html"""

from __future__ import annotations

from typing import Any

from ._tags import tagged_function


def list_tags(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    _, doc = tagged_function(ctx, params["Resource"])
    return {"Tags": doc.get("tags") or {}}
