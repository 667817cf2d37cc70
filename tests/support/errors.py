"""How tests read errors: the API's one error shape, and a service's ValidationError."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

ERROR_KEYS = {"status", "code", "message", "errors"}
ENTRY_KEYS = {"field", "code", "message"}


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    """The one error shape of ``conversion_db.api.errors``, with ``status``; returns the
    body: ``status``, ``code``, ``message`` and at least one entry of ``errors``, each a
    ``field``, ``code`` and ``message``."""
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert body["status"] == status
    assert body["code"]
    assert body["message"]
    assert body["errors"], body
    assert all(set(entry) == ENTRY_KEYS for entry in body["errors"]), body
    return body


def error_codes(error: ValidationError) -> set[str | None]:
    """The codes of a service's field errors."""
    return {e.code for errors in error.error_dict.values() for e in errors}
