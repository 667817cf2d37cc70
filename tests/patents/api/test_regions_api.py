"""GET /api/v1/regions/: the administrative divisions tree, search and look-up."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions/"


def codes(response):
    return [row["code"] for row in response.json()["results"]]


def test_search_by_chinese_name_finds_pudong(anonymous):
    response = anonymous.get(URL, {"q": "浦东"})
    assert response.status_code == 200
    assert "310115" in codes(response)


def test_search_by_english_name(anonymous):
    assert "310115" in codes(anonymous.get(URL, {"q": "pudong"}))


def test_historical_codes_are_kept_and_marked(anonymous):
    response = anonymous.get(URL, {"q": "闸北"})
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows["310108"]["is_current"] is False
    assert anonymous.get(URL, {"q": "闸北", "current": "true"}).json()["results"] == []


def test_shanghai_has_sixteen_current_districts(anonymous):
    response = anonymous.get(URL, {"parent": "310100", "current": "true", "page_size": 100})
    assert response.status_code == 200
    assert len(codes(response)) == 16
    assert "310115" in codes(response)
    assert "310108" not in codes(response)


def test_under_accepts_a_province_prefix(anonymous):
    response = anonymous.get(URL, {"under": "31", "page_size": 100})
    assert {code[:2] for code in codes(response)} == {"31"}
    assert codes(response)[0] == "310000"


def test_detail_has_ancestors_and_children(anonymous, django_assert_num_queries):
    with django_assert_num_queries(2):  # the region with parent and grandparent; its children
        response = anonymous.get(URL + "310100/")
    body = response.json()
    assert body["name"] == "市辖区"
    assert [a["code"] for a in body["ancestors"]] == ["310000"]
    assert {"310115", "310108"} <= {child["code"] for child in body["children"]}
    district = anonymous.get(URL + "310115/").json()
    assert district["name_en"] == "Pudong New Area"
    assert [a["code"] for a in district["ancestors"]] == ["310000", "310100"]


@pytest.mark.parametrize("spelling", ["31", "310000", "310000000000"])
def test_lookup_accepts_prefix_and_statistical_codes(anonymous, spelling):
    assert anonymous.get(URL + spelling + "/").json()["code"] == "310000"


def test_malformed_code_is_a_400_in_both_languages(client_for):
    english = client_for(language="en").get(URL + "31x/")
    assert english.status_code == 400
    assert english.json()["errors"][0]["field"] == "code"
    assert "six digits" in english.json()["errors"][0]["message"]
    chinese = client_for(language="zh-hans").get(URL + "31x/")
    assert "六位" in chinese.json()["errors"][0]["message"]


def test_unknown_code_is_a_404(anonymous):
    assert anonymous.get(URL + "999999/").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"parent": "abc"}, "parent"),
        ({"level": "street"}, "level"),
        ({"current": "maybe"}, "current"),
        ({"under": "999999"}, "under"),
    ],
)
def test_invalid_filters_are_a_400(anonymous, params, field):
    response = anonymous.get(URL, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
