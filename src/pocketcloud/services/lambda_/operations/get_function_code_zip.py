"""Serves a function's zip at the Code.Location GetFunction returns (pocketcloud's stand-in for S3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pocketcloud.protocols.base import Response

from ..errors import ResourceNotFoundException
from ..models import code_root

OPERATION = "PocketcloudGetFunctionCodeZip"


def get_function_code_zip(ctx: Any, params: dict[str, Any]) -> Response:
    sha_hex = params["sha"]
    if not all(c in "0123456789abcdef" for c in sha_hex):
        raise ResourceNotFoundException("The resource you requested does not exist.")
    root = code_root(ctx.state.files_dir, params.get("account") or ctx.account_id,
                     params.get("region") or ctx.region, params["name"])
    path = Path(root) / f"{sha_hex}.zip"
    if "/" in params["name"] or not path.is_file():
        raise ResourceNotFoundException("The resource you requested does not exist.")
    return Response(200, path.read_bytes(), {"content-type": "application/zip"})
