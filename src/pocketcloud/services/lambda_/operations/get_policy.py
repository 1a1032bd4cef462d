"""GetPolicy: https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html (the policy as a JSON string)"""

from __future__ import annotations

import json
from typing import Any

from ..errors import ResourceNotFoundException
from ..models import require_version_or_alias
from ._common import load, ref
from ._policy import policy_key


def get_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = ref(ctx, params["FunctionName"], params.get("Qualifier"))
    doc = load(ctx, r)
    require_version_or_alias(ctx.state.storage.resources, r)
    policy = (doc.get("policies") or {}).get(policy_key(r.qualifier))
    if not policy or not policy["Statement"]:
        raise ResourceNotFoundException("The resource you requested does not exist.")
    return {"Policy": json.dumps(policy, separators=(",", ":")), "RevisionId": doc["config"]["RevisionId"]}
