"""DescribeEndpoints — https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeEndpoints.html

AWS answers with the regional endpoint and a one-day cache period. SDKs only call this when endpoint discovery
is switched on (it is off by default for DynamoDB), so the answer mirrors AWS's rather than pointing at
pocketcloud.
"""

from __future__ import annotations

from typing import Any


def describe_endpoints(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    return {"Endpoints": [{"Address": f"dynamodb.{ctx.region}.amazonaws.com", "CachePeriodInMinutes": 1440}]}
