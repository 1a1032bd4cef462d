"""PutIntegration, GetIntegration, UpdateIntegration, DeleteIntegration and the integration responses.

https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegration.html
"""

from __future__ import annotations

from typing import Any

from ..errors import BadRequestException, NotFoundException
from ..patch import apply_patches
from ..store import get_integration, get_method
from ._common import public, store
from .methods import HTTP_METHODS

INTEGRATION_TYPES = ("HTTP", "AWS", "MOCK", "HTTP_PROXY", "AWS_PROXY")
PASSTHROUGH = ("WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER")


def check_integration(integration: dict[str, Any]) -> None:
    kind = integration.get("type")
    if kind not in INTEGRATION_TYPES:
        raise BadRequestException("Invalid integration type specified. Valid options are HTTP,AWS,MOCK,HTTP_PROXY,AWS_PROXY")
    if integration.get("passthroughBehavior") not in PASSTHROUGH:
        raise BadRequestException("Invalid passthrough behavior specified. Valid options are WHEN_NO_MATCH,WHEN_NO_TEMPLATES,NEVER")
    timeout = integration.get("timeoutInMillis", 29000)
    if not 50 <= timeout <= 29000:
        raise BadRequestException("Timeout should be between 50 ms and 29000 ms")
    if kind == "MOCK":
        return
    http_method = integration.get("httpMethod")
    if not http_method:
        raise BadRequestException("Enumeration value for HttpMethod must be non-empty")
    if http_method.upper() not in HTTP_METHODS:
        raise BadRequestException("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY")
    uri = integration.get("uri") or ""
    if kind in ("AWS", "AWS_PROXY"):
        if not uri.startswith("arn:"):
            raise BadRequestException("Invalid ARN specified in the request")
        if ":path/" not in uri and ":action/" not in uri:
            raise BadRequestException("AWS ARN for integration must contain path or action")
        if kind == "AWS_PROXY" and ":lambda:path/" not in uri and ":firehose:" not in uri:
            raise BadRequestException(
                "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations."
            )
    elif not (uri.startswith("http://") or uri.startswith("https://")):
        raise BadRequestException("Invalid HTTP endpoint specified for URI")


def put_integration(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    method = get_method(api, params["resourceId"], params["httpMethod"])
    integration: dict[str, Any] = {
        "type": params.get("type"),
        "passthroughBehavior": params.get("passthroughBehavior") or "WHEN_NO_MATCH",
        "timeoutInMillis": params.get("timeoutInMillis") or 29000,
        "cacheNamespace": params.get("cacheNamespace") or params["resourceId"],
        "cacheKeyParameters": params.get("cacheKeyParameters") or [],
    }
    if params.get("integrationHttpMethod"):
        integration["httpMethod"] = params["integrationHttpMethod"].upper()
    for key in ("uri", "connectionType", "connectionId", "credentials", "requestParameters", "requestTemplates",
                "contentHandling", "tlsConfig"):
        if params.get(key) is not None:
            integration[key] = params[key]
    if integration["type"] in ("HTTP", "HTTP_PROXY"):
        integration.setdefault("connectionType", "INTERNET")
    check_integration(integration)
    method["methodIntegration"] = integration
    s.put_api(api)
    return public(integration)


def get_integration_op(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    return public(get_integration(api, params["resourceId"], params["httpMethod"]))


def update_integration(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    integration = get_integration(api, params["resourceId"], params["httpMethod"])

    def mapper(parts: list[str]) -> list[str]:
        # /tlsConfig/insecureSkipVerification, the one nested member AWS patches (as a flat field while patching).
        return ["_insecureSkipVerification"] if parts == ["tlsConfig", "insecureSkipVerification"] else parts

    tls = integration.pop("tlsConfig", None)
    if tls is not None and "insecureSkipVerification" in tls:
        integration["_insecureSkipVerification"] = bool(tls["insecureSkipVerification"])
    apply_patches(
        integration, params.get("patchOperations"), mapper=mapper,
        allowed={"uri": "str", "type": "str", "httpMethod": "str", "passthroughBehavior": "str", "credentials": "str",
                 "timeoutInMillis": "int", "contentHandling": "str", "connectionType": "str", "connectionId": "str",
                 "cacheNamespace": "str", "_insecureSkipVerification": "bool"},
        maps=("requestTemplates", "requestParameters"), lists=("cacheKeyParameters",),
    )
    if "_insecureSkipVerification" in integration:
        integration["tlsConfig"] = {"insecureSkipVerification": integration.pop("_insecureSkipVerification")}
    check_integration(integration)
    s.put_api(api)
    return public(integration)


def delete_integration(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    get_integration(api, params["resourceId"], params["httpMethod"])
    del get_method(api, params["resourceId"], params["httpMethod"])["methodIntegration"]
    s.put_api(api)
    return {}


# ---------------------------------------------------------------------------------------------- integration responses


def _integration_response(integration: dict[str, Any], status_code: str) -> dict[str, Any]:
    response = integration.get("integrationResponses", {}).get(status_code)
    if response is None:
        raise NotFoundException("Invalid Response status code specified")
    return response


def put_integration_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    method = get_method(api, params["resourceId"], params["httpMethod"])
    integration = get_integration(api, params["resourceId"], params["httpMethod"])
    status = params["statusCode"]
    if status not in method.get("methodResponses", {}):
        raise NotFoundException("Invalid Response status code specified")
    response: dict[str, Any] = {"statusCode": status}
    for key in ("selectionPattern", "responseParameters", "responseTemplates", "contentHandling"):
        if params.get(key) is not None:
            response[key] = params[key]
    integration.setdefault("integrationResponses", {})[status] = response
    s.put_api(api)
    return dict(response)


def get_integration_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    integration = get_integration(api, params["resourceId"], params["httpMethod"])
    return dict(_integration_response(integration, params["statusCode"]))


def update_integration_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    integration = get_integration(api, params["resourceId"], params["httpMethod"])
    response = _integration_response(integration, params["statusCode"])
    apply_patches(response, params.get("patchOperations"), allowed={"selectionPattern": "str", "contentHandling": "str"},
                  maps=("responseTemplates", "responseParameters"))
    s.put_api(api)
    return dict(response)


def delete_integration_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    integration = get_integration(api, params["resourceId"], params["httpMethod"])
    _integration_response(integration, params["statusCode"])
    del integration["integrationResponses"][params["statusCode"]]
    s.put_api(api)
    return {}
