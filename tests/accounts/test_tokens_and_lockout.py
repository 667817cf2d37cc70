"""API tokens (hashed, named, expiring, listed and revoked by their owner) and brute force
(wrong passwords lock the account and the address out, on the token and sign-in endpoints and
the admin's login; the credential endpoints are throttled)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.support.tokens import issue_token

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def with_token(key: str, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_only_a_hash_of_the_key_is_stored_and_the_key_is_shown_once(sme, client_for):
    signed = client_for(sme, "en")
    made = signed.post(
        "/api/v1/auth/tokens/", {"name": "nightly import", "expires_in_days": 30}, format="json"
    )
    assert made.status_code == 201
    key = made.json()["token"]
    stored = ApiToken.objects.get(user=sme)
    assert key not in (stored.digest, stored.token_key)
    assert stored.token_key == key[:15] == made.json()["prefix"]
    assert stored.name == "nightly import"
    assert (
        datetime.timedelta(days=29, hours=23)
        < stored.expiry - timezone.now()
        <= datetime.timedelta(days=30)
    )
    listed = signed.get("/api/v1/auth/tokens/").json()["results"]
    assert listed == [
        {
            "prefix": key[:15],
            "name": "nightly import",
            "created": listed[0]["created"],
            "expiry": listed[0]["expiry"],
            "last_used_at": None,
        }
    ]
    assert key not in str(listed)


def test_a_token_authenticates_notes_its_last_use_and_stops_when_revoked(sme):
    key = issue_token(sme, "cli")
    client = with_token(key)
    assert client.get("/api/v1/auth/me/").status_code == 200
    assert ApiToken.objects.get(user=sme).last_used_at is not None

    other = issue_token(sme, "other")
    assert with_token(other).delete(f"/api/v1/auth/tokens/{key[:15]}/").status_code == 204
    assert client.get("/api/v1/auth/me/").status_code == 401
    assert [t.name for t in ApiToken.objects.filter(user=sme)] == ["other"]


def test_nobody_revokes_or_sees_another_users_token(sme, sme_other):
    key = issue_token(sme)
    others = with_token(issue_token(sme_other))
    assert others.delete(f"/api/v1/auth/tokens/{key[:15]}/").status_code == 404
    assert [t["name"] for t in others.get("/api/v1/auth/tokens/").json()["results"]] == ["test"]
    assert with_token(key).get("/api/v1/auth/me/").status_code == 200


def test_an_expired_token_is_refused(sme):
    key = issue_token(sme)
    ApiToken.objects.filter(user=sme).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    answer = with_token(key).get("/api/v1/auth/me/")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": ""}, "name", "blank"),
        ({"name": "x", "expires_in_days": 0}, "expires_in_days", "min_value"),
        ({"name": "x", "expires_in_days": 9999}, "expires_in_days", "invalid_expiry"),
    ],
)
def test_a_bad_token_request_is_a_field_error_and_makes_nothing(client_for, sme, body, field, code):
    answer = client_for(sme, "en").post("/api/v1/auth/tokens/", body, format="json")
    assert answer.status_code == 400
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [(field, code)]
    assert not ApiToken.objects.filter(user=sme).exists()


def test_the_token_list_reads_in_two_queries_whatever_the_page_size(sme):
    for index in range(5):
        issue_token(sme, f"t{index}")
    client = with_token(issue_token(sme, "reader"))
    client.get("/api/v1/auth/tokens/")  # warm up (the reader's last use is noted once)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/api/v1/auth/tokens/", {"page_size": 3})
    assert page.status_code == 200
    assert len(page.json()["results"]) == 3
    # 1. the token that signs the request, with its user; 2. the user's other tokens (knox
    # deletes expired ones); 3. the page of tokens.
    assert len(queries) == 3, [q["sql"] for q in queries]


def test_wrong_passwords_lock_the_account_out_whatever_the_identifier(settings, sme):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for identifier in ("sme_member", "sme_member@example.org", "SME_MEMBER@example.org"):
        wrong = client.post(
            "/api/v1/auth/token/", {"username": identifier, "password": "nope"}, format="json"
        )
        assert wrong.status_code in (400, 429)
    locked = client.post(
        "/api/v1/auth/token/", {"username": "sme_member", "password": PASSWORD}, format="json"
    )
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out"
    assert "Try again in 15 minutes" in body["message"]
    assert locked["Retry-After"] == "900"
    assert not ApiToken.objects.filter(user=sme).exists()
    # The session sign-in is locked too, and says so in Chinese by default.
    zh = APIClient().post(
        "/api/v1/auth/login/", {"username": "sme_member", "password": PASSWORD}, format="json"
    )
    assert zh.status_code == 429
    assert "登录失败次数过多" in zh.json()["message"]


def test_wrong_passwords_from_one_address_lock_it_out_for_every_account(settings, sme, sme_other):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="203.0.113.9")
    for name in ("someone", "someone_else", "a_third"):
        client.post("/api/v1/auth/token/", {"username": name, "password": "x"}, format="json")
    blocked = client.post(
        "/api/v1/auth/token/", {"username": "sme_other", "password": PASSWORD}, format="json"
    )
    assert blocked.status_code == 429
    elsewhere = APIClient(REMOTE_ADDR="198.51.100.7").post(
        "/api/v1/auth/token/", {"username": "sme_other", "password": PASSWORD}, format="json"
    )
    assert elsewhere.status_code == 200


def test_the_admin_login_is_locked_out_too(settings, client, operator):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post("/admin/login/", {"username": "operator", "password": "nope"})
    answer = client.post("/admin/login/", {"username": "operator", "password": PASSWORD})
    assert answer.status_code == 429
    assert "/admin/" not in answer.get("Location", "")


def test_the_token_endpoint_is_throttled_per_address(settings, sme):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "2/min",
        },
    }
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    answers = [
        client.post(
            "/api/v1/auth/token/", {"username": "sme_member", "password": PASSWORD}, format="json"
        )
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1].json()["code"] == "throttled"
    assert "Retry-After" in answers[-1]
