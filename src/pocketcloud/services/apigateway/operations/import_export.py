"""ImportRestApi, PutRestApi (mode overwrite/merge) and GetExport (swagger/oas30 as JSON or YAML).

https://docs.aws.amazon.com/apigateway/latest/api/API_ImportRestApi.html, API_PutRestApi.html, API_GetExport.html
"""

from __future__ import annotations

import time
from typing import Any

from pocketcloud.protocols.base import Response

from ..errors import BadRequestException, ConflictException
from ..openapi import apply_document, dump, export_document, import_error, load_document
from ._common import store
from .gateway_responses import check_response_parameters, check_status_code
from .integrations import check_integration
from .models import check_model_name, check_model_schema
from .resources import check_path_part
from .rest_apis import api_output, new_api_document


def check_imported(api: dict[str, Any], warnings: list[str], params: dict[str, Any]) -> None:
    """What CreateModel/CreateResource/PutIntegration would refuse, a document may not bring in either."""
    for name, model in (api.get("models") or {}).items():
        try:
            check_model_name(name)
            check_model_schema(model.get("schema"))
        except BadRequestException as error:
            raise import_error(f"Unable to create model for '{name}': {error.message}") from None
    resources = api["resources"]
    for resource in sorted(resources.values(), key=lambda r: r["path"]):
        if "parentId" in resource:
            try:
                check_path_part(api, resources[resource["parentId"]], resource["pathPart"], self_id=resource["id"])
            except (BadRequestException, ConflictException) as error:
                raise import_error(f"Unable to create resource at path '{resource['path']}': {error.message}") from None
        for name, method in (resource.get("resourceMethods") or {}).items():
            if method.get("methodIntegration") is None:
                continue
            try:
                check_integration(method["methodIntegration"])
            except BadRequestException as error:
                raise import_error(f"Unable to put integration on '{name}' for resource at path "
                                   f"'{resource['path']}': {error.message}") from None
    for kind, record in (api.get("gatewayResponses") or {}).items():
        try:
            check_status_code(record.get("statusCode"))
            check_response_parameters(record.get("responseParameters"))
        except BadRequestException as error:
            raise import_error(f"Unable to put gateway response '{kind}': {error.message}") from None
    if warnings and str(params.get("failOnWarnings", "")).lower() == "true":
        raise BadRequestException("Warnings found during import:\n\t" + "\n\t".join(warnings))


def import_rest_api(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    doc = load_document(params.get("body") or b"")
    api = new_api_document((doc.get("info") or {}).get("title") or "", {})
    api["models"] = {}
    warnings = apply_document(api, doc, overwrite=False)
    if not api["name"]:
        raise BadRequestException("Invalid OpenAPI input: info.title is required")
    check_imported(api, warnings, params)
    store(ctx).create_api(api)
    out = api_output(api)
    if warnings:
        out["warnings"] = warnings
    return out


def put_rest_api(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    mode = (params.get("mode") or "merge").lower()
    if mode not in ("merge", "overwrite"):
        raise BadRequestException(f"Invalid mode specified: {mode}")
    doc = load_document(params.get("body") or b"")
    warnings = apply_document(api, doc, overwrite=mode == "overwrite")
    check_imported(api, warnings, params)
    s.put_api(api)
    out = api_output(api)
    if warnings:
        out["warnings"] = warnings
    return out


def get_export(ctx: Any, params: dict[str, Any]) -> Response:
    s = store(ctx)
    api_id = params["restApiId"]
    api = s.get_api(api_id)
    stage = s.get_stage(api_id, params["stageName"])
    export_type = params["exportType"]
    if export_type not in ("swagger", "oas30"):
        raise BadRequestException(f"No API exporter for type '{export_type}'")
    snapshot = s.get_deployment(api_id, stage["deploymentId"]).get("_snapshot") or api
    snapshot = {**api, **snapshot}
    extensions = (params.get("parameters") or {}).get("extensions", "")
    as_yaml = "yaml" in (params.get("accepts") or "")
    doc = export_document(snapshot, stage, ctx.region, oas3=export_type == "oas30",
                          integrations="integrations" in extensions or "apigateway" in extensions)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    suffix = "yaml" if as_yaml else "json"
    headers = {
        # AWS answers application/octet-stream whatever `accepts` chose (the body is JSON or YAML as asked).
        "content-type": "application/octet-stream",
        "content-disposition": f'attachment; filename="{export_type}_{stamp}.{suffix}"',
        "x-amzn-requestid": ctx.request_id,
    }
    return Response(200, dump(doc, as_yaml), headers)
