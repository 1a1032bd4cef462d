"""PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html

A policy is stored, not enforced: "_policies" in the table description maps the table or stream ARN to
{"Policy", "RevisionId"}. Revision ids are millisecond timestamps, as AWS's look.
"""

from __future__ import annotations

import copy
import json
import time
from typing import Any

from ..control import table_for_arn
from ..errors import PolicyNotFoundException, ValidationException

MAX_POLICY_BYTES = 20 * 1024


def _not_found(arn: str) -> PolicyNotFoundException:
    return PolicyNotFoundException(f"Resource-based policy not found for the provided ResourceArn: {arn}")


def _check_revision(arn: str, current: dict[str, Any] | None, expected: str | None) -> None:
    if expected is None:
        return
    if current is None:
        raise _not_found(arn)
    if current["RevisionId"] != expected:
        raise PolicyNotFoundException(
            f"Resource-based policy not found for the provided ResourceArn: Requested update for policy with "
            f"revision id {expected}, but the policy associated to target table {arn} has revision id "
            f"{current['RevisionId']}.")


def put_resource_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    arn, policy = params["ResourceArn"], params["Policy"]
    table = table_for_arn(ctx, arn)
    if len(policy.encode()) > MAX_POLICY_BYTES:
        raise ValidationException("Policy size exceeds the maximum allowed size of 20 KB")
    try:
        document = json.loads(policy)
    except ValueError:
        raise ValidationException("Invalid policy document: the policy is not valid JSON") from None
    if not isinstance(document, dict) or "Statement" not in document:
        raise ValidationException("Invalid policy document: the policy must contain a Statement")
    policies = table.description.get("_policies") or {}
    _check_revision(arn, policies.get(arn), params.get("ExpectedRevisionId"))
    revision = str(int(time.time() * 1000))
    if policies.get(arn, {}).get("RevisionId") == revision:
        revision = str(int(revision) + 1)
    desc = copy.deepcopy(table.description)
    desc.setdefault("_policies", {})[arn] = {"Policy": policy, "RevisionId": revision}
    ctx.state.storage.dynamodb.save_table(table, desc)
    return {"RevisionId": revision}


def get_resource_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    table = table_for_arn(ctx, arn)
    current = (table.description.get("_policies") or {}).get(arn)
    if current is None:
        raise _not_found(arn)
    return {"Policy": current["Policy"], "RevisionId": current["RevisionId"]}


def delete_resource_policy(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["ResourceArn"]
    table = table_for_arn(ctx, arn)
    current = (table.description.get("_policies") or {}).get(arn)
    if current is None:
        raise _not_found(arn)
    _check_revision(arn, current, params.get("ExpectedRevisionId"))
    desc = copy.deepcopy(table.description)
    del desc["_policies"][arn]
    ctx.state.storage.dynamodb.save_table(table, desc)
    return {"RevisionId": current["RevisionId"]}
