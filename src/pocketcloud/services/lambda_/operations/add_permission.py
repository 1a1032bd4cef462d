"""AddPermission: https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ResourceConflictException
from ..models import empty_policy, require_version_or_alias
from ._common import check_revision, load, ref, save, touch
from ._policy import build_statement, policy_key


def add_permission(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = ref(ctx, params["FunctionName"], params.get("Qualifier"))
    doc = load(ctx, r)
    require_version_or_alias(ctx.state.storage.resources, r)
    check_revision(doc["config"], params.get("RevisionId"))
    policies = doc.setdefault("policies", {})
    policy = policies.setdefault(policy_key(r.qualifier), empty_policy())
    if any(s.get("Sid") == params["StatementId"] for s in policy["Statement"]):
        raise ResourceConflictException(
            "The statement id (sid) provided already exists. Please specify a new statement id, or remove the existing statement."
        )
    statement = build_statement(r.account, r.region, r.name, {**params, "Qualifier": r.qualifier})
    policy["Statement"].append(statement)
    touch(doc["config"])
    save(ctx, r, doc)
    return {"Statement": json.dumps(statement, separators=(",", ":"))}
