"""Keyset pagination: bounded page size, stable cursors, no COUNT and no OFFSET."""

import base64
import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conversion_db.api.pagination import KeysetPagination
from patents.models import Region

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions/"


@pytest.mark.parametrize("size", ["0", "101", "-1", "abc", "2.5"])
def test_page_size_out_of_bounds_is_a_400(anonymous, size):
    response = anonymous.get(URL, {"page_size": size})
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "page_size",
        "code": "invalid_page_size",
        "message": "每页条数必须是 1 到 100 之间的整数。",
    }


def test_default_and_maximum_page_sizes(anonymous):
    assert len(anonymous.get(URL).json()["results"]) == 20
    assert len(anonymous.get(URL, {"page_size": 100}).json()["results"]) == 100


def test_walking_next_links_visits_every_row_once_in_order(anonymous):
    expected = list(
        Region.objects.filter(code__startswith="31").order_by("code").values_list("code", flat=True)
    )
    seen: list[str] = []
    url: str | None = URL
    params: dict[str, object] | None = {"under": "31", "page_size": 7}
    while url:
        body = anonymous.get(url, params).json()
        seen += [row["code"] for row in body["results"]]
        url, params = body["next"], None
    assert seen == expected


def test_previous_link_returns_the_page_before(anonymous):
    first = anonymous.get(URL, {"under": "31", "page_size": 5}).json()
    assert first["previous"] is None
    second = anonymous.get(first["next"]).json()
    back = anonymous.get(second["previous"]).json()
    assert [r["code"] for r in back["results"]] == [r["code"] for r in first["results"]]
    assert back["next"] is not None


def test_a_deep_page_costs_one_query_without_offset_or_count(anonymous):
    body = anonymous.get(URL, {"page_size": 100}).json()
    for _ in range(20):
        body = anonymous.get(body["next"]).json()
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get(body["next"])
    assert response.status_code == 200
    assert len(queries) == 1
    sql = queries.captured_queries[0]["sql"].upper()
    assert "OFFSET" not in sql
    assert "COUNT(" not in sql
    assert '("PATENTS_REGION"."CODE") >' in sql.replace(" ", " ")  # a keyset condition


@pytest.mark.parametrize("cursor", ["garbage", "eyJ2IjpbMSwyXX0", "e30"])
def test_a_forged_cursor_is_a_400(anonymous, cursor):
    response = anonymous.get(URL, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


def test_a_cursor_keeps_a_time_to_the_microsecond():
    """Cut to milliseconds (Django's JSON encoder does), a cursor on a time column points
    before its row: ``previous`` then brought back a row of the page it came from."""
    moment = datetime.datetime(2026, 3, 1, 8, 0, 0, 123456, tzinfo=datetime.UTC)
    cursor = KeysetPagination.encode_cursor([moment, 7], reverse=True)
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert datetime.datetime.fromisoformat(payload["v"][0]) == moment
    assert payload == {"v": ["2026-03-01T08:00:00.123456+00:00", 7], "r": True}
