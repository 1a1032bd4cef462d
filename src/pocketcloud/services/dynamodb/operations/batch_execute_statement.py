"""BatchExecuteStatement — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html

Up to 25 statements, all reads (each a SELECT naming the whole primary key) or all writes. Each member runs on
its own; a member's failure (even a parse error) is its Error {Code, Message} and the others still run.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConditionalCheckFailedException, DuplicateItemException, DynamoDBError, ValidationException
from ..items import read_capacity
from ..partiql import Exists, Select, Statement, parse
from ..partiql.batch import add_table_capacity, error_code, keyed_read
from ..partiql.writes import run_write
from .execute_statement import EXISTS_OUTSIDE

MIXED = "Unsupported operation: BatchExecuteStatement cannot mix read and write statements"
NO_KEY = "Select statements within BatchExecuteStatement must specify the primary key in the where clause."


def batch_execute_statement(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    entries = params["Statements"]
    parsed: list[Statement | DynamoDBError] = []
    for entry in entries:
        try:
            parsed.append(parse(entry["Statement"], entry.get("Parameters")))
        except DynamoDBError as err:
            parsed.append(err)
    kinds = {isinstance(s, Select) for s in parsed if not isinstance(s, DynamoDBError)}
    if len(kinds) > 1:
        raise ValidationException(MIXED)
    mode = params.get("ReturnConsumedCapacity")
    totals: dict[str, dict[str, Any]] = {}
    responses = []
    for entry, stmt in zip(entries, parsed):
        try:
            if isinstance(stmt, DynamoDBError):
                raise stmt
            responses.append(_run(ctx, stmt, entry, mode, totals))
        except DynamoDBError as err:
            # A member that reached its item names its table; one refused before that does not. The failed
            # item never comes back here, whatever ReturnValuesOnConditionCheckFailure says.
            response: dict[str, Any] = {"Error": {"Code": error_code(err), "Message": err.message}}
            if isinstance(err, (ConditionalCheckFailedException, DuplicateItemException)):
                response["TableName"] = _table_of(stmt)  # type: ignore[arg-type]
            responses.append(response)
    out: dict[str, Any] = {"Responses": responses}
    if mode in ("TOTAL", "INDEXES"):
        out["ConsumedCapacity"] = list(totals.values())
    return out


def _run(ctx: Any, stmt: Statement, entry: dict[str, Any], mode: str | None, totals: dict[str, Any]) -> dict[str, Any]:
    if isinstance(stmt, Exists):
        raise ValidationException(EXISTS_OUTSIDE)
    if isinstance(stmt, Select):
        table, item, size = keyed_read(ctx, stmt, None, NO_KEY)
        add_table_capacity(totals, read_capacity(mode, table, size, bool(entry.get("ConsistentRead"))))
        response: dict[str, Any] = {"TableName": table.name}
        if item is not None:
            response["Item"] = item
        return response
    capacity, items = run_write(ctx, stmt, {"ReturnConsumedCapacity": mode})
    add_table_capacity(totals, capacity)
    response = {"TableName": _table_of(stmt)}
    if items:
        response["Item"] = items[0]
    return response


def _table_of(stmt: Statement) -> str:
    return stmt.select.target.table if isinstance(stmt, Exists) else stmt.target.table
