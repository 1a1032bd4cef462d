"""RemovePermission: https://docs.aws.amazon.com/lambda/latest/api/API_RemovePermission.html"""

from __future__ import annotations

from typing import Any

from ..errors import ResourceNotFoundException
from ._common import check_revision, load, ref, save, touch
from ._policy import policy_key


def remove_permission(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = ref(ctx, params["FunctionName"], params.get("Qualifier"))
    doc = load(ctx, r)
    check_revision(doc["config"], params.get("RevisionId"))
    policy = (doc.get("policies") or {}).get(policy_key(r.qualifier))
    sid = params["StatementId"]
    if policy is None or not policy["Statement"]:
        raise ResourceNotFoundException("No policy is associated with the given resource.")
    kept = [s for s in policy["Statement"] if s.get("Sid") != sid]
    if len(kept) == len(policy["Statement"]):
        raise ResourceNotFoundException(f"Statement {sid} is not found in resource policy.")
    policy["Statement"] = kept
    touch(doc["config"])
    save(ctx, r, doc)
    return {}
