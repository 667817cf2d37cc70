"""/api/v1/licences/ and /api/v1/pledges/: public what CNIPA publishes, parties see amounts."""

import pytest

from patents.models import Holding

pytestmark = pytest.mark.django_db


LICENCE = {
    "licensee_name": "上海某新能源有限公司",
    "kind": "ordinary",
    "term_start": "2025-01-10",
    "term_end": "2030-01-09",
    "contract_date": "2025-01-10",
    "recordation_date": "2025-04-11",
    "amount_cny": "800000.00",
}


def test_a_member_records_a_licence_and_the_public_sees_no_amount(
    client_for, university_a, anonymous, patent_a
):
    response = client_for(university_a, language="en").post(
        "/api/v1/licences/", {**LICENCE, "patents": [patent_a.pk]}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [w["code"] for w in body["warnings"]] == ["recordation_late"]
    assert body["amount_cny"] == "800000.00"
    public = anonymous.get(f"/api/v1/licences/{body['id']}/").json()
    assert "amount_cny" not in public
    assert public["licensee_name"] == "上海某新能源有限公司"
    assert [p["id"] for p in public["patents"]] == [patent_a.pk]
    own = client_for(university_a).get(f"/api/v1/licences/{body['id']}/").json()
    assert own["amount_cny"] == "800000.00"
    listed = anonymous.get("/api/v1/licences/", {"patent": patent_a.pk}).json()["results"]
    assert [r["id"] for r in listed] == [body["id"]]


def test_a_conflicting_licence_is_refused_per_patent(client_for, university_a, patent_a):
    client = client_for(university_a, language="en")
    exclusive = {**LICENCE, "kind": "exclusive", "patents": [patent_a.pk]}
    assert client.post("/api/v1/licences/", exclusive, format="json").status_code == 201
    refused = client.post("/api/v1/licences/", {**LICENCE, "patents": [patent_a.pk]}, format="json")
    assert refused.status_code == 400
    assert {(e["field"], e["code"]) for e in refused.json()["errors"]} == {
        (f"patents[{patent_a.pk}]", "conflicting_licence")
    }


def test_another_holders_member_cannot_license_this_patent(client_for, university_b, patent_a):
    refused = client_for(university_b).post(
        "/api/v1/licences/", {**LICENCE, "patents": [patent_a.pk]}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "licensor_not_holder"


def test_an_assignment_moves_the_holder_of_record(client_for, university_a, patent_a):
    response = client_for(university_a).post(
        "/api/v1/licences/",
        {
            **LICENCE,
            "kind": "assignment",
            "licensee_name": "上海某科技有限公司",
            "patents": [patent_a.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    current = Holding.objects.get(patent=patent_a, role="current")
    assert current.holder.name == "上海某科技有限公司"
    assert Holding.objects.filter(patent=patent_a, role="applicant").get().holder.name == "甲大学"


def test_pledges_public_and_private(client_for, university_a, anonymous, patent_a):
    body = {
        "pledgee_name": "上海银行",
        "patents": [patent_a.pk],
        "secured_amount_cny": "5000000.00",
        "registration_date": "2025-05-01",
        "debt_end": "2028-05-01",
    }
    created = client_for(university_a).post("/api/v1/pledges/", body, format="json")
    assert created.status_code == 201, created.json()
    pledge = created.json()
    public = anonymous.get(f"/api/v1/pledges/{pledge['id']}/").json()
    assert "secured_amount_cny" not in public
    assert public["pledgee_name"] == "上海银行"
    again = client_for(university_a, language="en").post("/api/v1/pledges/", body, format="json")
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "already_pledged"


def test_anonymous_cannot_record(anonymous, patent_a):
    assert (
        anonymous.post(
            "/api/v1/licences/", {**LICENCE, "patents": [patent_a.pk]}, format="json"
        ).status_code
        == 401
    )


def test_the_patent_detail_shows_the_pledged_flag(client_for, university_a, anonymous, patent_a):
    detail = anonymous.get(f"/api/v1/patents/{patent_a.pk}/").json()
    assert (detail["pledged"], detail["open_licence"]) == (False, False)
    client_for(university_a).post(
        "/api/v1/pledges/",
        {
            "pledgee_name": "上海银行",
            "patents": [patent_a.pk],
            "secured_amount_cny": "5000000.00",
            "registration_date": "2025-05-01",
            "debt_end": "2028-05-01",
        },
        format="json",
    )
    assert anonymous.get(f"/api/v1/patents/{patent_a.pk}/").json()["pledged"] is True


PLEDGE = {
    "pledgee_name": "上海银行",
    "secured_amount_cny": "5000000.00",
    "registration_date": "2025-05-01",
    "debt_end": "2028-05-01",
}


def test_a_cancelled_pledge_frees_the_patent(
    client_for, university_a, university_b, anonymous, patent_a
):
    pledge = (
        client_for(university_a)
        .post("/api/v1/pledges/", {**PLEDGE, "patents": [patent_a.pk]}, format="json")
        .json()
    )
    url = f"/api/v1/pledges/{pledge['id']}/cancel/"
    body = {"cancellation_date": "2026-03-01", "version": 1}
    assert client_for(university_b).post(url, body, format="json").status_code == 404
    assert anonymous.post(url, body, format="json").status_code == 401
    early = client_for(university_a, "en").post(
        url, {**body, "cancellation_date": "2025-04-01"}, format="json"
    )
    assert early.status_code == 400
    assert early.json()["errors"][0]["field"] == "cancellation_date"
    cancelled = client_for(university_a).post(url, body, format="json")
    assert cancelled.status_code == 200, cancelled.json()
    assert (cancelled.json()["status"], cancelled.json()["cancellation_date"]) == (
        "cancelled",
        "2026-03-01",
    )
    assert (
        client_for(university_a).post(url, {**body, "version": 2}, format="json").status_code == 400
    )
    assert client_for(university_a).post(url, body, format="json").status_code == 412
    assert anonymous.get(f"/api/v1/patents/{patent_a.pk}/").json()["pledged"] is False
    again = client_for(university_a).post(
        "/api/v1/pledges/",
        {**PLEDGE, "registration_date": "2026-03-02", "patents": [patent_a.pk]},
        format="json",
    )
    assert again.status_code == 201, again.json()


def test_a_terminated_exclusive_licence_no_longer_blocks(
    client_for, university_a, university_b, patent_a
):
    client = client_for(university_a, "en")
    exclusive = client.post(
        "/api/v1/licences/",
        {**LICENCE, "kind": "exclusive", "patents": [patent_a.pk]},
        format="json",
    ).json()
    assert (
        client.post(
            "/api/v1/licences/", {**LICENCE, "patents": [patent_a.pk]}, format="json"
        ).status_code
        == 400
    )
    url = f"/api/v1/licences/{exclusive['id']}/terminate/"
    assert (
        client_for(university_b)
        .post(url, {"terminated_at": "2025-06-30", "version": 1}, format="json")
        .status_code
        == 404
    )
    ended = client.post(url, {"terminated_at": "2025-06-30", "version": 1}, format="json")
    assert ended.status_code == 200, ended.json()
    later = {
        **LICENCE,
        "term_start": "2025-07-01",
        "contract_date": "2025-07-01",
        "recordation_date": "2025-07-15",
    }
    assert (
        client.post(
            "/api/v1/licences/", {**later, "patents": [patent_a.pk]}, format="json"
        ).status_code
        == 201
    )
