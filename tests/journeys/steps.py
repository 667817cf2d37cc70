"""Steps the journeys share: a person signs up, verifies the address from the mail and
signs in for a token; an inbox is read; requests run with their on-commit work (the mail)
done, as in production. Everything goes through the HTTP API."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from rest_framework.test import APIClient

PASSWORD = "Patent-transfer-2026"
VERIFY_LINK = re.compile(r"https?://\S+/api/v1/auth/verify-email/\S+/")


def sign_up(committed: Any, email: str) -> APIClient:
    """Sign up with ``email``, click the link of the verification mail, sign in for a
    token; returns a client that sends it."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    mail.outbox.clear()
    answer = committed(
        lambda: client.post(
            "/api/v1/auth/signup/", {"email": email, "password": PASSWORD}, format="json"
        )
    )
    assert answer.status_code == 201, answer.json()
    [message] = [m for m in mail.outbox if m.to == [email]]
    link = VERIFY_LINK.search(str(message.body))
    assert link is not None, message.body
    clicked = APIClient().get(link.group(0).replace("http://testserver", ""))
    assert clicked.status_code == 200, clicked.json()
    return signed_in(email, PASSWORD)


def signed_in(username: str, password: str) -> APIClient:
    """A client with a new API token of the account (POST /api/v1/auth/token/)."""
    answer = APIClient().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password, "name": "journey"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def inbox(client: APIClient) -> list[dict[str, Any]]:
    """The kinds and titles of the signed-in user's notifications, unread first."""
    answer = client.get("/api/v1/notifications/", {"page_size": 100})
    assert answer.status_code == 200, answer.json()
    return answer.json()["results"]


def kinds(client: APIClient) -> list[str]:
    return sorted(n["kind"] for n in inbox(client))


def mailed(to: str) -> list[str]:
    """The subjects of the mails sent to ``to`` (since the outbox was last cleared)."""
    return [str(m.subject) for m in mail.outbox if to in m.to]
