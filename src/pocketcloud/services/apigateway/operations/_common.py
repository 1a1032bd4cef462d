"""Helpers every API Gateway operation shares: the store for the caller's account/region and output shaping."""

from __future__ import annotations

import copy
from typing import Any

from ..store import ApiStore


def store(ctx: Any) -> ApiStore:
    return ApiStore(ctx.state, ctx.account_id, ctx.region)


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document without its private ("_"-prefixed) keys."""
    return {k: copy.deepcopy(v) for k, v in doc.items() if not k.startswith("_")}


def paginate(items: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    """AWS's position/limit paging (limit 25 by default, 500 at most); position is the next item's index."""
    limit = min(int(params.get("limit") or 25), 500)
    start = int(params.get("position") or 0) if str(params.get("position") or "0").isdigit() else 0
    page = items[start : start + limit]
    out: dict[str, Any] = {"items": page}
    if start + limit < len(items):
        out["position"] = str(start + limit)
    return out
