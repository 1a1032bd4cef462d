"""DescribeLimits — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeLimits.html

The default quotas of a new AWS account.
"""

from __future__ import annotations

from typing import Any


def describe_limits(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000,
    }
