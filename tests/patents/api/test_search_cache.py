"""Cached search pages (patents/search_cache.py): a repeated search costs one query, and no
write, by any path, leaves a stale page behind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patents.models import Holder, Patent
from patents.search import cache as search_cache

pytestmark = pytest.mark.django_db

URL = "/api/v1/patents/"


def get(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response, len(queries)


def test_a_repeated_search_is_answered_with_one_query(anonymous, patent_a):
    first, first_queries = get(anonymous, URL, {"q": "锂离子电池", "ipc": "H01M"})
    again, again_queries = get(anonymous, URL, {"ipc": "H01M", "q": "锂离子电池"})
    assert first["X-Search-Cache"] == "miss"
    assert again["X-Search-Cache"] == "hit"
    assert again_queries == 1 < first_queries  # the search generation only
    assert again.json() == first.json()
    assert [row["id"] for row in again.json()["results"]] == [patent_a.pk]


def test_facets_are_cached_per_language(client_for, patent_a):
    english, chinese = client_for(language="en"), client_for(language="zh-hans")
    assert get(english, URL + "facets/", {"q": "电池"})[0]["X-Search-Cache"] == "miss"
    assert get(chinese, URL + "facets/", {"q": "电池"})[0]["X-Search-Cache"] == "miss"
    response, queries = get(english, URL + "facets/", {"q": "电池"})
    assert (response["X-Search-Cache"], queries) == ("hit", 1)
    assert {row["value"]: row["count"] for row in response.json()["patent_type"]} == {
        "invention": 1
    }


def test_an_edit_through_the_api_shows_in_the_next_search(
    client_for, anonymous, university_a, patent_a
):
    assert get(anonymous, URL, {"q": "电池"})[0].json()["results"][0]["title"].startswith("一种锂")
    changed = client_for(university_a).patch(
        f"{URL}{patent_a.pk}/",
        {"title": "一种钠离子电池负极材料"},
        format="json",
        headers={"If-Match": f'"{patent_a.version}"'},
    )
    assert changed.status_code == 200, changed.content
    response, _ = get(anonymous, URL, {"q": "电池"})
    assert response["X-Search-Cache"] == "miss"
    assert [row["title"] for row in response.json()["results"]] == ["一种钠离子电池负极材料"]


def test_writes_that_bypass_the_services_leave_no_stale_page(anonymous, holder_a, patent_a):
    def holders_shown():
        response, _ = get(anonymous, URL, {"ipc": "H01M"})
        return response["X-Search-Cache"], response.json()["results"][0]["holders"][0]["name"]

    assert holders_shown() == ("miss", holder_a.name)
    assert holders_shown() == ("hit", holder_a.name)
    Holder.objects.filter(pk=holder_a.pk).update(name="甲大学（更名）")
    assert holders_shown() == ("miss", "甲大学（更名）")
    with connection.cursor() as cursor:  # an operator's psql, say
        cursor.execute(
            "UPDATE patents_patent SET legal_status = 'lapsed' WHERE id = %s", [patent_a.pk]
        )
    response, _ = get(anonymous, URL, {"ipc": "H01M", "legal_status": "in_force"})
    assert response["X-Search-Cache"] == "miss"
    assert response.json()["results"] == []


def test_a_page_read_before_another_transaction_commits_is_not_served_after_it(anonymous, patent_a):
    """The page read while a write is under way shows the data before it; the commit moves the
    generation again, so that page is not served once the write is visible."""
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = False
        with other.cursor() as cursor:  # a statement that changes no row still counts
            cursor.execute("UPDATE patents_region SET name = name WHERE false")
        during, _ = get(anonymous, URL, {"ipc": "H01M"})
        assert get(anonymous, URL, {"ipc": "H01M"})[0]["X-Search-Cache"] == "hit"
        other.commit()
        after, _ = get(anonymous, URL, {"ipc": "H01M"})
        assert (during["X-Search-Cache"], after["X-Search-Cache"]) == ("miss", "miss")
        with other.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM patents_search_change")
            assert cursor.fetchone()[0] == 0  # the commit cleared its note
    finally:
        other.close()


def test_the_generation_moves_at_each_write_and_at_its_commit_not_at_a_rollback(db):
    def write_elsewhere(finish):
        other = connection.get_new_connection(connection.get_connection_params())
        try:
            other.autocommit = False
            with other.cursor() as cursor:
                for _ in range(2):
                    cursor.execute("UPDATE patents_region SET name = name WHERE false")
            moved_by_statements = search_cache.search_generation() - before
            finish(other)
        finally:
            other.close()
        return moved_by_statements, search_cache.search_generation() - before

    before = search_cache.search_generation()
    assert write_elsewhere(lambda other: other.commit()) == (2, 3)
    before = search_cache.search_generation()
    assert write_elsewhere(lambda other: other.rollback()) == (2, 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM patents_search_change")
        assert cursor.fetchone()[0] == 0  # neither left its note behind


def test_errors_and_number_lookups_are_not_cached(anonymous, patent_a, django_assert_num_queries):
    for _ in range(2):
        response = anonymous.get(URL, {"filed_from": "2019-13-01"})
        assert response.status_code == 400
        assert "X-Search-Cache" not in response
    for _ in range(2):
        with django_assert_num_queries(2):  # the patent by its number; its holders
            response = anonymous.get(URL, {"number": "ZL201910209152.5"})
        assert [row["id"] for row in response.json()["results"]] == [patent_a.pk]
        assert "X-Search-Cache" not in response


def test_the_cache_can_be_turned_off(anonymous, patent_a, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    for _ in range(2):
        response, _ = get(anonymous, URL, {"ipc": "H01M"})
        assert "X-Search-Cache" not in response
    Patent.objects.filter(pk=patent_a.pk).update(title="改")
    assert get(anonymous, URL, {"ipc": "H01M"})[0].json()["results"][0]["title"] == "改"
