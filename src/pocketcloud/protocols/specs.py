"""botocore's service models: the JSON specs of every AWS API, loaded once per service and cached."""

from __future__ import annotations

import functools

from botocore.loaders import create_loader
from botocore.model import OperationModel, ServiceModel

_loader = create_loader()


@functools.cache
def service_model(name: str) -> ServiceModel:
    """The botocore ServiceModel for a service ("dynamodb", "lambda", ...)."""
    return ServiceModel(_loader.load_service_model(name, "service-2"), service_name=name)


@functools.cache
def operation_model(service: str, operation: str) -> OperationModel:
    return service_model(service).operation_model(operation)
