"""GetResources, GetResource, CreateResource, UpdateResource, DeleteResource.

https://docs.aws.amazon.com/apigateway/latest/api/API_CreateResource.html
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import BadRequestException, ConflictException
from ..patch import apply_patches
from ..store import get_resource, new_id
from ._common import paginate, public, store

_PATH_PART = re.compile(r"^(\{[a-zA-Z0-9._-]+\+?\}|[a-zA-Z0-9._:@$&'()*,;=!~-]+)$")
_BAD_PATH_PART = ("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end "
                  "and an optional plus sign before the closing brace.")


def method_output(method: dict[str, Any]) -> dict[str, Any]:
    return public(method)


def resource_output(resource: dict[str, Any], embed_methods: bool = False) -> dict[str, Any]:
    out = {k: v for k, v in resource.items() if k != "resourceMethods"}
    methods = resource.get("resourceMethods")
    if methods:
        out["resourceMethods"] = {m: (method_output(v) if embed_methods else {}) for m, v in methods.items()}
    return out


def check_path_part(api: dict[str, Any], parent: dict[str, Any], path_part: str, self_id: str | None = None) -> None:
    if not path_part or not _PATH_PART.match(path_part):
        raise BadRequestException(_BAD_PATH_PART)
    if parent.get("pathPart", "").endswith("+}"):
        raise BadRequestException(f"Cannot create a child of a resource with a greedy path variable: {parent['pathPart']}")
    for other in api["resources"].values():
        if other.get("parentId") != parent["id"] or other["id"] == self_id:
            continue
        if other.get("pathPart") == path_part:
            raise ConflictException(f"Another resource with the same parent already has this name: {path_part}")
        if path_part.startswith("{") and other.get("pathPart", "").startswith("{"):
            raise BadRequestException(
                f"A sibling ({other['pathPart']}) of this resource already has a variable path part -- only one is allowed"
            )


def _child_path(parent: dict[str, Any], path_part: str) -> str:
    return ("" if parent["path"] == "/" else parent["path"]) + "/" + path_part


def get_resources(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    embed = "methods" in (params.get("embed") or [])
    items = sorted(api["resources"].values(), key=lambda r: r["path"])
    page = paginate(items, params)
    page["items"] = [resource_output(r, embed) for r in page["items"]]
    return page


def get_resource_op(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    embed = "methods" in (params.get("embed") or [])
    return resource_output(get_resource(api, params["resourceId"]), embed)


def create_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    parent = get_resource(api, params["parentId"])
    path_part = params["pathPart"]
    check_path_part(api, parent, path_part)
    resource_id = new_id(6)
    resource = {"id": resource_id, "parentId": parent["id"], "pathPart": path_part, "path": _child_path(parent, path_part)}
    api["resources"][resource_id] = resource
    s.put_api(api)
    return resource_output(resource)


def _repath(api: dict[str, Any], resource: dict[str, Any]) -> None:
    parent = api["resources"][resource["parentId"]]
    resource["path"] = _child_path(parent, resource["pathPart"])
    for child in api["resources"].values():
        if child.get("parentId") == resource["id"]:
            _repath(api, child)


def _check_not_own_ancestor(api: dict[str, Any], resource: dict[str, Any], parent: dict[str, Any]) -> None:
    """A resource moved under itself or a descendant would leave the tree (and its paths) a cycle."""
    ancestor: dict[str, Any] | None = parent
    while ancestor is not None:
        if ancestor["id"] == resource["id"]:
            raise BadRequestException(f"Invalid parent id specified: {parent['id']} is {resource['id']} or one of its "
                                      "descendants")  # our wording: no AWS message found
        ancestor = api["resources"].get(ancestor.get("parentId", ""))


def update_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    resource = get_resource(api, params["resourceId"])
    if "parentId" not in resource:
        raise BadRequestException("Root resource cannot be updated")
    candidate = dict(resource)
    apply_patches(candidate, params.get("patchOperations"), allowed={"pathPart": "str", "parentId": "str"},
                  required=("pathPart", "parentId"))
    parent = get_resource(api, candidate["parentId"])
    _check_not_own_ancestor(api, resource, parent)
    check_path_part(api, parent, candidate["pathPart"], self_id=resource["id"])
    resource.update(pathPart=candidate["pathPart"], parentId=candidate["parentId"])
    _repath(api, resource)
    s.put_api(api)
    return resource_output(resource)


def delete_resource(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    resource = get_resource(api, params["resourceId"])
    if "parentId" not in resource:
        raise BadRequestException("Cannot delete root resource")
    doomed = {resource["id"]}
    changed = True
    while changed:  # children, grandchildren, ...
        changed = False
        for other in api["resources"].values():
            if other.get("parentId") in doomed and other["id"] not in doomed:
                doomed.add(other["id"])
                changed = True
    for rid in doomed:
        del api["resources"][rid]
    s.put_api(api)
    return {}
