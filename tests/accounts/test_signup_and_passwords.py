"""Sign-up (password rules, taken addresses), verification, sign-in before and after it,
password reset by the mailed link, password change, sign-out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "Patent-transfer-2026"
SIGNUP = "/api/v1/auth/signup/"


def client(language: str = "en") -> APIClient:
    return APIClient(HTTP_ACCEPT_LANGUAGE=language)


def verification_key(message: Any) -> str:
    found = re.search(r"/api/v1/auth/verify-email/([^/\s]+)/", str(message.body))
    assert found is not None, message.body
    return found.group(1)


@pytest.mark.parametrize(
    ("language", "password", "code", "text"),
    [
        ("en", "short", "password_too_short", "at least 8 characters"),
        ("zh-hans", "short", "password_too_short", "至少"),
        ("en", "12345678901", "password_entirely_numeric", "entirely numeric"),
        ("en", "password123", "password_too_common", "too common"),
    ],
)
def test_a_weak_password_is_a_field_error_in_the_request_language_and_writes_nothing(
    language, password, code, text
):
    answer = client(language).post(
        SIGNUP, {"email": "weak@example.org", "password": password}, format="json"
    )
    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert {e["field"] for e in errors} == {"password"}
    assert code in {e["code"] for e in errors}
    assert any(text in e["message"] for e in errors)
    assert not get_user_model().objects.filter(email="weak@example.org").exists()
    assert mail.outbox == []


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_mail(committed):
    first = committed(
        lambda: client().post(
            SIGNUP, {"email": "dup@example.org", "password": PASSWORD}, format="json"
        )
    )
    mail.outbox.clear()
    again = committed(
        lambda: client().post(
            SIGNUP, {"email": "DUP@example.org", "password": PASSWORD + "x"}, format="json"
        )
    )
    assert again.status_code == first.status_code == 201
    assert again.json()["detail"].startswith("We sent a verification link")
    assert get_user_model().objects.filter(email__iexact="dup@example.org").count() == 1
    [message] = mail.outbox
    assert "already has an account" in message.body
    assert "该邮箱已有账户" in message.body  # Chinese first, then English


def test_an_unverified_account_cannot_sign_in_until_the_link_is_followed(committed):
    committed(
        lambda: client().post(
            SIGNUP, {"email": "new@example.org", "password": PASSWORD}, format="json"
        )
    )
    key = verification_key(mail.outbox[-1])
    credentials = {"username": "new@example.org", "password": PASSWORD}

    refused = client().post("/api/v1/auth/token/", credentials, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "email_not_verified"
    assert "/api/v1/auth/verify-email/resend/" in refused.json()["errors"][0]["message"]

    bad = client().post("/api/v1/auth/verify-email/", {"key": "nonsense"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0] == {
        "field": "key",
        "code": "invalid_key",
        "message": bad.json()["errors"][0]["message"],
    }

    verified = client().post("/api/v1/auth/verify-email/", {"key": key}, format="json")
    assert verified.status_code == 200
    assert EmailAddress.objects.get(email="new@example.org").verified
    assert client().post("/api/v1/auth/token/", credentials, format="json").status_code == 200


def test_resend_sends_a_new_link_only_to_an_unverified_address_and_answers_the_same(committed):
    committed(
        lambda: client().post(
            SIGNUP, {"email": "again@example.org", "password": PASSWORD}, format="json"
        )
    )
    mail.outbox.clear()
    resent = client().post(
        "/api/v1/auth/verify-email/resend/", {"email": "again@example.org"}, format="json"
    )
    unknown = client().post(
        "/api/v1/auth/verify-email/resend/", {"email": "nobody@example.org"}, format="json"
    )
    assert resent.status_code == unknown.status_code == 200
    assert resent.json() == unknown.json()
    assert [m.to for m in mail.outbox] == [["again@example.org"]]
    assert (
        client()
        .get(f"/api/v1/auth/verify-email/{verification_key(mail.outbox[0])}/")
        .json()["verified"]
    )


def test_a_forgotten_password_is_reset_through_the_mailed_link(sme):
    mail.outbox.clear()
    asked = client().post(
        "/api/v1/auth/password/reset/", {"email": "sme_member@example.org"}, format="json"
    )
    assert asked.status_code == 200
    [message] = mail.outbox
    link = re.search(r"/api/v1/auth/password/reset/confirm/([^/\s]+)/([^/\s]+)/", str(message.body))
    assert link is not None, message.body
    opened = client().get(link.group(0))
    assert opened.status_code == 200
    uid, token = opened.json()["uid"], opened.json()["token"]

    mismatch = client().post(
        "/api/v1/auth/password/reset/confirm/",
        {"uid": uid, "token": token, "new_password1": "Brand-new-2026!", "new_password2": "nope"},
        format="json",
    )
    assert mismatch.status_code == 400
    assert {e["field"] for e in mismatch.json()["errors"]} == {"new_password2"}

    done = client().post(
        "/api/v1/auth/password/reset/confirm/",
        {
            "uid": uid,
            "token": token,
            "new_password1": "Brand-new-2026!",
            "new_password2": "Brand-new-2026!",
        },
        format="json",
    )
    assert done.status_code == 200, done.json()
    sme.refresh_from_db()
    assert sme.check_password("Brand-new-2026!")
    # The link works once.
    assert client().get(link.group(0)).status_code == 400


def test_a_password_is_changed_with_the_current_one(client_for, sme):
    signed = client_for(sme, "en")
    wrong = signed.post(
        "/api/v1/auth/password/change/",
        {
            "old_password": "nope",
            "new_password1": "Brand-new-2026!",
            "new_password2": "Brand-new-2026!",
        },
        format="json",
    )
    assert wrong.status_code == 400
    assert {e["field"] for e in wrong.json()["errors"]} == {"old_password"}
    changed = signed.post(
        "/api/v1/auth/password/change/",
        {
            "old_password": "correct horse battery staple",
            "new_password1": "Brand-new-2026!",
            "new_password2": "Brand-new-2026!",
        },
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    sme.refresh_from_db()
    assert sme.check_password("Brand-new-2026!")


def test_signing_out_a_token_client_revokes_its_token(sme):
    issued = client().post(
        "/api/v1/auth/token/",
        {"username": "sme_member", "password": "correct horse battery staple"},
        format="json",
    )
    signed = client()
    signed.credentials(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    assert signed.get("/api/v1/auth/me/").status_code == 200
    assert signed.post("/api/v1/auth/logout/", format="json").status_code == 200
    assert signed.get("/api/v1/auth/me/").status_code == 401


def test_a_session_sign_in_sets_a_cookie_that_authenticates(sme):
    browser = client()
    answer = browser.post(
        "/api/v1/auth/login/",
        {"username": "sme_member@example.org", "password": "correct horse battery staple"},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["enterprises"][0]["role"] == "admin"
    assert "sessionid" in answer.cookies
    assert browser.get("/api/v1/auth/me/").json()["username"] == "sme_member"
