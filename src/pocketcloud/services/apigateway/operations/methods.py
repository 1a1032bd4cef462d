"""PutMethod, GetMethod, UpdateMethod, DeleteMethod and the method responses (Put/Get/Update/DeleteMethodResponse).

https://docs.aws.amazon.com/apigateway/latest/api/API_PutMethod.html
"""

from __future__ import annotations

from typing import Any

from ..errors import BadRequestException, ConflictException, NotFoundException
from ..patch import apply_patches
from ..store import get_method, get_resource
from ._common import public, store
from .request_validators import check_validator_id

HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY")
AUTHORIZATION_TYPES = ("NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS")


def check_http_method(http_method: str) -> str:
    upper = http_method.upper()
    if upper not in HTTP_METHODS:
        raise BadRequestException("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY")
    return upper


def new_method(params: dict[str, Any]) -> dict[str, Any]:
    auth = params.get("authorizationType") or "NONE"
    if auth not in AUTHORIZATION_TYPES:
        raise BadRequestException(
            "Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS"
        )
    if auth in ("CUSTOM", "COGNITO_USER_POOLS") and not params.get("authorizerId"):
        raise BadRequestException("Invalid authorizer ID specified. Setting the authorization type to CUSTOM or "
                                  "COGNITO_USER_POOLS requires a valid authorizer.")
    method: dict[str, Any] = {
        "httpMethod": check_http_method(params["httpMethod"]),
        "authorizationType": auth,
        "apiKeyRequired": bool(params.get("apiKeyRequired", False)),
    }
    for key in ("authorizerId", "operationName", "requestParameters", "requestModels", "requestValidatorId",
                "authorizationScopes"):
        if params.get(key) is not None:
            method[key] = params[key]
    return method


def put_method(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    resource = get_resource(api, params["resourceId"])
    method = new_method(params)
    check_validator_id(api, method.get("requestValidatorId"))
    methods = resource.setdefault("resourceMethods", {})
    if method["httpMethod"] in methods:
        raise ConflictException("Method already exists for this resource")
    methods[method["httpMethod"]] = method
    s.put_api(api)
    return public(method)


def get_method_op(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    return public(get_method(api, params["resourceId"], params["httpMethod"]))


def update_method(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    method = get_method(api, params["resourceId"], params["httpMethod"])
    apply_patches(
        method, params.get("patchOperations"),
        allowed={"authorizationType": "str", "authorizerId": "str", "apiKeyRequired": "bool", "operationName": "str",
                 "requestValidatorId": "str"},
        maps=("requestParameters", "requestModels"), lists=("authorizationScopes",),
        required=("authorizationType", "apiKeyRequired"),
    )
    check_validator_id(api, method.get("requestValidatorId"))
    for name, value in list(method.get("requestParameters", {}).items()):
        if isinstance(value, str):
            method["requestParameters"][name] = value.lower() == "true"
    s.put_api(api)
    return public(method)


def delete_method(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    get_method(api, params["resourceId"], params["httpMethod"])
    del get_resource(api, params["resourceId"])["resourceMethods"][params["httpMethod"].upper()]
    s.put_api(api)
    return {}


# ---------------------------------------------------------------------------------------------- method responses


def _method_response(method: dict[str, Any], status_code: str) -> dict[str, Any]:
    response = method.get("methodResponses", {}).get(status_code)
    if response is None:
        raise NotFoundException("Invalid Response status code specified")
    return response


def put_method_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    method = get_method(api, params["resourceId"], params["httpMethod"])
    status = params["statusCode"]
    if not (status.isdigit() and len(status) == 3 and status[0] in "12345"):
        raise BadRequestException("Invalid Response status code specified")
    response: dict[str, Any] = {"statusCode": status}
    for key in ("responseParameters", "responseModels"):
        if params.get(key) is not None:
            response[key] = params[key]
    method.setdefault("methodResponses", {})[status] = response
    s.put_api(api)
    return dict(response)


def get_method_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    method = get_method(api, params["resourceId"], params["httpMethod"])
    return dict(_method_response(method, params["statusCode"]))


def update_method_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    response = _method_response(get_method(api, params["resourceId"], params["httpMethod"]), params["statusCode"])
    apply_patches(response, params.get("patchOperations"), allowed={}, maps=("responseParameters", "responseModels"))
    for name, value in list(response.get("responseParameters", {}).items()):
        if isinstance(value, str):
            response["responseParameters"][name] = value.lower() == "true"
    s.put_api(api)
    return dict(response)


def delete_method_response(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    method = get_method(api, params["resourceId"], params["httpMethod"])
    _method_response(method, params["statusCode"])
    del method["methodResponses"][params["statusCode"]]
    s.put_api(api)
    return {}
