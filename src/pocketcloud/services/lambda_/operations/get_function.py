"""GetFunction: https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..models import resolve
from ._common import ref


def code_location(ctx: Any, name: str, code_dir: str, account: str, region: str) -> str:
    """A URL on pocketcloud serving the function's zip (AWS answers a presigned S3 URL)."""
    sha_hex = code_dir.rstrip("/").rsplit("/", 1)[-1]
    base = ctx.state.config.endpoint_url
    return (f"{base}/2015-03-31/functions/{quote(name)}/pocketcloud-code/{sha_hex}.zip"
            f"?account={account}&region={region}")


def get_function(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    r = ref(ctx, params["FunctionName"], params.get("Qualifier"))
    resolved = resolve(ctx.state.storage.resources, r)
    doc = resolved.function
    out: dict[str, Any] = {
        "Configuration": resolved.config,
        "Code": {"RepositoryType": "S3", "Location": code_location(ctx, r.name, resolved.code_dir, r.account, r.region)},
    }
    if doc.get("tags"):
        out["Tags"] = doc["tags"]
    if doc.get("concurrency") is not None:
        out["Concurrency"] = {"ReservedConcurrentExecutions": doc["concurrency"]}
    return out
