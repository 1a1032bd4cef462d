"""Helpers of the control-plane operations (CreateTable, UpdateTable, tags, TTL): table look-up with AWS's
control-plane wording, stream labels, and the table-name and tag rules.

https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pocketcloud.protocols.errors import AccessDeniedException
from pocketcloud.storage.base import TableRecord

from .errors import ResourceNotFoundException, ValidationException
from .tables import table_name_from

INVALID = "One or more parameter values were invalid: "
MAX_TAGS = 50


def control_table(ctx: Any, name: str) -> TableRecord:
    """Control-plane operations name the table in their not-found message; item operations don't."""
    table = ctx.state.storage.dynamodb.get_table(ctx.account_id, ctx.region, table_name_from(name))
    if table is None:
        raise ResourceNotFoundException(f"Requested resource not found: Table: {table_name_from(name)} not found")
    return table


def stream_label(now: float) -> str:
    """AWS labels a stream with its creation time, e.g. 2015-05-11T21:21:33.291."""
    return _dt.datetime.fromtimestamp(now, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def enable_stream(desc: dict[str, Any], view_type: str, now: float) -> None:
    label = stream_label(now)
    desc["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": view_type}
    desc["LatestStreamLabel"] = label
    desc["LatestStreamArn"] = f"{desc['TableArn']}/stream/{label}"
    desc["_stream_view"] = view_type  # still shown by DescribeStream once the stream is disabled


def check_tags(tags: list[dict[str, str]], existing: dict[str, str] | None = None) -> dict[str, str]:
    """Validate Tags of CreateTable/TagResource; returns the merged tag set.

    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Tagging.html#TaggingRestrictions
    """
    merged = dict(existing or {})
    seen: set[str] = set()
    for tag in tags:
        key, value = tag.get("Key"), tag.get("Value")
        if key is None or not (1 <= len(key) <= 128):
            raise ValidationException(f"The Tag Key provided is invalid, Key: {key}")
        if value is None or len(value) > 256:
            raise ValidationException(f"The Tag Value provided is invalid, Value: {value}")
        if key.startswith("aws:"):
            raise ValidationException(f"Tag Key cannot be prefixed with aws:, Key: {key}")
        if key in seen:
            raise ValidationException(f"Duplicate Tag Keys provided as input: Duplicate Tag Key found {key}")
        seen.add(key)
        merged[key] = value
    if len(merged) > MAX_TAGS:
        raise ValidationException("Number of Tags exceed the current limit for the provided ResourceArn")
    return merged


def table_for_arn(ctx: Any, arn: str | None) -> TableRecord:
    """The table a tagging ResourceArn names, with AWS's messages for malformed and unknown ARNs."""
    if not arn:
        raise ValidationException("Invalid TableArn")
    if not arn.startswith("arn:"):
        raise ValidationException(INVALID + f"ARNs must start with 'arn:': {arn}")
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[2] != "dynamodb":
        raise ValidationException(INVALID + f"Provided Arn is not a DynamoDB resource arn: {arn}")
    if parts[4] != ctx.account_id:
        # IAM decides before DynamoDB looks: another account's table is not ours to see (2026 capture).
        raise AccessDeniedException(
            f"User: arn:aws:iam::{ctx.account_id}:root is not authorized to perform: dynamodb:{ctx.operation} "
            f"on resource: {arn} because no resource-based policy allows the dynamodb:{ctx.operation} action")
    if parts[3] != ctx.region:
        raise ValidationException(f"Invalid TableArn: Invalid ResourceArn provided as input {arn}")
    resource = parts[5]
    pieces = resource.split("/")
    if pieces[0] != "table" or len(pieces) not in (2, 4) or (len(pieces) == 4 and pieces[2] != "stream"):
        raise ValidationException(
            INVALID + f"Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {arn}"
        )
    table = ctx.state.storage.dynamodb.get_table(ctx.account_id, ctx.region, pieces[1])
    if table is None:
        raise ResourceNotFoundException(f"Requested resource not found: ResourcArn: {arn} not found")
    return table
