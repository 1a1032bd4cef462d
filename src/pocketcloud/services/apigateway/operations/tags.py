"""TagResource, UntagResource, GetTags on API Gateway resources named by ARN.

https://docs.aws.amazon.com/apigateway/latest/api/API_TagResource.html — ARNs of the form
`arn:aws:apigateway:{region}::/restapis/{id}`, `.../restapis/{id}/stages/{name}`, `.../apikeys/{id}` and
`.../usageplans/{id}`; the tags live in the resource's own `tags` map (what GetRestApi, GetStage, GetApiKey and
GetUsagePlan show). AWS allows 50 tags per resource.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import BadRequestException
from ..keys import KeyStore
from ._common import store

_ARN = re.compile(r"^arn:aws[\w-]*:apigateway:([\w-]+)::(/.+)$")
MAX_TAGS = 50

Load = Callable[[], dict[str, Any]]
Save = Callable[[dict[str, Any]], None]


def _resource(ctx: Any, arn: str) -> tuple[Load, Save]:
    """(load, save) of the document the ARN names; NotFoundException when it does not exist."""
    m = _ARN.match(arn or "")
    if m is None or m.group(1) != ctx.region:
        raise BadRequestException(f"Invalid resource ARN specified: {arn}")
    parts = m.group(2).strip("/").split("/")
    s = store(ctx)
    keys = KeyStore(ctx.state, ctx.account_id, ctx.region)
    if len(parts) == 2 and parts[0] == "restapis":
        return (lambda: s.get_api(parts[1])), s.put_api
    if len(parts) == 4 and parts[0] == "restapis" and parts[2] == "stages":
        s.get_api(parts[1])
        return (lambda: s.get_stage(parts[1], parts[3])), (lambda doc: s.put_stage(parts[1], doc))
    if len(parts) == 2 and parts[0] == "apikeys":
        return (lambda: keys.get_key(parts[1])), keys.put_key
    if len(parts) == 2 and parts[0] == "usageplans":
        return (lambda: keys.get_plan(parts[1])), keys.put_plan
    raise BadRequestException(f"Invalid resource ARN specified: {arn}")


def tag_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    load, save = _resource(ctx, params["resourceArn"])
    doc = load()
    tags = {**(doc.get("tags") or {}), **(params.get("tags") or {})}
    if len(tags) > MAX_TAGS:
        raise BadRequestException(f"Too many tags: a resource can have at most {MAX_TAGS}")
    doc["tags"] = tags
    save(doc)
    return {}


def untag_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    load, save = _resource(ctx, params["resourceArn"])
    doc = load()
    tags = dict(doc.get("tags") or {})
    for key in params.get("tagKeys") or ():
        tags.pop(key, None)
    doc["tags"] = tags
    save(doc)
    return {}


def get_tags(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    load, _ = _resource(ctx, params["resourceArn"])
    return {"tags": dict(load().get("tags") or {})}
