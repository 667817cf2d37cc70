"""Addresses and steps the notification tests share."""

from __future__ import annotations

from typing import Any

HOLDER_CONTACT = "tto-office@a.example.org"
MEMBER_EMAIL = "tto@a.example.org"
ENTERPRISE_CONTACT = "bd@s.example.com"


def ask(client: Any, patent: Any, message: str = "请问许可条件？") -> dict[str, Any]:
    """An inquiry about ``patent`` through the API (201 expected)."""
    response = client.post(
        "/api/v1/inquiries/", {"patent": patent.pk, "message": message}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()
