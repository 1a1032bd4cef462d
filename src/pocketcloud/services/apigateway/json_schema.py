"""JSON Schema draft 4 as API Gateway's models use it, over the jsonschema library (imported on first use: ~40 ms).

AWS validates models with a Java library, whose regular expressions are Java's: `\\p{L}` and other constructs
Python's `re` lacks are valid there. So a schema's `pattern`/`patternProperties` are not checked as Python
regular expressions when a model is made, and a pattern Python cannot compile constrains nothing when a body is
validated (logged once per pattern), rather than refusing models and requests AWS accepts.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

log = logging.getLogger("pocketcloud.services.apigateway")


def is_valid_schema(document: Any) -> bool:
    """Whether `document` is a draft-4 schema (its metaschema's rules, without checking `format`s such as regex)."""
    from jsonschema import Draft4Validator

    return Draft4Validator(Draft4Validator.META_SCHEMA).is_valid(document)


@lru_cache(maxsize=1)
def validator_class() -> Any:
    """Draft4Validator with `pattern` and `patternProperties` that skip what Python's `re` cannot compile."""
    from jsonschema import Draft4Validator, ValidationError, validators

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
        compiled = _compiled(patrn)
        if compiled is not None and validator.is_type(instance, "string") and not compiled.search(instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    def pattern_properties(validator: Any, patterns: dict[str, Any], instance: Any, schema: Any) -> Any:
        if not validator.is_type(instance, "object"):
            return
        for patrn, subschema in patterns.items():
            compiled = _compiled(patrn)
            if compiled is None:
                continue
            for key, value in instance.items():
                if compiled.search(key):
                    yield from validator.descend(value, subschema, path=key, schema_path=patrn)

    return validators.extend(Draft4Validator, {"pattern": pattern, "patternProperties": pattern_properties})


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except (re.error, TypeError):
        log.warning("model pattern %r is not a Python regular expression: not checked", pattern)
        return None
