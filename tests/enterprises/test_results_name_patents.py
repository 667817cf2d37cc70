"""Results name patents: matches, similar patents, eligibility results and offers name each
patent by its number (application number, else publication or grant number), its title and
its current holders, in a number of queries that does not grow with the rows."""

import datetime

import pytest

from enterprises.models import Match, TechnologyDemand
from patents.models import Holding
from patents.register import services
from patents.register.services import HoldingInput, PatentInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def co_owned(operator, holder_a, holder_b):
    """A granted invention of holders A and B that has no application number on file."""
    patent = services.patent_create(
        actor=operator,
        data=PatentInput(
            values={
                "publication_number": "CN109918572A",
                "title": "一种锂离子电池正极材料的制备方法",
                "keywords": ["锂离子电池", "正极材料"],
                "ipc_codes": ["H01M 10/0562"],
                "filing_date": datetime.date(2019, 3, 21),
                "grant_date": datetime.date(2021, 6, 1),
                "legal_status": "in_force",
            },
            holdings=[HoldingInput(holder_a), HoldingInput(holder_b)],
        ),
    )
    patent.application_number = None
    patent.save(update_fields=["application_number"])
    return patent


def names(holder_a, holder_b=None):
    found = [{"id": holder_a.pk, "name": "甲大学", "name_en": "University A"}]
    if holder_b is not None:
        found.append({"id": holder_b.pk, "name": "乙研究所", "name_en": "Institute B"})
    return found


def test_matches_name_the_patent_and_its_holders_in_flat_queries(
    client_for, sme, enterprise_s, patent_a, co_owned, holder_a, holder_b,
    django_assert_num_queries,
):  # fmt: skip
    demand = TechnologyDemand.objects.create(enterprise=enterprise_s, title="锂电池")
    for patent, score in ((patent_a, 70), (co_owned, 60)):
        Match.objects.create(demand=demand, patent=patent, score=score, explanation={"x": 1})
    client = client_for(sme)
    # 1 the user's enterprises, 2 the page of matches with patent and offer, 3 the patents'
    # current holders with each holder.
    with django_assert_num_queries(3):
        rows = client.get("/api/v1/matches/").json()["results"]
    by_patent = {row["patent"]["id"]: row["patent"] for row in rows}
    assert by_patent[patent_a.pk]["number"] == "201910209152.5"
    assert by_patent[patent_a.pk]["title"] == "一种锂离子电池正极材料"
    assert by_patent[patent_a.pk]["holders"] == names(holder_a)
    assert by_patent[co_owned.pk]["number"] == co_owned.publication_number
    assert by_patent[co_owned.pk]["holders"] == names(holder_a, holder_b)
    # 1 the user's enterprises, 2 the demand, 3 its matches, 4 their holders.
    with django_assert_num_queries(4):
        ranked = client.get(f"/api/v1/demands/{demand.pk}/matches/").json()["results"]
    assert [row["patent"]["number"] for row in ranked] == [
        "201910209152.5",
        co_owned.publication_number,
    ]


def test_similar_patents_carry_the_number(anonymous, patent_a, co_owned):
    rows = anonymous.get(f"/api/v1/patents/{patent_a.pk}/similar/").json()
    assert rows, "the co-owned battery patent is similar"
    row = next(r for r in rows if r["id"] == co_owned.pk)
    assert row["number"] == co_owned.publication_number
    assert [h["id"] for h in row["holders"]] == [h.holder_id for h in co_owned.holdings.all()]


def test_offers_and_eligibility_name_each_patent(
    client_for, university_a, anonymous, operator, patent_a, holder_a
):
    offer = client_for(university_a).post(
        "/api/v1/offers/",
        {"offer_type": "ordinary", "title": "普通许可", "patents": [patent_a.pk]},
        format="json",
    )
    assert offer.status_code == 201, offer.json()
    listed = offer.json()["patents"]
    assert [(p["number"], p["title"], p["holders"]) for p in listed] == [
        ("201910209152.5", "一种锂离子电池正极材料", names(holder_a))
    ]
    check = client_for(university_a).post(f"/api/v1/offers/{offer.json()['id']}/eligibility/")
    assert check.status_code == 200
    verdict = check.json()["patents"][0]
    assert (verdict["patent"], verdict["number"], verdict["title"]) == (
        patent_a.pk,
        "201910209152.5",
        "一种锂离子电池正极材料",
    )
    assert verdict["holders"] == names(holder_a)
    assert Holding.objects.filter(patent=patent_a).count() == 1
