"""GET /api/v1/ipc/: browse, search and look up the seeded IPC scheme."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

URL = "/api/v1/ipc/"


def symbols(response):
    return [row["symbol"] for row in response.json()["results"]]


def test_chinese_title_search_finds_lithium_ion_batteries(anonymous):
    response = anonymous.get(URL, {"q": "锂离子电池"})
    assert response.status_code == 200
    assert "H01M 10/0525" in symbols(response)


def test_english_title_search_needs_every_word(anonymous):
    response = anonymous.get(URL, {"q": "lithium-ion batteries", "page_size": 100})
    assert "H01M 10/0525" in symbols(response)
    assert all(
        "lithium-ion" in row["title_en"].lower() and "batteries" in row["title_en"].lower()
        for row in response.json()["results"]
    )
    assert anonymous.get(URL, {"q": "lithium-ion zzzqqq"}).json()["results"] == []


@pytest.mark.parametrize(
    "path",
    [
        "H01M10%2F0525/",
        "H01M10/0525/",
        "h01m10%2F0525/",
        "H01M%2010%2F0525%20(2006.01)/",
        "H01M%2010%2F05250/",
    ],
)
def test_lookup_accepts_any_spelling_and_gives_both_titles(anonymous, path):
    response = anonymous.get(URL + path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["symbol"] == "H01M 10/0525"
    assert "锂离子电池" in body["title_zh"]
    assert "Lithium-ion batteries" in body["title_en"]
    assert body["parent"] == "H01M 10/052"  # the dot depth, not the main group
    assert [a["symbol"] for a in body["ancestors"]] == [
        "H",
        "H01",
        "H01M",
        "H01M 10/00",
        "H01M 10/05",
        "H01M 10/052",
    ]
    assert body["tech_field_detail"]["number"] == 1
    assert body["has_children"] is False


def test_lookup_of_a_malformed_symbol_is_a_400_on_the_symbol_in_both_languages(client_for):
    english = client_for(language="en").get(URL + "H1M10%2F0525/")
    assert english.status_code == 400
    assert english.json()["errors"] == [
        {
            "field": "symbol",
            "code": "invalid_class",
            "message": "A class is the section and two digits, such as H01.",
        }
    ]
    chinese = client_for(language="zh-hans").get(URL + "H1M10%2F0525/")
    assert chinese.status_code == 400
    entry = chinese.json()["errors"][0]
    assert entry["field"] == "symbol"
    assert entry["code"] == "invalid_class"
    assert "大类" in entry["message"]


def test_lookup_of_an_unknown_symbol_is_a_json_404(anonymous):
    response = anonymous.get(URL + "H01M999%2F00/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_parent_lists_direct_children_in_scheme_order(anonymous):
    response = anonymous.get(URL, {"parent": "h01m 10/05", "page_size": 100})
    assert response.status_code == 200
    listed = symbols(response)
    assert listed == sorted(
        listed, key=lambda s: response.json()["results"][listed.index(s)]["key"]
    )
    assert {"H01M 10/052", "H01M 10/054", "H01M 10/056", "H01M 10/058"} <= set(listed)
    assert "H01M 10/0525" not in listed  # a grandchild


def test_under_selects_a_whole_subtree(anonymous):
    response = anonymous.get(URL, {"under": "H01M 10/05", "page_size": 100})
    listed = symbols(response)
    assert listed[0] == "H01M 10/05"
    assert "H01M 10/0525" in listed
    assert "H01M 10/0569" in listed
    assert all(s.startswith("H01M 10/05") for s in listed)
    subclass = anonymous.get(URL, {"under": "H01M", "level": "main_group", "page_size": 100})
    assert subclass.status_code == 200
    assert all(s.startswith("H01M ") and s.endswith("/00") for s in symbols(subclass))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"parent": "X01"}, "parent"),
        ({"under": "H01M 10/5"}, "under"),
        ({"level": "galaxy"}, "level"),
        ({"tech_field": "36"}, "tech_field"),
        ({"tech_field": "one"}, "tech_field"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_invalid_filters_are_a_400_naming_the_parameter(anonymous, params, field):
    response = anonymous.get(URL, params)
    assert response.status_code == 400
    assert [entry["field"] for entry in response.json()["errors"]] == [field]


def test_subclasses_missing_from_the_chinese_scheme_come_with_english_titles(anonymous):
    body = anonymous.get(URL + "H01L/").json()
    assert body["level"] == "subclass"
    assert body["title_en"].startswith("SEMICONDUCTOR DEVICES")


def test_codes_truncated_by_the_chinese_source_are_repaired(anonymous):
    assert anonymous.get(URL + "E02D29%2F045/").status_code == 200


def test_sections_list_and_the_list_query_count_does_not_grow_with_page_size(anonymous):
    sections = anonymous.get(URL, {"level": "section"})
    assert symbols(sections) == list("ABCDEFGH")
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            assert anonymous.get(URL, {"under": "H01", "page_size": size}).status_code == 200
        counts.append(len(queries))
        assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
        assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    assert counts[0] == counts[1] == 1  # one SELECT (tech field joined), no count, no N+1


def test_detail_costs_a_fixed_number_of_queries(anonymous, django_assert_num_queries):
    # 1: the symbol with its technology field and has_children; 2: its ancestors.
    with django_assert_num_queries(2):
        assert anonymous.get(URL + "H01M10%2F0525/").status_code == 200


@pytest.mark.parametrize("value", ["%Ý", "%s%d", "100%"])
def test_percent_signs_in_bad_input_are_echoed_not_a_crash(anonymous, value):
    for parameter in ("parent", "under"):
        response = anonymous.get(URL, {parameter: value})
        assert response.status_code == 400
        assert value in response.json()["errors"][0]["message"]
    assert anonymous.get("/api/v1/regions/", {"parent": value}).status_code == 400
