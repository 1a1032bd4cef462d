"""Scan — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html

Storage walks hash buckets in order; a parallel-scan segment is a bucket range (keycodec.segment_range), and
the next page starts after the position the ExclusiveStartKey maps back to.
"""

from __future__ import annotations

from typing import Any

from .. import keycodec
from ..errors import ValidationException
from ..expressions import check_expression_parameters
from ..items import context_if_needed, projection_of
from ..reads import (
    check_conditions_early,
    check_select,
    check_select_for_index,
    check_start_key_values,
    filter_of,
    find_index,
    key_names_of,
    page,
    shaper,
    start_key,
)
from ..tables import get_table, schema

_EXPRESSIONS = ("ProjectionExpression", "FilterExpression")


def _segment(params: dict[str, Any]) -> tuple[int, int]:
    segment, total = params.get("Segment"), params.get("TotalSegments")
    if total is not None and segment is None:
        raise ValidationException(
            "The Segment parameter is required but was not present in the request when parameter TotalSegments is present"
        )
    if segment is not None and total is None:
        raise ValidationException(
            "The TotalSegments parameter is required but was not present in the request when Segment parameter is present"
        )
    if segment is None:
        return 0, keycodec.BUCKETS - 1
    if segment >= total:
        raise ValidationException(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
            f"Segment: {segment} is not less than TotalSegments: {total}"
        )
    return keycodec.segment_range(segment, total)


def scan(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    check_expression_parameters(params, list(_EXPRESSIONS), ["AttributesToGet", "ScanFilter", "ConditionalOperator"])
    lo, hi = _segment(params)
    check_conditions_early(params, "ScanFilter")
    check_start_key_values(params)
    select = check_select(params, query=False)
    exprs = context_if_needed(params, _EXPRESSIONS)
    condition, _ = filter_of(params, exprs, "ScanFilter")
    projection = projection_of(params, exprs)
    if exprs is not None:
        exprs.check_unused()
    table = get_table(ctx, params["TableName"])
    sch = schema(table)
    index = find_index(sch, params)
    check_select_for_index(select, index, params)
    start = None
    esk = start_key(params, sch, index)
    if esk is not None:
        hk = keycodec.encode(sch.hash_type, esk[sch.hash_name][sch.hash_type])
        rk = keycodec.encode(sch.range_type, esk[sch.range_name][sch.range_type]) if sch.range_name else b""
        if index is None:
            start = (keycodec.hash_bucket(hk), hk, rk)
        else:
            ihk = keycodec.encode(index.hash_type, esk[index.hash_name][index.hash_type])
            irk = keycodec.encode(index.range_type, esk[index.range_name][index.range_type]) if index.range_name else b""  # type: ignore[arg-type]
            start = (keycodec.hash_bucket(ihk), ihk, irk, hk, rk)
    rows = ctx.state.storage.dynamodb.scan(table, index.iid if index else None, lo, hi, start)
    return page(rows, params, condition, shaper(sch, index, select, projection), key_names_of(sch, index), table, index)
