"""/api/v1/offers/: public list of published offers, holders' drafts, review, eligibility."""

import datetime

import pytest

from patents.models import OfferStatus
from tests.factories import OfferFactory, PatentFactory, PledgeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/offers/"


@pytest.fixture
def weak_patent(operator, holder_a):
    """Registered after patent_a; "锂离子电池" only in its abstract."""
    return PatentFactory.create(
        actor=operator,
        application_number="201610920041.1",
        title="一种储能装置",
        abstract="装置包括锂离子电池组。",
        filing_date=datetime.date(2016, 10, 21),
        grant_date=datetime.date(2018, 1, 5),
        holders=[holder_a],
    )


def draft(client, patent, **values):
    """POST a draft offer of ``patent`` (the open licence of OfferFactory, as JSON)."""
    body = {
        "offer_type": "open_licence",
        "title": "锂电池正极材料开放许可",
        "pricing_mode": "royalty_net_sales",
        "royalty_rate": "3.00",
        "term_start": "2026-01-01",
        "term_end": "2030-12-31",
        "patents": [patent.pk],
        **values,
    }
    return client.post(URL, body, format="json")


def test_a_member_drafts_submits_and_an_operator_publishes(
    client_for, university_a, operator, patent_a, anonymous
):
    response = draft(client_for(university_a), patent_a)
    assert response.status_code == 201, response.json()
    offer = response.json()
    assert (offer["status"], response["ETag"]) == ("draft", '"1"')
    assert [p["id"] for p in offer["patents"]] == [patent_a.pk]
    assert anonymous.get(f"{URL}{offer['id']}/").status_code == 404  # a draft is private

    submitted = client_for(university_a).post(f"{URL}{offer['id']}/submit/", HTTP_IF_MATCH='"1"')
    assert submitted.json()["status"] == "pending_review"
    assert (
        client_for(university_a)
        .post(f"{URL}{offer['id']}/review/", {"approve": True, "version": 2}, format="json")
        .status_code
        == 403
    )
    reviewed = client_for(operator).post(
        f"{URL}{offer['id']}/review/", {"approve": True, "version": 2}, format="json"
    )
    assert reviewed.json()["status"] == "published"

    public = anonymous.get(URL).json()["results"]
    assert [o["id"] for o in public] == [offer["id"]]
    assert "contact_email" not in public[0]
    assert public[0]["holder"]["name"] == "甲大学"


def test_another_holders_draft_is_a_404(client_for, university_a, university_b, patent_a):
    offer = OfferFactory.create(patents=[patent_a], actor=university_a)
    assert client_for(university_b).get(f"{URL}{offer.pk}/").status_code == 404
    assert (
        client_for(university_b).post(f"{URL}{offer.pk}/submit/", {"version": 1}).status_code == 404
    )
    assert client_for(university_b).get(URL).json()["results"] == []


def test_eligibility_reports_every_reason_without_changing_anything(
    client_for, university_a, holder_a, patent_a
):
    PledgeFactory.create(
        patents=[patent_a],
        pledgor=holder_a,
        registration_date=datetime.date(2024, 5, 1),
        debt_end=datetime.date(2027, 5, 1),
    )
    offer = OfferFactory.create(patents=[patent_a], actor=university_a, pricing_mode="negotiable")
    client = client_for(university_a, language="en")

    check = client.post(f"{URL}{offer.pk}/eligibility/")

    assert check.status_code == 200
    verdict = check.json()["patents"][0]
    assert not check.json()["ok"]
    assert {e["code"] for e in verdict["errors"]} == {
        "pledged_without_consent",
        "royalty_terms_missing",
    }
    assert all(e["basis"] and e["message"] for e in verdict["errors"])
    refused = client.post(f"{URL}{offer.pk}/submit/", {"version": 1}, format="json")
    assert refused.status_code == 400
    assert {e["field"] for e in refused.json()["errors"]} == {f"patents[{patent_a.pk}]"}
    assert client.get(f"{URL}{offer.pk}/").json()["status"] == OfferStatus.DRAFT


def test_a_stale_version_gets_412(client_for, university_a, patent_a):
    offer = OfferFactory.create(patents=[patent_a], actor=university_a)
    response = client_for(university_a).patch(
        f"{URL}{offer.pk}/", {"title": "新标题"}, format="json", HTTP_IF_MATCH='"5"'
    )
    assert response.status_code == 412


def test_field_errors_are_named_in_both_languages(client_for, university_a, patent_a):
    for language, word in (("en", "100"), ("zh-hans", "100")):
        response = draft(client_for(university_a, language=language), patent_a, royalty_rate="120")
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["field"] == "royalty_rate"
        assert word in error["message"]


def test_filters(client_for, university_a, operator, patent_a, anonymous):
    offer = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    assert offer.status == "published"
    for params, expected in [
        ({"offer_type": "open_licence"}, [offer.pk]),
        ({"offer_type": "exclusive"}, []),
        ({"ipc": "H01M"}, [offer.pk]),
        ({"ipc": "G06F"}, []),
        ({"q": "锂离子电池"}, [offer.pk]),
        ({"q": "燃料电池"}, []),
        ({"royalty_rate_max": "5"}, [offer.pk]),
        ({"royalty_rate_max": "2"}, []),
        ({"region": "31"}, [offer.pk]),
        ({"region": "44"}, []),
        ({"term_years_min": "4"}, [offer.pk]),
        ({"term_years_min": "6"}, []),
        ({"ordering": "price"}, [offer.pk]),
    ]:
        response = anonymous.get(URL, params)
        assert response.status_code == 200, (params, response.json())
        assert [o["id"] for o in response.json()["results"]] == expected, params
    assert anonymous.get(URL, {"royalty_rate_max": "abc"}).status_code == 400


def test_list_query_count_does_not_grow(
    client_for, university_a, operator, patent_a, anonymous, django_assert_max_num_queries
):
    OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    with django_assert_max_num_queries(3):  # offers with holders; their patents; their holders
        assert anonymous.get(URL).status_code == 200


def test_a_missing_offer_type_is_a_field_error_in_chinese(client_for, university_a, patent_a):
    response = client_for(university_a).post(
        URL, {"title": "无类型", "patents": [patent_a.pk]}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "offer_type"
    assert error["message"] == "该字段是必填项。"


def test_an_offer_whose_patent_lapsed_leaves_the_public_list_at_once(
    client_for, university_a, operator, patent_a, anonymous
):
    from patents.models import Patent

    offer = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    assert [o["id"] for o in anonymous.get(URL).json()["results"]] == [offer.pk]
    Patent.objects.filter(pk=patent_a.pk).update(legal_status="lapsed")  # before expire_offers
    assert anonymous.get(URL).json()["results"] == []
    assert anonymous.get(f"{URL}{offer.pk}/").status_code == 404


def test_offer_facets_follow_the_filters(
    client_for, university_a, operator, patent_a, anonymous, django_assert_max_num_queries
):
    OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    with django_assert_max_num_queries(2):  # the planner's estimate; the counts
        body = anonymous.get(URL + "facets/").json()
    assert body["approximate"] is False
    assert body["offer_type"] == [{"value": "open_licence", "count": 1}]
    assert body["holder_kind"] == [{"value": "university", "count": 1}]
    assert body["patent_type"] == [{"value": "invention", "count": 1}]
    assert body["ipc_section"] == [{"value": "H", "count": 1}]
    empty = anonymous.get(URL + "facets/", {"offer_type": "assignment"}).json()
    assert empty["offer_type"] == []


def test_a_text_search_ranks_offers_by_their_best_patent(
    client_for, university_a, operator, patent_a, weak_patent, anonymous
):
    strong = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    weak = OfferFactory.create(
        patents=[weak_patent],
        actor=university_a,
        reviewer=operator,
        status="published",
        title="储能装置许可",
    )
    ranked = anonymous.get(URL, {"q": "锂离子电池"}).json()["results"]
    assert [o["id"] for o in ranked] == [strong.pk, weak.pk]  # title beats abstract
    newest = anonymous.get(URL, {"q": "锂离子电池", "ordering": "-published_at"}).json()
    assert [o["id"] for o in newest["results"]] == [weak.pk, strong.pk]
    assert anonymous.get(URL, {"ordering": "relevance"}).status_code == 400


@pytest.fixture
def strong_and_weak(university_a, operator, patent_a, weak_patent):
    """Two published offers: the older patent matches 锂离子电池 in its title (strong), the
    newer one in its abstract (weak)."""
    strong = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    weak = OfferFactory.create(
        patents=[weak_patent],
        actor=university_a,
        reviewer=operator,
        status="published",
        title="储能装置许可",
    )
    return strong, weak


def test_relevance_ranks_the_offers_of_the_newest_matching_patents_only(
    strong_and_weak, anonymous, settings
):
    strong, weak = strong_and_weak
    settings.SEARCH_ENGINE = False  # PostgreSQL's window, as without the search engine
    settings.SEARCH_RANK_WINDOW = 1
    ranked = anonymous.get(URL, {"q": "锂离子电池"}).json()["results"]
    assert [o["id"] for o in ranked] == [weak.pk]  # the more recently registered patent
    by_date = anonymous.get(URL, {"q": "锂离子电池", "ordering": "-published_at"}).json()
    assert [o["id"] for o in by_date["results"]] == [weak.pk, strong.pk]
    facets = anonymous.get(URL + "facets/", {"q": "锂离子电池"}).json()
    assert facets["offer_type"] == [{"value": "open_licence", "count": 2}]  # every match


def test_with_the_engine_the_public_window_holds_the_best_matching_offers(
    strong_and_weak, anonymous, settings
):
    """The search engine ranks every published offer's patents: the best match (the title
    match of the older patent) is on top, even in a window of one."""
    strong, _weak = strong_and_weak
    settings.SEARCH_RANK_WINDOW = 1
    ranked = anonymous.get(URL, {"q": "锂离子电池"}).json()["results"]
    assert [o["id"] for o in ranked] == [strong.pk]


def test_relevance_window_skips_patents_whose_offers_the_reader_cannot_see(
    client_for, university_a, operator, patent_a, weak_patent, anonymous, settings
):
    strong = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    unpublished = OfferFactory.create(
        patents=[weak_patent], actor=university_a, title="储能装置许可"
    )
    settings.SEARCH_RANK_WINDOW = 1
    # The newest matching patent is only in a draft: the public window passes over it.
    public = anonymous.get(URL, {"q": "锂离子电池"}).json()["results"]
    assert [o["id"] for o in public] == [strong.pk]
    # The holder's member sees their own draft in the window.
    own = client_for(university_a).get(URL, {"q": "锂离子电池"}).json()["results"]
    assert [o["id"] for o in own] == [unpublished.pk]
    settings.SEARCH_RANK_WINDOW = 10
    both = client_for(operator).get(URL, {"q": "锂离子电池"}).json()["results"]
    assert [o["id"] for o in both] == [strong.pk, unpublished.pk]  # title beats abstract


def test_text_search_query_count_does_not_grow(
    client_for,
    university_a,
    operator,
    patent_a,
    weak_patent,
    anonymous,
    django_assert_max_num_queries,
):
    OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    OfferFactory.create(
        patents=[weak_patent],
        actor=university_a,
        reviewer=operator,
        status="published",
        title="储能装置许可",
    )
    # ranked window, its offers, the page, the page's patents, the patents' current holders
    with django_assert_max_num_queries(5):
        body = anonymous.get(URL, {"q": "锂离子电池"}).json()
    assert len(body["results"]) == 2
    with django_assert_max_num_queries(4):
        body = anonymous.get(URL, {"q": "锂离子电池", "ordering": "price"}).json()
    assert len(body["results"]) == 2


def test_relevance_pages_follow_the_ranks_across_cursors(
    client_for, university_a, operator, patent_a, weak_patent, anonymous
):
    strong = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    weak = OfferFactory.create(
        patents=[weak_patent],
        actor=university_a,
        reviewer=operator,
        status="published",
        title="储能装置许可",
    )
    first = anonymous.get(URL, {"q": "锂离子电池", "page_size": 1}).json()
    assert [o["id"] for o in first["results"]] == [strong.pk]
    second = anonymous.get(first["next"]).json()
    assert [o["id"] for o in second["results"]] == [weak.pk]
    assert second["next"] is None
    back = anonymous.get(second["previous"]).json()
    assert [o["id"] for o in back["results"]] == [strong.pk]


def test_offer_facets_are_sampled_and_marked_approximate_above_the_limit(
    client_for, university_a, operator, patent_a, anonymous, settings
):
    OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    settings.OFFER_FACET_EXACT_LIMIT = 0
    assert anonymous.get(URL + "facets/").json()["approximate"] is True
    assert anonymous.get(URL + "facets/", {"q": "锂离子电池"}).json()["approximate"] is True


def test_the_offer_list_names_each_patents_current_holders_in_order(
    anonymous, operator, holder_a, holder_b
):
    """Each offered patent names its current holders, in their order on the register, as
    its detail does (read in the patents' own query: see the list's query count)."""
    patent = PatentFactory.create(
        actor=operator, title="一种锂离子电池隔膜", holders=[holder_a, holder_b]
    )
    OfferFactory.create(
        actor=operator,
        reviewer=operator,
        status=OfferStatus.PUBLISHED,
        patents=[patent],
        co_owners_consent=True,
    )

    listed = anonymous.get("/api/v1/offers/").json()["results"]
    detail = anonymous.get(f"/api/v1/patents/{patent.pk}/").json()

    holders = listed[0]["patents"][0]["holders"]
    assert holders == [
        {"id": holder_a.pk, "name": holder_a.name, "name_en": holder_a.name_en},
        {"id": holder_b.pk, "name": holder_b.name, "name_en": holder_b.name_en},
    ]
    assert [h["id"] for h in holders] == [h["id"] for h in detail["holders"]]
