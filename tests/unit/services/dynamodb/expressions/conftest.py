from __future__ import annotations

import pytest

from pocketcloud.services.dynamodb.errors import ValidationException
from pocketcloud.services.dynamodb.expressions import ExpressionContext


def _error_of(fn, *args, **kwargs) -> str:
    with pytest.raises(ValidationException) as info:
        fn(*args, **kwargs)
    return info.value.message


@pytest.fixture
def error_of():
    """Calls fn and returns the message of the ValidationException it must raise."""
    return _error_of


@pytest.fixture
def ctx():
    """A context with a few common placeholders: #n -> name, #s -> status, :s, :n, :one, :list, :ss, :ns."""
    return ExpressionContext(
        {"#n": "name", "#s": "status", "#a": "a"},
        {
            ":s": {"S": "abc"},
            ":n": {"N": "5"},
            ":one": {"N": "1"},
            ":list": {"L": [{"S": "x"}]},
            ":ss": {"SS": ["a", "b"]},
            ":ns": {"NS": ["1", "2"]},
            ":t": {"BOOL": True},
        },
    )
