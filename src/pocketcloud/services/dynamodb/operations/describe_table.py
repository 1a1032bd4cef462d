"""DescribeTable — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html"""

from __future__ import annotations

from typing import Any

from ..tables import get_table, public_description


def describe_table(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = get_table(ctx, params["TableName"])
    return {"Table": public_description(ctx, table)}
