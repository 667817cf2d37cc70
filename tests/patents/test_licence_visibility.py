"""What the public sees of licences matches what CNIPA publishes: recorded licences only,
without amounts. Both parties (the licensor's members, the licensee's through the deal)
see their own records with amounts; operators see all. The flag comes from the selector,
once per request: the list's query count does not grow with its rows."""

import csv
import io

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

LICENCES = "/api/v1/licences/"


@pytest.fixture
def deal(client_for, sme, university_a, patent_a):
    inquiry = (
        client_for(sme)
        .post("/api/v1/inquiries/", {"message": "许可条件？", "patent": patent_a.pk}, format="json")
        .json()
    )
    response = client_for(university_a).post(
        "/api/v1/deals/",
        {
            "inquiry": inquiry["id"],
            "kind": "ordinary",
            "contract_date": str(timezone.localdate()),
            "amount_cny": "300000",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def listed(client):
    response = client.get(LICENCES)
    assert response.status_code == 200
    return {row["id"]: row for row in response.json()["results"]}


def test_an_unrecorded_deal_is_seen_by_its_parties_only(
    client_for, anonymous, sme, sme_other, university_a, university_b, operator, deal
):
    licence = deal["licence"]["id"]
    assert deal["licence"]["amount_cny"] == "300000.00"
    for outsider in (anonymous, client_for(sme_other), client_for(university_b)):
        assert listed(outsider) == {}
        assert outsider.get(f"{LICENCES}{licence}/").status_code == 404
    for party in (sme, university_a, operator):
        row = listed(client_for(party))[licence]
        assert row["amount_cny"] == "300000.00"
        assert row["licensee_uscc"] == "91440300708461136T"
        assert row["source"] == "deal"
        detail = client_for(party).get(f"{LICENCES}{licence}/").json()
        assert detail["amount_cny"] == "300000.00"


def test_once_recorded_everyone_sees_it_without_the_amount(
    client_for, anonymous, sme, sme_other, university_a, deal
):
    recorded = client_for(sme).patch(
        f"/api/v1/deals/{deal['id']}/",
        {"recordation_number": "X2026310000123", "recordation_date": str(timezone.localdate())},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert recorded.status_code == 200, recorded.json()
    licence = deal["licence"]["id"]
    for outsider in (anonymous, client_for(sme_other)):
        row = listed(outsider)[licence]
        assert row["recordation_number"] == "X2026310000123"
        assert row["licensee_name"] == "上海示例新材料科技有限公司"
        assert not {"amount_cny", "licensee_uscc", "source"} & set(row)
        detail = outsider.get(f"{LICENCES}{licence}/").json()
        assert "amount_cny" not in detail
    assert listed(client_for(sme))[licence]["amount_cny"] == "300000.00"
    assert listed(client_for(university_a))[licence]["amount_cny"] == "300000.00"


def exported(client):
    response = client.get(f"{LICENCES}export/")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_follows_the_same_rules(client_for, anonymous, sme, deal):
    assert exported(anonymous) == []
    rows = exported(client_for(sme))
    assert [(r["licence_id"], r["amount_cny"]) for r in rows] == [
        (str(deal["licence"]["id"]), "300000.00")
    ]


def test_the_list_costs_the_same_queries_for_any_number_of_rows(
    client_for, sme, university_a, patent_a, deal, django_assert_num_queries
):
    from patents.licensing.records import licence_record_create

    client = client_for(sme)
    # 1 the user's holder memberships, 2 their enterprise memberships, 3 the page (with
    # the licensor and the party flag), 4 the patents of the page's records.
    with django_assert_num_queries(4):
        assert len(listed(client)) == 1
    for n in range(3):
        licence_record_create(
            actor=university_a,
            licensor=patent_a.holdings.get().holder,
            values={
                "licensee_name": f"公司{n}",
                "kind": "ordinary",
                "recordation_number": f"X202631000000{n}",
                "recordation_date": timezone.localdate(),
                "contract_date": timezone.localdate(),
            },
            patent_ids=[patent_a.pk],
        )
    with django_assert_num_queries(4):
        assert len(listed(client)) == 4
