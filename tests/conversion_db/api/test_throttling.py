"""Throttling: anonymous and signed-in rates from settings, 429 with Retry-After."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"},
    }


def test_anonymous_clients_get_429_with_retry_after(strict_rates, client_for):
    client = client_for(language="en")
    statuses = [client.get("/api/v1/regions/310115/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/regions/310115/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["code"] == "throttled"
    assert body["message"].startswith("Too many requests. Try again in")


def test_signed_in_users_have_their_own_higher_rate(strict_rates, client_for, sme):
    client = client_for(sme)
    statuses = [client.get("/api/v1/regions/310115/").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
