"""PublishVersion: https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html

An unchanged $LATEST publishes nothing new: AWS answers the newest version with the same code and configuration.
"""

from __future__ import annotations

import copy
from typing import Any

from ..errors import InvalidParameterValueException
from ..models import FunctionRef, function_arn, new_revision, scope, version_key
from ._common import VERSIONED, check_revision, load, save, unqualified_ref


def publish(ctx: Any, r: FunctionRef, doc: dict[str, Any], description: str | None) -> dict[str, Any]:
    store = ctx.state.storage.resources
    sc = scope(r.account, r.region)
    latest = doc["config"]
    if doc["last_version"]:
        newest = store.get(sc, "version", version_key(r.name, str(doc["last_version"])))
        if newest is not None and all(newest["config"].get(k) == latest.get(k) for k in VERSIONED if k != "Description"):
            return newest["config"]
    number = doc["last_version"] + 1
    config = copy.deepcopy(latest)
    config["Version"] = str(number)
    config["FunctionArn"] = function_arn(r.account, r.region, r.name, str(number))
    config["RevisionId"] = new_revision()
    if description is not None:
        config["Description"] = description
    with store.transaction():
        store.put(sc, "version", version_key(r.name, str(number)), {"config": config, "code_dir": doc["code_dir"]})
        doc["last_version"] = number
        save(ctx, r, doc)
    return config


def publish_version(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = unqualified_ref(ctx, params["FunctionName"])
    doc = load(ctx, r)
    latest = doc["config"]
    check_revision(latest, params.get("RevisionId"))
    sha = params.get("CodeSha256")
    if sha and sha != latest["CodeSha256"]:
        raise InvalidParameterValueException(
            f"CodeSHA256 ({sha}) is different from current CodeSHA256 in $LATEST ({latest['CodeSha256']}). Please try again."
        )
    return publish(ctx, r, doc, params.get("Description"))
