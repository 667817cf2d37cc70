"""Under /api/, an unexpected error is a JSON 500 with an id to quote, even with DEBUG on,
and a database that does not answer is a 503 with Retry-After; never an HTML page."""

import logging

import pytest
from django.db import OperationalError

from patents.api import views

pytestmark = pytest.mark.django_db


def fail_with(exception):
    def get_object(self):
        raise exception

    return get_object


def test_an_unexpected_error_is_json_with_an_id_that_the_log_has(
    settings, monkeypatch, anonymous, caplog
):
    settings.DEBUG = True  # Django would answer its HTML debug page, with the request's headers
    monkeypatch.setattr(views.PatentViewSet, "get_object", fail_with(RuntimeError("boom")))

    with caplog.at_level(logging.ERROR, logger="conversion_db.api.errors"):
        response = anonymous.get("/api/v1/patents/1/", HTTP_X_CLIENT_SECRET="secret-token")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "server_error"
    assert body["error_id"] in body["message"]
    assert "secret-token" not in response.content.decode()
    logged = [r for r in caplog.records if body["error_id"] in r.getMessage()]
    assert logged
    assert logged[0].exc_info[1].args == ("boom",)


def test_a_database_that_does_not_answer_is_a_503_with_retry_after(monkeypatch, anonymous):
    monkeypatch.setattr(
        views.PatentViewSet, "get_object", fail_with(OperationalError("connection refused"))
    )

    response = anonymous.get("/api/v1/patents/1/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "database_unavailable"
    assert "try again in 5 seconds" in response.json()["message"]


def test_outside_the_api_django_keeps_its_own_pages(settings, client):
    response = client.get("/admin/no-such-page/")
    assert response.status_code in (302, 404)
    assert not response["Content-Type"].startswith("application/json")
