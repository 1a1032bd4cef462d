"""Step 5: the method's request validator — required request parameters, and the body against its model.

https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html: with
`validateRequestParameters`, every `method.request.{header,querystring,path}.x` the method marks required (true)
must be present and not blank (400 BAD_REQUEST_PARAMETERS "Missing required request parameters: [x, y]"); with
`validateRequestBody`, a body whose Content-Type (application/json when absent) has a model in `requestModels`
must be JSON that the model's schema (JSON Schema draft 4) accepts (400 BAD_REQUEST_BODY "Invalid request body").
A model's `$ref` to another model of the API (https://apigateway.amazonaws.com/restapis/{id}/models/{name})
resolves to that model. `$context.error.validationErrorString` holds what failed, in jsonschema's words.
"""

from __future__ import annotations

import json
from typing import Any

from ..json_schema import is_valid_schema, validator_class
from .context import InvocationRequest, MatchedRoute
from .deployment import DeployedStage
from .errors import GatewayError
from .integration_request import source_value

# The method request parameters a validator requires (what source_value reads them as: a header's and a query
# parameter's last value, a path parameter).
_REQUEST_PARAMETERS = ("method.request.header.", "method.request.querystring.", "method.request.path.")


def bad_request_parameters(missing: list[str]) -> GatewayError:
    message = f"Missing required request parameters: [{', '.join(missing)}]"
    return GatewayError(400, message, "BadRequestException", response_type="BAD_REQUEST_PARAMETERS",
                        validation_error=message)


def bad_request_body(detail: str) -> GatewayError:
    return GatewayError(400, "Invalid request body", "BadRequestException", response_type="BAD_REQUEST_BODY",
                        log_detail=f"Request body does not match model schema: {detail}", validation_error=detail)


def validate_request(deployed: DeployedStage, method: dict[str, Any], request: InvocationRequest,
                     route: MatchedRoute) -> None:
    validator_id = method.get("requestValidatorId")
    if not validator_id:
        return
    validator = (deployed.api.get("requestValidators") or {}).get(validator_id)
    if validator is None:
        return
    if validator.get("validateRequestParameters"):
        missing = [name for name, required in (method.get("requestParameters") or {}).items()
                   if required and _blank(name, request, route)]
        if missing:
            raise bad_request_parameters([name.rsplit(".", 1)[-1] for name in missing])
    if validator.get("validateRequestBody"):
        models = method.get("requestModels") or {}
        media_type = (request.content_type or "application/json").split(";", 1)[0].strip().lower()
        model = next((name for key, name in models.items() if key.lower() == media_type), None)
        if model:
            _check_body(deployed, model, request.body)


def _blank(name: str, request: InvocationRequest, route: MatchedRoute) -> bool:
    if not name.startswith(_REQUEST_PARAMETERS):
        return False  # not a parameter a request carries (nothing to check)
    value = source_value(name, request, route)
    return value is None or not value.strip()


def _check_body(deployed: DeployedStage, model: str, body: bytes) -> None:
    schema_validator = _validator(deployed, model)
    if schema_validator is None:
        return
    try:
        # An empty body is validated as {} (AWS's behaviour as LocalStack's snapshot tests against AWS record it).
        document = json.loads(body, parse_constant=_not_json) if body.strip() else {}
    except (UnicodeDecodeError, ValueError) as e:
        raise bad_request_body(f"[Invalid JSON: {e}]") from None
    except RecursionError:  # nested deeper than Python's parser goes (AWS's Jackson refuses such depths too)
        raise bad_request_body("[Invalid JSON: nested too deeply]") from None
    from referencing.exceptions import Unresolvable  # (jsonschema loads in ~40 ms: only for APIs that validate)

    try:
        errors = [error.message for error in schema_validator.iter_errors(document)]
    except Unresolvable as e:
        raise bad_request_body(f"[Unresolvable reference: {e}]") from None
    except RecursionError:  # a document that parsed, but is too deep for the validator to descend
        raise bad_request_body("[Invalid JSON: nested too deeply]") from None
    except (OverflowError, ValueError) as e:  # multipleOf over a number no float holds (400 digits, 1e400)
        raise bad_request_body(f"[Number out of range: {e}]") from None
    if errors:
        raise bad_request_body("[" + ", ".join(errors) + "]")


def _not_json(constant: str) -> Any:
    """NaN, Infinity and -Infinity: Python's json reads them, JSON (and AWS's Jackson) does not."""
    raise ValueError(f"{constant} is not a JSON value")


def _validator(deployed: DeployedStage, model: str) -> Any:
    """The model's compiled schema validator (json_schema.validator_class()), once per deployed stage; None for a
    model that is missing or whose schema is not usable (it validates nothing, as it could not have been deployed
    on AWS)."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    cache = deployed.validators
    if model in cache:
        return cache[model]
    models = deployed.api.get("models") or {}
    found = None
    schema = _schema(models, model)
    if schema is not None:
        def retrieve(uri: str) -> Resource:
            target = _schema(models, uri.rstrip("/").rsplit("/models/", 1)[-1]) if "/models/" in uri else None
            if target is None:
                raise LookupError(uri)
            return Resource.from_contents(target, default_specification=DRAFT4)

        if is_valid_schema(schema):
            found = validator_class()(schema, registry=Registry(retrieve=retrieve))
    cache[model] = found
    return found


def _schema(models: dict[str, Any], name: str) -> Any:
    text = (models.get(name) or {}).get("schema")
    if not text:
        return None
    try:
        schema = json.loads(text)
    except ValueError:
        return None
    return schema if isinstance(schema, (dict, bool)) else None
