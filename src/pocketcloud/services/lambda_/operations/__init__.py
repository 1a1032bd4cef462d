"""Lambda's operations, one module each. This registry is the way in: grep an operation name here."""

from __future__ import annotations

from .add_permission import add_permission
from .create_alias import create_alias
from .create_function import create_function
from .delete_alias import delete_alias
from .delete_function import delete_function
from .delete_function_concurrency import delete_function_concurrency
from .get_account_settings import get_account_settings
from .get_alias import get_alias
from .get_function import get_function
from .get_function_code_zip import OPERATION as CODE_ZIP_OPERATION
from .get_function_code_zip import get_function_code_zip
from .get_function_concurrency import get_function_concurrency
from .get_function_configuration import get_function_configuration
from .get_policy import get_policy
from .invoke import invoke, invoke_async
from .list_aliases import list_aliases
from .list_functions import list_functions
from .list_tags import list_tags
from .list_versions_by_function import list_versions_by_function
from .publish_version import publish_version
from .put_function_concurrency import put_function_concurrency
from .remove_permission import remove_permission
from .tag_resource import tag_resource
from .untag_resource import untag_resource
from .update_alias import update_alias
from .update_function_code import update_function_code
from .update_function_configuration import update_function_configuration

OPERATIONS = {
    "AddPermission": add_permission,
    "CreateAlias": create_alias,
    "CreateFunction": create_function,
    "DeleteAlias": delete_alias,
    "DeleteFunction": delete_function,
    "DeleteFunctionConcurrency": delete_function_concurrency,
    "GetAccountSettings": get_account_settings,
    "GetAlias": get_alias,
    "GetFunction": get_function,
    "GetFunctionConcurrency": get_function_concurrency,
    "GetFunctionConfiguration": get_function_configuration,
    "GetPolicy": get_policy,
    "Invoke": invoke,
    "InvokeAsync": invoke_async,
    "ListAliases": list_aliases,
    "ListFunctions": list_functions,
    "ListTags": list_tags,
    "ListVersionsByFunction": list_versions_by_function,
    "PublishVersion": publish_version,
    "PutFunctionConcurrency": put_function_concurrency,
    "RemovePermission": remove_permission,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "UpdateAlias": update_alias,
    "UpdateFunctionCode": update_function_code,
    "UpdateFunctionConfiguration": update_function_configuration,
    CODE_ZIP_OPERATION: get_function_code_zip,
}
