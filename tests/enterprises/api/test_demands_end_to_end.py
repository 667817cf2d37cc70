"""Demands: validation, lifecycle, stored and explained matches, re-matching when an offer
is published, and the whole road from a demand to a recorded deal through the API alone."""

import datetime
from decimal import Decimal

import pytest

from enterprises.models import Match, TechnologyDemand
from patents.models import LicenceRecord
from tests.factories import OfferFactory, PatentFactory
from tests.support.jobs import run_jobs

pytestmark = pytest.mark.django_db

DEMANDS = "/api/v1/demands/"

TITLES = [
    ("201910209152.5", "一种锂离子电池正极材料及其制备方法", "H01M 10/0525"),
    ("201910209153.X", "一种硫化物固态电解质及锂电池", "H01M 10/0562"),
    ("201810209154.X", "一种水稻种植用的自动灌溉装置", "A01G 25/02"),
]


@pytest.fixture
def patents(operator, holder_a):
    """Three granted inventions of holder A: a cathode, a solid electrolyte, an irrigator."""
    return [
        PatentFactory.create(
            actor=operator,
            application_number=number,
            title=title,
            ipc_codes=[ipc],
            holders=[holder_a],
        )
        for number, title, ipc in TITLES
    ]


DEMAND = {
    "title": "寻求锂电池固态电解质技术",
    "description": "用于动力锂电池的硫化物固态电解质。",
    "keywords": ["固态电解质"],
    "ipc_codes": ["H01M 10/0562"],
    "wanted_offer_types": ["ordinary", "open_licence"],
    "budget_max_cny": "2000000",
}


def test_bad_demands_are_field_errors_and_write_nothing(client_for, sme):
    client = client_for(sme, "en")
    cases: list[tuple[dict[str, object], str]] = [
        ({"ipc_codes": ["not an ipc"]}, "ipc_codes"),
        ({"budget_min_cny": "5", "budget_max_cny": "1"}, "budget_max_cny"),
        ({"wanted_offer_types": ["barter"]}, "wanted_offer_types.0"),
        ({"preferred_regions": ["999999"]}, "preferred_regions"),
        ({"title": "", "title_en": ""}, "title"),
        ({"deadline": "2020-01-01", "open": True}, "deadline"),
    ]
    for change, field in cases:
        response = client.post(DEMANDS, {**DEMAND, **change}, format="json")
        assert response.status_code == 400, (change, response.json())
        assert field in {e["field"] for e in response.json()["errors"]}, response.json()
    assert not TechnologyDemand.objects.exists()


def test_opening_a_demand_stores_explained_matches_best_first(client_for, sme, patents):
    response = client_for(sme).post(DEMANDS, {**DEMAND, "open": True}, format="json")
    assert response.status_code == 201, response.json()
    demand = response.json()
    assert demand["status"] == "matched"
    matches = client_for(sme).get(f"{DEMANDS}{demand['id']}/matches/").json()["results"]
    assert matches[0]["patent"]["id"] == patents[1].pk  # same IPC group and the terms
    assert patents[2].pk not in [m["patent"]["id"] for m in matches[:1]]
    scores = [float(m["score"]) for m in matches]
    assert scores == sorted(scores, reverse=True)
    best = matches[0]["explanation"]
    names = {c["name"] for c in best["components"]}
    assert {"text", "ipc", "legal_status"} <= names
    assert best["reason_en"]
    assert best["reason_zh"] != best["reason_en"]
    assert "固态电解质" in best["matched_terms"] or "电解质" in "".join(best["matched_terms"])


def test_another_enterprise_sees_no_demand_and_no_match(client_for, sme, sme_other, patents):
    demand = client_for(sme).post(DEMANDS, {**DEMAND, "open": True}, format="json").json()
    assert client_for(sme_other).get(f"{DEMANDS}{demand['id']}/").status_code == 404
    assert client_for(sme_other).get(f"{DEMANDS}{demand['id']}/matches/").status_code == 404
    match = Match.objects.filter(demand_id=demand["id"])[0]
    assert client_for(sme_other).get(f"/api/v1/matches/{match.pk}/").status_code == 404
    assert client_for(sme_other).get(DEMANDS).json()["results"] == []


def test_changing_an_open_demand_rematches_and_keeps_progressed_matches(client_for, sme, patents):
    client = client_for(sme)
    demand = client.post(DEMANDS, {**DEMAND, "open": True}, format="json").json()
    first = Match.objects.filter(demand_id=demand["id"]).order_by("-score")[0]
    viewed = client.patch(
        f"/api/v1/matches/{first.pk}/", {"state": "viewed", "version": 1}, format="json"
    )
    assert viewed.status_code == 200, viewed.json()
    changed = client.patch(
        f"{DEMANDS}{demand['id']}/",
        {"title": "寻求水稻自动灌溉装置", "description": "", "keywords": [], "ipc_codes": ["A01G"]},
        HTTP_IF_MATCH=f'"{demand["version"]}"',
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    patents_now = set(
        Match.objects.filter(demand_id=demand["id"]).values_list("patent_id", flat=True)
    )
    assert patents[2].pk in patents_now
    assert Match.objects.get(pk=first.pk).state == "viewed"  # kept, though it ranks lower now


def test_a_dismissal_needs_a_reason_and_transitions_are_checked(client_for, sme, patents):
    client = client_for(sme, "en")
    demand = client.post(DEMANDS, {**DEMAND, "open": True}, format="json").json()
    match = Match.objects.filter(demand_id=demand["id"])[0]
    url = f"/api/v1/matches/{match.pk}/"
    no_reason = client.patch(url, {"state": "dismissed", "version": 1}, format="json")
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"][0]["field"] == "dismissal_reason"
    skip = client.patch(url, {"state": "concluded", "version": 1}, format="json")
    assert skip.status_code == 400
    assert skip.json()["errors"][0]["code"] == "invalid_transition"
    ok = client.patch(
        url, {"state": "dismissed", "dismissal_reason": "price", "version": 1}, format="json"
    )
    assert ok.json()["state"] == "dismissed"
    assert client.patch(url, {"state": "viewed", "version": 1}, format="json").status_code == 412


def test_a_published_offer_enters_the_matches_of_live_demands(
    client_for, sme, university_a, operator, patents, django_capture_on_commit_callbacks
):
    demand = client_for(sme).post(DEMANDS, {**DEMAND, "open": True}, format="json").json()
    match = Match.objects.get(demand_id=demand["id"], patent=patents[1])
    assert match.offer_id is None
    with django_capture_on_commit_callbacks(execute=True):
        offer = OfferFactory.create(
            patents=[patents[1]],
            actor=university_a,
            reviewer=operator,
            status="published",
            offer_type="ordinary",
            title="固态电解质普通许可",
            pricing_mode="lump_sum",
            lump_sum_cny=Decimal("1000000"),
            royalty_rate=None,
        )
    run_jobs()  # re-matching is a job, deferred once the publication commits
    match.refresh_from_db()
    assert match.offer_id == offer.pk
    components = {c["name"]: c for c in match.explanation["components"]}
    assert components["offer"]["value"] > 0


def test_from_a_demand_to_a_recorded_deal_through_the_api_alone(
    client_for, sme, university_a, patents, enterprise_s
):
    """The SME's road: post a demand, read explained matches, ask the holder about the best
    one, get a reply, and the holder records the licence: a LicenceRecord for the SME."""
    sme_client, holder_client = client_for(sme), client_for(university_a)
    demand = sme_client.post(DEMANDS, {**DEMAND, "open": True}, format="json").json()
    best = sme_client.get(f"{DEMANDS}{demand['id']}/matches/").json()["results"][0]
    assert best["patent"]["id"] == patents[1].pk

    inquiry = sme_client.post(
        "/api/v1/inquiries/",
        {"match": best["id"], "message": "请问普通许可的费用？"},
        format="json",
    ).json()
    assert sme_client.get(f"/api/v1/matches/{best['id']}/").json()["state"] == "contacted"

    received = holder_client.get("/api/v1/inquiries/", {"box": "received"}).json()["results"]
    assert [i["id"] for i in received] == [inquiry["id"]]
    reply = holder_client.post(
        f"/api/v1/inquiries/{inquiry['id']}/reply/",
        {"reply": "可以，50 万元。", "version": 1},
        format="json",
    )
    assert reply.status_code == 200
    assert sme_client.get(f"/api/v1/matches/{best['id']}/").json()["state"] == "negotiating"

    deal = holder_client.post(
        "/api/v1/deals/",
        {
            "inquiry": inquiry["id"],
            "kind": "ordinary",
            "contract_date": "2026-11-20",
            "term_start": "2026-12-01",
            "term_end": "2031-11-30",
            "amount_cny": "500000.00",
        },
        format="json",
    )
    assert deal.status_code == 201, deal.json()
    assert deal.json()["origin"] == "match"
    assert sme_client.get(f"/api/v1/matches/{best['id']}/").json()["state"] == "concluded"
    record = LicenceRecord.objects.get(pk=deal.json()["licence"]["id"])
    assert record.licensee_uscc == enterprise_s.uscc
    assert list(record.patents.values_list("pk", flat=True)) == [patents[1].pk]
    assert [d["id"] for d in sme_client.get("/api/v1/deals/").json()["results"]] == [
        deal.json()["id"]
    ]


def test_closing_and_expiry(client_for, sme, patents):
    from enterprises.services.demands import demands_expire

    client = client_for(sme)
    demand = client.post(
        DEMANDS, {**DEMAND, "deadline": "2027-01-31", "open": True}, format="json"
    ).json()
    assert demands_expire(on=datetime.date(2027, 2, 1)) == 1
    assert client.get(f"{DEMANDS}{demand['id']}/").json()["status"] == "expired"
    other = client.post(DEMANDS, DEMAND, format="json").json()
    closed = client.post(f"{DEMANDS}{other['id']}/close/", {"version": 1}, format="json")
    assert closed.json()["status"] == "closed"
    assert (
        client.patch(
            f"{DEMANDS}{other['id']}/", {"title": "x", "version": 2}, format="json"
        ).status_code
        == 400
    )


def test_matches_query_count_does_not_grow(client_for, sme, patents, django_assert_max_num_queries):
    demand = client_for(sme).post(DEMANDS, {**DEMAND, "open": True}, format="json").json()
    with django_assert_max_num_queries(5):  # user's enterprises, demand, page of matches
        response = client_for(sme).get(f"{DEMANDS}{demand['id']}/matches/")
    assert len(response.json()["results"]) >= 2


def test_a_new_patents_offer_enters_a_demand_it_concerns(
    client_for, sme, university_a, operator, holder_a, patents, django_capture_on_commit_callbacks
):
    demand = client_for(sme).post(DEMANDS, {**DEMAND, "open": True}, format="json").json()
    newcomer = PatentFactory.create(
        actor=operator,
        application_number="202010209155.1",
        title="一种高离子电导率的硫化物固态电解质",
        ipc_codes=["H01M 10/0562"],
        filing_date=datetime.date(2020, 3, 21),
        grant_date=datetime.date(2022, 6, 1),
        holders=[holder_a],
    )
    assert not Match.objects.filter(demand_id=demand["id"], patent=newcomer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        offer = OfferFactory.create(
            patents=[newcomer],
            actor=university_a,
            reviewer=operator,
            status="published",
            title="高电导率固态电解质开放许可",
        )
    run_jobs()  # re-matching is a job, deferred once the publication commits
    match = Match.objects.get(demand_id=demand["id"], patent=newcomer)
    assert match.offer_id == offer.pk
    assert match.state == "suggested"


def test_a_demands_matches_refuse_a_parameter_they_do_not_read(client_for, sme, patents):
    """The schema declared the demand list's filters here, which these pages ignored, and any
    other name was silently accepted: now each is a 400 naming it."""
    demand = client_for(sme).post(DEMANDS, {**DEMAND, "open": True}, format="json").json()
    url = f"{DEMANDS}{demand['id']}/matches/"
    for name in ("status", "enterprise", "no_such_filter"):
        response = client_for(sme, "en").get(url, {name: "open"})
        assert response.status_code == 400, name
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
            (name, "unknown_parameter")
        ]
    assert client_for(sme).get(url, {"page_size": 1}).status_code == 200


def test_a_closed_demands_refusal_says_closed_not_closed_at(client_for, sme):
    client = client_for(sme)
    demand = client.post(DEMANDS, DEMAND, format="json").json()
    client.post(f"{DEMANDS}{demand['id']}/close/", {"version": 1}, format="json")
    refused = client.patch(
        f"{DEMANDS}{demand['id']}/",
        {"title": "x", "version": 2},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert refused.status_code == 400
    message = refused.json()["errors"][0]["message"]
    assert "已关闭" in message
    assert "关闭时间" not in message
