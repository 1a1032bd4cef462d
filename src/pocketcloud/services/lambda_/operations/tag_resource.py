"""TagResource: https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html"""

from __future__ import annotations

from typing import Any

from ._common import save
from ._tags import tagged_function


def tag_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r, doc = tagged_function(ctx, params["Resource"])
    doc.setdefault("tags", {}).update(params["Tags"])
    save(ctx, r, doc)
    return {}
