"""CreateLogGroup: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"""

from __future__ import annotations

from typing import Any

from ..errors import ResourceAlreadyExistsException
from ..model import new_group, scope


def create_log_group(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    name = params["logGroupName"]
    doc = new_group(ctx.account_id, ctx.region, name, kmsKeyId=params.get("kmsKeyId"),
                    logGroupClass=params.get("logGroupClass"))
    if params.get("tags"):
        doc["_tags"] = params["tags"]
    if not ctx.state.storage.resources.insert(scope(ctx.account_id, ctx.region), "group", name, doc):
        raise ResourceAlreadyExistsException("The specified log group already exists")
    return {}
