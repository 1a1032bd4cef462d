"""DynamoDB's operations, one module each. This registry is the way in: grep an operation name here."""

from __future__ import annotations

from .backups import create_backup, delete_backup, describe_backup, list_backups, restore_table_from_backup
from .batch_execute_statement import batch_execute_statement
from .batch_get_item import batch_get_item
from .batch_write_item import batch_write_item
from .contributor_insights import (
    describe_contributor_insights,
    list_contributor_insights,
    update_contributor_insights,
)
from .create_table import create_table
from .delete_item import delete_item
from .delete_table import delete_table
from .describe_continuous_backups import describe_continuous_backups
from .describe_endpoints import describe_endpoints
from .describe_limits import describe_limits
from .describe_table import describe_table
from .describe_time_to_live import describe_time_to_live
from .execute_statement import execute_statement
from .execute_transaction import execute_transaction
from .get_item import get_item
from .list_tables import list_tables
from .list_tags_of_resource import list_tags_of_resource
from .put_item import put_item
from .resource_policy import delete_resource_policy, get_resource_policy, put_resource_policy
from .query import query
from .scan import scan
from .tag_resource import tag_resource
from .transact_get_items import transact_get_items
from .transact_write_items import transact_write_items
from .untag_resource import untag_resource
from .update_continuous_backups import update_continuous_backups
from .update_item import update_item
from .update_table import update_table
from .update_time_to_live import update_time_to_live

OPERATIONS = {
    "BatchExecuteStatement": batch_execute_statement,
    "BatchGetItem": batch_get_item,
    "BatchWriteItem": batch_write_item,
    "CreateBackup": create_backup,
    "CreateTable": create_table,
    "DeleteBackup": delete_backup,
    "DeleteItem": delete_item,
    "DeleteResourcePolicy": delete_resource_policy,
    "DeleteTable": delete_table,
    "DescribeBackup": describe_backup,
    "DescribeContinuousBackups": describe_continuous_backups,
    "DescribeContributorInsights": describe_contributor_insights,
    "DescribeEndpoints": describe_endpoints,
    "DescribeLimits": describe_limits,
    "DescribeTable": describe_table,
    "DescribeTimeToLive": describe_time_to_live,
    "ExecuteStatement": execute_statement,
    "ExecuteTransaction": execute_transaction,
    "GetItem": get_item,
    "GetResourcePolicy": get_resource_policy,
    "ListBackups": list_backups,
    "ListContributorInsights": list_contributor_insights,
    "ListTables": list_tables,
    "ListTagsOfResource": list_tags_of_resource,
    "PutItem": put_item,
    "PutResourcePolicy": put_resource_policy,
    "Query": query,
    "RestoreTableFromBackup": restore_table_from_backup,
    "Scan": scan,
    "TagResource": tag_resource,
    "TransactGetItems": transact_get_items,
    "TransactWriteItems": transact_write_items,
    "UntagResource": untag_resource,
    "UpdateContinuousBackups": update_continuous_backups,
    "UpdateContributorInsights": update_contributor_insights,
    "UpdateItem": update_item,
    "UpdateTable": update_table,
    "UpdateTimeToLive": update_time_to_live,
}
