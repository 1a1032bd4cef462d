"""DeleteTable — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html"""

from __future__ import annotations

from typing import Any

from ..control import control_table
from ..errors import ValidationException
from ..tables import public_description


def delete_table(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    table = control_table(ctx, params["TableName"])
    if table.description.get("DeletionProtectionEnabled"):
        raise ValidationException(
            "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first."
        )
    desc = public_description(ctx, table)
    desc["TableStatus"] = "DELETING"
    ctx.state.storage.dynamodb.drop_table(table)
    return {"TableDescription": desc}
