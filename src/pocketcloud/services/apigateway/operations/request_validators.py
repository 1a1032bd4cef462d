"""CreateRequestValidator, GetRequestValidator, GetRequestValidators, UpdateRequestValidator, DeleteRequestValidator.

https://docs.aws.amazon.com/apigateway/latest/api/API_CreateRequestValidator.html — a method names one by
`requestValidatorId`; execute/request_validation.py applies it once the API is deployed.
"""

from __future__ import annotations

from typing import Any

from ..errors import BadRequestException, NotFoundException
from ..patch import apply_patches
from ..store import new_id
from ._common import paginate, store

INVALID_ID = "Invalid Request Validator identifier specified"


def check_validator_id(api: dict[str, Any], validator_id: str | None) -> None:
    """What PutMethod/UpdateMethod refuse as a method's requestValidatorId (an empty one clears it)."""
    if validator_id and validator_id not in (api.get("requestValidators") or {}):
        raise BadRequestException(INVALID_ID)


def _validator(api: dict[str, Any], validator_id: str) -> dict[str, Any]:
    validator = (api.get("requestValidators") or {}).get(validator_id)
    if validator is None:
        raise NotFoundException(INVALID_ID)
    return validator


def create_request_validator(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    validators = api.setdefault("requestValidators", {})
    validator: dict[str, Any] = {"id": new_id(6)}
    if params.get("name") is not None:
        validator["name"] = params["name"]
    validator["validateRequestBody"] = bool(params.get("validateRequestBody", False))
    validator["validateRequestParameters"] = bool(params.get("validateRequestParameters", False))
    validators[validator["id"]] = validator
    s.put_api(api)
    return dict(validator)


def get_request_validator(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    return dict(_validator(api, params["requestValidatorId"]))


def get_request_validators(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    api = store(ctx).get_api(params["restApiId"])
    return paginate([dict(v) for v in (api.get("requestValidators") or {}).values()], params)


def update_request_validator(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    validator = _validator(api, params["requestValidatorId"])
    apply_patches(validator, params.get("patchOperations"),
                  allowed={"name": "str", "validateRequestBody": "bool", "validateRequestParameters": "bool"},
                  required=("validateRequestBody", "validateRequestParameters"))
    s.put_api(api)
    return dict(validator)


def delete_request_validator(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
    s = store(ctx)
    api = s.get_api(params["restApiId"])
    _validator(api, params["requestValidatorId"])
    del api["requestValidators"][params["requestValidatorId"]]
    s.put_api(api)
    return {}
