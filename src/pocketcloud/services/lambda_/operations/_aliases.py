"""Alias documents: https://docs.aws.amazon.com/lambda/latest/api/API_AliasConfiguration.html"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidParameterValueException, ResourceNotFoundException
from ..models import LATEST, FunctionRef, function_arn, is_version, scope, version_key


def alias_key(name: str, alias: str) -> str:
    return f"{name}:{alias}"


def check_version(store: Any, r: FunctionRef, version: str) -> None:
    if version == LATEST:
        return
    if not is_version(version) or store.get(scope(r.account, r.region), "version", version_key(r.name, version)) is None:
        raise ResourceNotFoundException(f"Function not found: {function_arn(r.account, r.region, r.name, version)}")


def check_routing(store: Any, r: FunctionRef, routing: dict[str, Any] | None) -> None:
    for version, weight in ((routing or {}).get("AdditionalVersionWeights") or {}).items():
        check_version(store, r, version)
        if not 0 <= float(weight) <= 1:
            raise InvalidParameterValueException("Invalid weight: must be between 0.0 and 1.0")


def load_alias(store: Any, r: FunctionRef, alias: str) -> dict[str, Any]:
    doc = store.get(scope(r.account, r.region), "alias", alias_key(r.name, alias))
    if doc is None:
        raise ResourceNotFoundException(f"Alias not found: {function_arn(r.account, r.region, r.name, alias)}")
    return doc


def public(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if not k.startswith("_")}
