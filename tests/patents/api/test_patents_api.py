"""GET /api/v1/patents/: search, filters, detail and facets over patents written by the services."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patents.register import bulk, services
from tests.factories import HolderFactory, PatentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/patents/"


@pytest.fixture
def catalogue(operator):
    fudan = HolderFactory.create(actor=operator, name="复旦大学", region="310110")
    company = HolderFactory.create(actor=operator, name="深圳某电池有限公司", region="440305")

    def make(holders, applicants=(), **values):
        return PatentFactory.create(
            actor=operator, holders=holders, applicants=applicants, bare=True, **values
        )

    return {
        "battery": make(
            [company],
            applicants=[fudan],
            application_number="201910209152.5",
            publication_number="CN109918572A",
            grant_number="CN109918572B",
            title="一种锂离子电池正极材料及其制备方法",
            abstract="正极材料具有高容量。",
            ipc_codes=["H01M 10/0525"],
            filing_date=datetime.date(2019, 3, 21),
            grant_date=datetime.date(2021, 6, 1),
            legal_status="in_force",
            has_foreign_grant=True,
        ),
        "abstract_only": make(
            [fudan],
            application_number="201610920041.1",
            title="一种储能装置",
            abstract="该装置包括锂离子电池组和控制电路。",
            ipc_codes=["H02J 7/00"],
            filing_date=datetime.date(2016, 10, 21),
            legal_status="pending",
        ),
        "utility": make(
            [fudan],
            application_number="201620289943.5",
            title="一种图像识别摄像头支架",
            title_en="Camera mount for image recognition",
            ipc_codes=["G06V 10/00", "F16M 11/04"],
            filing_date=datetime.date(2016, 4, 8),
            grant_date=datetime.date(2016, 9, 14),
            legal_status="in_force",
        ),
    }


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_default_order_is_newest_filed_first(anonymous, catalogue):
    response = anonymous.get(URL)
    assert response.status_code == 200
    assert ids(response) == [
        catalogue["battery"].pk,
        catalogue["abstract_only"].pk,
        catalogue["utility"].pk,
    ]


def test_text_search_ranks_title_matches_first(anonymous, catalogue):
    response = anonymous.get(URL, {"q": "锂离子电池"})
    assert ids(response) == [catalogue["battery"].pk, catalogue["abstract_only"].pk]
    first, second = response.json()["results"]
    assert first["rank"] > second["rank"]


def test_text_search_in_english_and_by_holder_name(anonymous, catalogue):
    assert ids(anonymous.get(URL, {"q": "recognition"})) == [catalogue["utility"].pk]
    assert set(ids(anonymous.get(URL, {"q": "复旦"}))) == {p.pk for p in catalogue.values()}


def test_boilerplate_only_query_is_a_400(anonymous, catalogue):
    response = anonymous.get(URL, {"q": "本发明 一种"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "q"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ipc": "H01M"}, ["battery"]),
        ({"ipc": "H"}, ["battery", "abstract_only"]),
        ({"ipc": ["H01M", "G06V"]}, ["battery", "utility"]),
        ({"ipc": "h01m10/05"}, ["battery"]),
        ({"patent_type": "utility_model"}, ["utility"]),
        ({"legal_status": ["in_force"]}, ["battery", "utility"]),
        ({"region": "31"}, ["abstract_only", "utility"]),
        ({"region": "440305"}, ["battery"]),
        ({"region": "310100"}, ["abstract_only", "utility"]),
        ({"region": "310110"}, ["abstract_only", "utility"]),  # a district: equality
        ({"region": "310115"}, []),
        ({"holder_kind": "university"}, ["abstract_only", "utility"]),
        ({"filed_from": "2017-01-01"}, ["battery"]),
        ({"granted_to": "2020-01-01"}, ["utility"]),
        ({"high_value": "true"}, ["battery"]),
        ({"number": "ZL 201910209152.5"}, ["battery"]),
        ({"number": "201910209152"}, ["battery"]),
        ({"number": "CN 109918572 B"}, ["battery"]),
        ({"number": "cn109918572a"}, ["battery"]),
    ],
)
def test_filters(anonymous, catalogue, params, expected):
    response = anonymous.get(URL, params)
    assert response.status_code == 200, response.json()
    assert set(ids(response)) == {catalogue[name].pk for name in expected}


def test_holder_filter_covers_current_and_original_holders(anonymous, catalogue):
    fudan_id = catalogue["utility"].holdings.get().holder_id
    assert set(ids(anonymous.get(URL, {"holder": fudan_id}))) == {p.pk for p in catalogue.values()}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ipc": "H1M"}, "ipc"),
        ({"number": "201910209152.4"}, "number"),
        ({"patent_type": "gadget"}, "patent_type"),
        ({"filed_from": "yesterday"}, "filed_from"),
        ({"high_value": "maybe"}, "high_value"),
        ({"region": "shanghai"}, "region"),
        ({"region": "999999"}, "region"),
        ({"ordering": "relevance"}, "ordering"),
        ({"ordering": "title"}, "ordering"),
        ({"holder": "x"}, "holder"),
    ],
)
def test_invalid_parameters_are_a_400_naming_them(client_for, catalogue, params, field):
    response = client_for(language="en").get(URL, params)
    assert response.status_code == 400
    assert [entry["field"] for entry in response.json()["errors"]] == [field]


def test_a_region_code_of_no_region_is_explained_in_both_languages(client_for, catalogue):
    for path in (URL, URL + "facets/", "/api/v1/offers/"):
        english = client_for(language="en").get(path, {"region": "990000"})
        assert english.status_code == 400
        assert english.json()["errors"][0] == {
            "field": "region",
            "code": "unknown_region",
            "message": "No region has the code “990000”.",
        }
    chinese = client_for(language="zh-hans").get(URL, {"region": "99"}).json()["errors"][0]
    assert "990000" in chinese["message"]
    assert "行政区划" in chinese["message"]
    # a historical code is a region: 闸北区 (310108), merged into 静安区 in 2015
    assert client_for().get(URL, {"region": "310108"}).status_code == 200


def test_a_number_lookup_reads_the_row_and_its_holders_only(
    anonymous, catalogue, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the patent by its unique number; its holders
        response = anonymous.get(URL, {"number": "ZL 201910209152.5"})
    assert ids(response) == [catalogue["battery"].pk]


def test_a_wrong_check_character_is_explained_in_both_languages(client_for, catalogue):
    english = client_for(language="en").get(URL, {"number": "201910209152.4"}).json()["errors"][0]
    assert "it is 5" in english["message"]
    chinese = (
        client_for(language="zh-hans").get(URL, {"number": "201910209152.4"}).json()["errors"][0]
    )
    assert "应为 5" in chinese["message"]


def test_list_query_count_does_not_grow_with_the_page(anonymous, catalogue):
    counts = []
    for size in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            assert anonymous.get(URL, {"page_size": size}).status_code == 200
        counts.append(len(queries))
        assert not any(
            "COUNT(" in q["sql"].upper() or " OFFSET " in q["sql"].upper()
            for q in queries.captured_queries
        )
    # the search generation (patents/search_cache.py); the page's ids (from the covering
    # index); its rows; their holders
    assert counts == [4, 4]


def test_ordering_options(anonymous, catalogue):
    by_grant = ids(anonymous.get(URL, {"ordering": "-grant_date"}))
    assert by_grant == [
        catalogue["battery"].pk,
        catalogue["utility"].pk,
        catalogue["abstract_only"].pk,
    ]
    by_expiry = ids(anonymous.get(URL, {"ordering": "expiry_date"}))
    assert by_expiry[0] == catalogue["utility"].pk  # utility model, 10 years from 2016


def test_detail_shows_holders_ipc_titles_and_high_value_reasons(
    client_for, catalogue, django_assert_max_num_queries
):
    client = client_for(language="en")
    with django_assert_max_num_queries(5):  # patent + region; holdings with holders; IPC titles;
        # its newest legal-status events
        body = client.get(f"{URL}{catalogue['battery'].pk}/").json()
    assert [h["name"] for h in body["holders"]] == ["深圳某电池有限公司"]
    assert [h["name"] for h in body["original_holders"]] == ["复旦大学"]
    assert body["ipc"][0]["symbol"] == "H01M 10/0525"
    assert "锂离子电池" in body["ipc"][0]["title_zh"]
    assert body["expiry_date"] == "2039-03-21"
    assert body["high_value"]["categories"] == ["foreign_family_grant"]
    assert "granted outside China" in body["high_value"]["reasons"][0]["reason"]


def test_detail_of_a_missing_or_deleted_patent_is_a_404(anonymous, operator, catalogue):
    assert anonymous.get(f"{URL}999999/").status_code == 404
    patent = catalogue["utility"]
    services.patent_delete(actor=operator, patent=patent, expected_version=patent.version)
    assert anonymous.get(f"{URL}{patent.pk}/").status_code == 404
    assert patent.pk not in ids(anonymous.get(URL))


def test_facets_are_exact_below_the_limit_and_marked_approximate_above(
    anonymous, catalogue, settings
):
    """Without the search engine, PostgreSQL counts, and samples above the limit."""
    settings.SEARCH_ENGINE = False
    body = anonymous.get(URL + "facets/").json()
    assert body["approximate"] is False
    assert sum(row["count"] for row in body["patent_type"]) == 3
    settings.FACET_EXACT_LIMIT = 0
    caches["search"].clear()  # a changed setting means a restart, with an empty cache
    assert anonymous.get(URL + "facets/").json()["approximate"] is True


def test_relevance_ranks_the_newest_matches_of_a_very_common_query(anonymous, catalogue, settings):
    """Without the search engine, relevance ranks a window of the newest matches."""
    settings.SEARCH_ENGINE = False
    settings.SEARCH_RANK_WINDOW = 1
    ranked = ids(anonymous.get(URL, {"q": "锂离子电池"}))
    assert ranked == [catalogue["abstract_only"].pk]  # the more recently registered match
    by_date = ids(anonymous.get(URL, {"q": "锂离子电池", "ordering": "-filing_date"}))
    assert by_date == [catalogue["battery"].pk, catalogue["abstract_only"].pk]


def test_facets_follow_the_filters(anonymous, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        body = anonymous.get(URL + "facets/", {"region": "31"}).json()
    assert {row["value"]: row["count"] for row in body["patent_type"]} == {
        "invention": 1,
        "utility_model": 1,
    }
    assert {row["value"]: row["count"] for row in body["ipc_section"]} == {"H": 1, "G": 1, "F": 1}
    assert {row["value"]: row["count"] for row in body["filing_year"]} == {2016: 2}
    assert {row["value"]: row["count"] for row in body["region"]} == {"310110": 2}


def test_relevance_pages_visit_every_match_once_even_with_equal_ranks(anonymous, operator):
    rows = [
        bulk.BulkPatent(values={"publication_number": f"CN11000000{n}A", "title": "一种电池壳体"})
        for n in range(7)
    ]
    created = {p.pk for p in bulk.patents_bulk_create(actor=operator, rows=rows)}
    seen: list[int] = []
    url: str | None = URL
    params: dict[str, object] | None = {"q": "电池壳体", "page_size": 2}
    while url:
        body = anonymous.get(url, params).json()
        seen += [row["id"] for row in body["results"]]
        url, params = body["next"], None
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == created


def test_list_rows_match_what_the_declared_fields_would_render(anonymous, catalogue):
    """The list builds rows directly for speed; they must equal the declared serializer's."""
    from rest_framework import serializers as drf

    from patents.api.serializers import HolderBriefSerializer, PatentListSerializer
    from patents.models import Holding
    from patents.register.selectors import patent_list_for_api
    from patents.search.ranking import patent_text_search

    Holding.objects.filter(patent=catalogue["battery"], role="current").update(
        share="62.5", since=datetime.date(2022, 1, 4)
    )
    rows = anonymous.get(URL, {"q": "锂离子电池"}).json()["results"]
    patents = {p.pk: p for p in patent_text_search(patent_list_for_api(), "锂离子电池")}
    for row in rows:
        patent = patents[row["id"]]
        expected = drf.ModelSerializer.to_representation(PatentListSerializer(), patent)
        holdings = getattr(patent, "current_holdings")  # noqa: B009 - set by the prefetch
        expected["holders"] = HolderBriefSerializer(holdings, many=True).data
        assert isinstance(row["rank"], float)
        assert row["rank"] > 0
        expected["rank"] = row["rank"]
        assert row == expected
    assert rows[0]["holders"][0]["share"] == "62.50"
    assert rows[0]["holders"][0]["since"] == "2022-01-04"


@pytest.fixture
def ranged_search(settings, monkeypatch):
    """The newest-id-range plan of ranking.newest_matches at a test's scale: a window
    of 2 and no minimum table size."""
    from conversion_db import estimates
    from patents.search import ranking

    settings.SEARCH_ENGINE = False  # PostgreSQL's window, as without the search engine
    settings.SEARCH_RANK_WINDOW = 2
    monkeypatch.setattr(ranking, "RANGE_MIN_ROWS", 0)
    estimates.clear_table_rows()
    yield
    estimates.clear_table_rows()


def _bulk_titles(operator, titles):
    rows = [
        bulk.BulkPatent(values={"publication_number": f"CN1200{n:05d}A", "title": title})
        for n, title in enumerate(titles)
    ]
    created = bulk.patents_bulk_create(actor=operator, rows=rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE patents_patent")  # the planner's estimate sizes the range
    return [patent.pk for patent in created]


@pytest.mark.parametrize(("word", "approximate"), [("模具", False), ("阀门", True)])
def test_facets_above_the_limit_are_counted_exactly_when_that_reads_less_than_a_sample(
    anonymous, operator, ranged_search, settings, word, approximate
):
    """A sample reads a share of the whole table: for matches that are a small share of
    it (6 of 300), reading them is cheaper and the counts are exact; a word in most
    patents is sampled."""
    settings.FACET_EXACT_LIMIT = 1
    titles = ["一种阀门装置"] * 294 + ["一种模具加工装置"] * 6
    _bulk_titles(operator, titles)

    body = anonymous.get(URL + "facets/", {"q": word}).json()
    assert body["approximate"] is approximate
    if not approximate:
        assert body["patent_type"] == [{"value": "invention", "count": 6}]


@pytest.mark.parametrize("matches_at", ["spread", "oldest"])
def test_relevance_window_of_a_mid_frequency_word_is_its_newest_matches(
    anonymous, operator, ranged_search, matches_at
):
    # 24 of 300 patents (8%) contain 模具: between a rare and a common word.
    titles = ["一种阀门装置"] * 300
    positions = range(0, 300, 13) if matches_at == "spread" else range(24)
    for index in positions:
        titles[index] = "一种模具加工装置"
    ids = _bulk_titles(operator, titles)
    matching = [ids[index] for index in positions]
    with CaptureQueriesContext(connection) as captured:
        body = anonymous.get(URL, {"q": "模具"}).json()
    assert [row["id"] for row in body["results"]] == sorted(matching, reverse=True)[:2]
    ranged = any('"id" + 0' in query["sql"] for query in captured.captured_queries)
    assert ranged  # the id range was read (and, for the oldest matches, found short)
