"""Lambda's state: function documents in the ResourceStore, their code on disk, and name/ARN resolution.

Documents (Scope("lambda", account, region)):
- kind "function", key <name>: {"config": FunctionConfiguration of $LATEST, "code_dir", "zip_path", "policy",
  "concurrency", "tags", "last_version"}
- kind "version", key "<name>:<n as 10 digits>": {"config": FunctionConfiguration of version n, "code_dir"}
- kind "alias", key "<name>:<alias>": AliasConfiguration (+ "RoutingConfig")
Follows https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pocketcloud.storage.base import Scope

from .errors import FunctionNotFound, InvalidParameterValueException, ResourceNotFoundException

LATEST = "$LATEST"
_ARN = re.compile(
    r"^(?:arn:(?P<partition>aws[a-zA-Z-]*):lambda:(?P<region>[a-z]{2}(?:-gov)?-[a-z]+-\d{1}):)?"
    r"(?:(?P<account>\d{12}):)?(?:function:)?(?P<name>[a-zA-Z0-9-_\.]+)(?::(?P<qualifier>\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$"
)


def now_modified() -> str:
    """LastModified as Lambda writes it: 2026-11-21T11:00:00.000+0000."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}+0000"


def new_revision() -> str:
    return str(uuid.uuid4())


def scope(account: str, region: str) -> Scope:
    return Scope("lambda", account, region)


def function_arn(account: str, region: str, name: str, qualifier: str | None = None) -> str:
    arn = f"arn:aws:lambda:{region}:{account}:function:{name}"
    return f"{arn}:{qualifier}" if qualifier else arn


def version_key(name: str, version: str) -> str:
    return f"{name}:{int(version):010d}"


def is_version(qualifier: str) -> bool:
    """Whether `qualifier` is written as Lambda writes version numbers: "1", "12" — not "01" (which is no
    version; read as 1 it would let DeleteFunction remove a version an alias still points to)."""
    return qualifier.isascii() and qualifier.isdigit() and (qualifier == "0" or not qualifier.startswith("0"))


@dataclass(frozen=True)
class FunctionRef:
    """A FunctionName parameter taken apart: name, the qualifier it carried, and the account/region of an ARN."""

    name: str
    qualifier: str | None
    account: str
    region: str


def parse_function_name(value: str, account: str, region: str, qualifier: str | None = None) -> FunctionRef:
    m = _ARN.match(value)
    if m is None:
        raise InvalidParameterValueException(
            f"1 validation error detected: Value '{value}' at 'functionName' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?"
            "(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"
        )
    derived = m.group("qualifier")
    if derived and qualifier and derived != qualifier:
        raise InvalidParameterValueException("The derived qualifier from the function name does not match the specified qualifier.")
    return FunctionRef(m.group("name"), derived or qualifier, m.group("account") or account, m.group("region") or region)


def code_sha256(zip_bytes: bytes) -> str:
    return base64.b64encode(hashlib.sha256(zip_bytes).digest()).decode()


def code_root(files_dir: Path, account: str, region: str, name: str) -> Path:
    return files_dir / "lambda" / account / region / name


def load_function(store: Any, ref: FunctionRef) -> dict[str, Any]:
    doc = store.get(scope(ref.account, ref.region), "function", ref.name)
    if doc is None:
        raise FunctionNotFound(f"Function not found: {function_arn(ref.account, ref.region, ref.name)}")
    return doc


@dataclass(frozen=True)
class Resolved:
    """One function version an invoke or a Get* call lands on."""

    function: dict[str, Any]  # the function document
    config: dict[str, Any]  # FunctionConfiguration of the version
    code_dir: str
    version: str  # "$LATEST" or "3"
    invoked_arn: str


def resolve(store: Any, ref: FunctionRef, *, pick_weighted: bool = False) -> Resolved:
    """The version a (name, qualifier) names: $LATEST, a published version, or the version an alias points to."""
    doc = load_function(store, ref)
    sc = scope(ref.account, ref.region)
    qualifier = ref.qualifier
    base_arn = function_arn(ref.account, ref.region, ref.name)
    if qualifier is None or qualifier == LATEST:
        return Resolved(doc, doc["config"], doc["code_dir"], LATEST, f"{base_arn}:{qualifier}" if qualifier else base_arn)
    target = qualifier
    if not is_version(qualifier):
        alias = store.get(sc, "alias", f"{ref.name}:{qualifier}")
        if alias is None:
            raise FunctionNotFound(f"Function not found: {base_arn}:{qualifier}")
        target = alias["FunctionVersion"]
        weights = (alias.get("RoutingConfig") or {}).get("AdditionalVersionWeights") or {}
        if pick_weighted and weights:
            import random

            roll = random.random()
            for version, weight in weights.items():
                roll -= float(weight)
                if roll < 0:
                    target = version
                    break
        if target == LATEST:
            return Resolved(doc, doc["config"], doc["code_dir"], LATEST, f"{base_arn}:{qualifier}")
    version = store.get(sc, "version", version_key(ref.name, target)) if is_version(target) else None
    if version is None:
        raise FunctionNotFound(f"Function not found: {base_arn}:{qualifier}")
    return Resolved(doc, version["config"], version["code_dir"], target, f"{base_arn}:{qualifier}")


def require_version_or_alias(store: Any, ref: FunctionRef) -> None:
    """Raise ResourceNotFoundException unless the qualifier names something that exists."""
    if ref.qualifier and ref.qualifier != LATEST:
        resolve(store, ref)


def empty_policy() -> dict[str, Any]:
    return {"Version": "2012-10-17", "Id": "default", "Statement": []}


def not_found(message: str) -> ResourceNotFoundException:
    return ResourceNotFoundException(message)
