"""IAM's operations, grouped by entity (roles, role policies, managed policies, users and keys)."""

from __future__ import annotations

from . import policies, role_policies, roles, users

OPERATIONS = {
    "CreateRole": roles.create_role,
    "GetRole": roles.get_role,
    "ListRoles": roles.list_roles,
    "DeleteRole": roles.delete_role,
    "UpdateAssumeRolePolicy": roles.update_assume_role_policy,
    "PutRolePolicy": role_policies.put_role_policy,
    "GetRolePolicy": role_policies.get_role_policy,
    "DeleteRolePolicy": role_policies.delete_role_policy,
    "ListRolePolicies": role_policies.list_role_policies,
    "AttachRolePolicy": role_policies.attach_role_policy,
    "DetachRolePolicy": role_policies.detach_role_policy,
    "ListAttachedRolePolicies": role_policies.list_attached_role_policies,
    "CreatePolicy": policies.create_policy,
    "GetPolicy": policies.get_policy,
    "DeletePolicy": policies.delete_policy,
    "ListPolicies": policies.list_policies,
    "CreateUser": users.create_user,
    "GetUser": users.get_user,
    "ListUsers": users.list_users,
    "DeleteUser": users.delete_user,
    "CreateAccessKey": users.create_access_key,
    "ListAccessKeys": users.list_access_keys,
    "DeleteAccessKey": users.delete_access_key,
}
