"""Fixtures of the journeys."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """``committed(call)``: run a request with its on-commit work (the e-mail) done, as
    once its transaction commits in production (a test's transaction never does)."""

    def run(call: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run
