"""API tokens for tests, issued the way the product issues them (hashed, with an expiry)."""

from __future__ import annotations

from typing import Any

from accounts.services.tokens import token_create


def issue_token(user: Any, name: str = "test") -> str:
    """A new API token of ``user``: the key to send as ``Authorization: Token <key>``."""
    _token, key = token_create(actor=user, name=name)
    return key
