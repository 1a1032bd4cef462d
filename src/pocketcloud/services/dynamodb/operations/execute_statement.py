"""ExecuteStatement — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html

One PartiQL statement: SELECT pages like Query/Scan (Limit, NextToken); INSERT/UPDATE/DELETE write one item.
"""

from __future__ import annotations

from typing import Any

from ..errors import ValidationException
from ..partiql import Exists, Select, parse
from ..partiql.select import run_select
from ..partiql.writes import run_write

EXISTS_OUTSIDE = "EXISTS can only be used in ExecuteTransaction write requests."


def execute_statement(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    stmt = parse(params["Statement"], params.get("Parameters"))
    if isinstance(stmt, Select):
        return run_select(ctx, stmt, params)
    if isinstance(stmt, Exists):
        raise ValidationException(EXISTS_OUTSIDE)
    capacity, items = run_write(ctx, stmt, params)
    out: dict[str, Any] = {"Items": items}
    if capacity:
        out["ConsumedCapacity"] = capacity
    return out
