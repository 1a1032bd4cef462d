"""DynamoDB's operations, one module each. This registry is the way in: grep an operation name here."""

from __future__ import annotations

from .create_table import create_table
from .delete_item import delete_item
from .delete_table import delete_table
from .describe_table import describe_table
from .get_item import get_item
from .list_tables import list_tables
from .put_item import put_item
from .query import query
from .scan import scan
from .update_item import update_item

OPERATIONS = {
    "CreateTable": create_table,
    "DeleteItem": delete_item,
    "DeleteTable": delete_table,
    "DescribeTable": describe_table,
    "GetItem": get_item,
    "ListTables": list_tables,
    "PutItem": put_item,
    "Query": query,
    "Scan": scan,
    "UpdateItem": update_item,
}
