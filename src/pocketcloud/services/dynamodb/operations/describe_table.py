"""DescribeTable — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html"""

from __future__ import annotations

from typing import Any

from ..control import control_table
from ..tables import public_description


def describe_table(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = control_table(ctx, params["TableName"])
    return {"Table": public_description(ctx, table)}
