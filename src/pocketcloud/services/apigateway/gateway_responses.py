"""Gateway responses: the types AWS defines, their defaults, and which customisation answers a given error.

https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html

An API stores only the types its developer customised (`api["gatewayResponses"]`, type -> record); every other
type is its default. A deployment freezes them with the rest of the API. The control plane lives in
operations/gateway_responses.py, the rendering of one on the data plane in execute/gateway_response.py.
"""

from __future__ import annotations

from typing import Any

# Type -> its default status code (None: DEFAULT_4XX / DEFAULT_5XX, whose status is the error's own), in the
# order of the API reference's enum.
DEFAULT_STATUS: dict[str, str | None] = {
    "DEFAULT_4XX": None,
    "DEFAULT_5XX": None,
    "RESOURCE_NOT_FOUND": "404",
    "UNAUTHORIZED": "401",
    "INVALID_API_KEY": "403",
    "ACCESS_DENIED": "403",
    "AUTHORIZER_FAILURE": "500",
    "AUTHORIZER_CONFIGURATION_ERROR": "500",
    "INVALID_SIGNATURE": "403",
    "EXPIRED_TOKEN": "403",
    "MISSING_AUTHENTICATION_TOKEN": "403",
    "INTEGRATION_FAILURE": "504",
    "INTEGRATION_TIMEOUT": "504",
    "API_CONFIGURATION_ERROR": "500",
    "UNSUPPORTED_MEDIA_TYPE": "415",
    "BAD_REQUEST_PARAMETERS": "400",
    "BAD_REQUEST_BODY": "400",
    "REQUEST_TOO_LARGE": "413",
    "THROTTLED": "429",
    "QUOTA_EXCEEDED": "429",
    "WAF_FILTERED": "403",
}

DEFAULT_TEMPLATE = '{"message":$context.error.messageString}'
HEADER_TARGET = "gatewayresponse.header."


def default_response(response_type: str) -> dict[str, Any]:
    """What GetGatewayResponse answers for a type nobody customised."""
    response: dict[str, Any] = {"responseType": response_type}
    status = DEFAULT_STATUS[response_type]
    if status is not None:
        response["statusCode"] = status
    response["responseParameters"] = {}
    response["responseTemplates"] = {"application/json": DEFAULT_TEMPLATE}
    response["defaultResponse"] = True
    return response


def current(api: dict[str, Any], response_type: str) -> dict[str, Any]:
    """The type's response as GetGatewayResponse shows it: the customisation, else the default."""
    custom = (api.get("gatewayResponses") or {}).get(response_type)
    if custom is None:
        return default_response(response_type)
    return {**custom, "defaultResponse": False}


def customisation_for(customised: dict[str, Any], response_type: str, status: int,
                      ) -> tuple[dict[str, Any] | None, str | None]:
    """(the customised record that answers an error of `response_type` with `status`, its status code).

    A type nobody customised falls back to DEFAULT_4XX or DEFAULT_5XX (by the error's status). A status code set
    on DEFAULT_4XX/5XX changes every type of its class that sets none of its own; None: the error's own status.
    """
    fallback = customised.get("DEFAULT_5XX" if status >= 500 else "DEFAULT_4XX")
    own = customised.get(response_type)
    record = own if own is not None else fallback
    code = (own or {}).get("statusCode") or (fallback or {}).get("statusCode")
    return record, code
