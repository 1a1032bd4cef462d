"""DeleteTable — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html"""

from __future__ import annotations

from typing import Any

from ..errors import ResourceInUseException
from ..tables import get_table, public_description


def delete_table(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = get_table(ctx, params["TableName"])
    if table.description.get("DeletionProtectionEnabled"):
        raise ResourceInUseException(f"Table {table.name} can't be deleted while DeletionProtectionEnabled is set to True")
    desc = public_description(ctx, table)
    desc["TableStatus"] = "DELETING"
    ctx.state.storage.dynamodb.drop_table(table)
    return {"TableDescription": desc}
