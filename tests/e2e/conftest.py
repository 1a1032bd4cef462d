"""Fixtures for the end-to-end tests (helpers are in e2e_support.py)."""

from __future__ import annotations

import pytest

from e2e_support import script_env_for


@pytest.fixture(scope="session")
def script_env(aws_env: dict[str, str]) -> dict[str, str]:
    """The environment the examples' scripts run in: pointed at the session server, `aws` on PATH."""
    return script_env_for(aws_env)
