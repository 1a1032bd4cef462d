"""DescribeContributorInsights, UpdateContributorInsights and ListContributorInsights.

https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateContributorInsights.html

Contributor Insights is only a setting here: "_insights" in the table description maps "" (the table) or an
index name to {"Status", "Mode", "At"}. No CloudWatch rules exist; the rule names are reported as AWS forms them.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from ..control import control_table
from ..errors import ResourceNotFoundException, ValidationException
from ..tables import schema

MAX_RESULTS = 100


def _target(ctx: Any, params: dict[str, Any]) -> tuple[Any, str]:
    table = control_table(ctx, params["TableName"])
    index = params.get("IndexName") or ""
    if index and index not in schema(table).indexes:
        raise ResourceNotFoundException(
            f"Requested resource not found: Index: {index} for table: {table.name} not found")
    return table, index


def _rules(table: Any, index: str, since: float) -> list[str]:
    sch = schema(table)
    idx = sch.indexes.get(index) if index else None
    has_range = (idx.range_name if idx else sch.range_name) is not None
    base = f"DynamoDBContributorInsights-{{}}-{table.name}{'-' + index if index else ''}-{int(since * 1000)}"
    kinds = ["PKC", "PKT"] + (["SKC", "SKT"] if has_range else [])
    return [base.format(k) for k in kinds]


def describe_contributor_insights(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table, index = _target(ctx, params)
    setting = (table.description.get("_insights") or {}).get(index)
    out: dict[str, Any] = {"TableName": table.name}
    if index:
        out["IndexName"] = index
    if setting is None or setting["Status"] == "DISABLED":
        out["ContributorInsightsStatus"] = "DISABLED"
        if setting is not None:
            out["LastUpdateDateTime"] = setting["At"]
        return out
    out.update({
        "ContributorInsightsRuleList": _rules(table, index, setting["At"]),
        "ContributorInsightsStatus": "ENABLED",
        "LastUpdateDateTime": setting["At"],
        "ContributorInsightsMode": setting["Mode"],
    })
    return out


def update_contributor_insights(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table, index = _target(ctx, params)
    action = params["ContributorInsightsAction"]
    mode = params.get("ContributorInsightsMode") or "ACCESSED_AND_THROTTLED_KEYS"
    desc = copy.deepcopy(table.description)
    insights = desc.setdefault("_insights", {})
    current = insights.get(index)
    enabled = current is not None and current["Status"] == "ENABLED"
    if action == "DISABLE" and not enabled and params.get("ContributorInsightsMode"):
        raise ValidationException("ContributorInsightsMode cannot be specified when disabling Contributor Insights")
    insights[index] = {"Status": "ENABLED" if action == "ENABLE" else "DISABLED", "Mode": mode,
                       "At": round(time.time(), 3)}
    ctx.state.storage.dynamodb.save_table(table, desc)
    out: dict[str, Any] = {"TableName": table.name}
    if index:
        out["IndexName"] = index
    out["ContributorInsightsStatus"] = "ENABLING" if action == "ENABLE" else "DISABLING"
    if action == "ENABLE":
        out["ContributorInsightsMode"] = mode
    return out


def list_contributor_insights(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    store = ctx.state.storage.dynamodb
    limit = params.get("MaxResults") or MAX_RESULTS
    if limit > MAX_RESULTS:
        raise ValidationException(f"1 validation error detected: Value '{limit}' at 'maxResults' failed to satisfy "
                                  "constraint: Member must have value less than or equal to 100")
    if params.get("TableName"):
        tables = [control_table(ctx, params["TableName"])]
    else:
        tables = [t for t in store.all_tables() if t.account == ctx.account_id and t.region == ctx.region]
        tables.sort(key=lambda t: t.name)
    summaries: list[dict[str, Any]] = []
    for table in tables:
        for index, setting in sorted((table.description.get("_insights") or {}).items()):
            if setting["Status"] != "ENABLED":
                continue
            summary: dict[str, Any] = {"TableName": table.name}
            if index:
                summary["IndexName"] = index
            summary["ContributorInsightsStatus"] = "ENABLED"
            summary["ContributorInsightsMode"] = setting["Mode"]
            summaries.append(summary)
    start = int(params["NextToken"]) if str(params.get("NextToken", "")).isdigit() else 0
    page = summaries[start:start + limit]
    out: dict[str, Any] = {"ContributorInsightsSummaries": page}
    if start + limit < len(summaries):
        out["NextToken"] = str(start + limit)
    return out
