"""UntagResource: https://docs.aws.amazon.com/lambda/latest/api/API_UntagResource.html"""

from __future__ import annotations

from typing import Any

from ._common import save
from ._tags import tagged_function


def untag_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r, doc = tagged_function(ctx, params["Resource"])
    tags = doc.setdefault("tags", {})
    for key in params["TagKeys"]:
        tags.pop(key, None)
    save(ctx, r, doc)
    return {}
