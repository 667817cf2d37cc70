"""Writes to /api/v1/patents/: who may write, validation, versions (412) and soft delete."""

import pytest

from patents.models import Patent
from tests.factories import PatentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/patents/"

NEW = {
    "application_number": "CN 2019 1 0209152.5",
    "title": "一种锂离子电池正极材料及其制备方法",
    "ipc_codes": ["h01m10/0525"],
    "filing_date": "2019-03-21",
}


@pytest.fixture
def patent_of_a(operator, holder_a):
    """A pending application of holder A, with a number and a title only."""
    return PatentFactory.create(
        actor=operator,
        application_number="201610920041.1",
        title="一种储能装置",
        bare=True,
        holders=[holder_a],
    )


def test_anonymous_cannot_write(anonymous):
    response = anonymous.post(URL, NEW, format="json")
    assert response.status_code == 401
    assert not Patent.objects.exists()


def test_a_user_who_acts_for_no_holder_cannot_register_patents(client_for, sme):
    assert client_for(sme).post(URL, NEW, format="json").status_code == 403
    assert not Patent.objects.exists()


def test_a_holder_member_registers_a_patent_for_their_holder(client_for, university_a, holder_a):
    response = client_for(university_a).post(URL, NEW, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["application_number"] == "201910209152.5"
    assert body["patent_type"] == "invention"
    assert [h["name"] for h in body["holders"]] == ["甲大学"]
    assert response["ETag"] == '"1"'
    patent = Patent.objects.get(pk=body["id"])
    assert patent.history.get().history_user == university_a


def test_a_member_cannot_register_for_another_holder(client_for, university_a, holder_b):
    response = client_for(university_a, language="en").post(
        URL, {**NEW, "holder": holder_b.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "holder"
    assert not Patent.objects.exists()


@pytest.mark.parametrize(
    ("language", "fragment"),
    [("en", "for these digits it is 5"), ("zh-hans", "按这些数字计算应为 5")],
)
def test_invalid_values_are_a_400_per_field_and_nothing_is_written(
    client_for, university_a, language, fragment
):
    response = client_for(university_a, language=language).post(
        URL,
        {
            **NEW,
            "application_number": "201910209152.4",
            "ipc_codes": ["X99"],
            "filing_date": "someday",
        },
        format="json",
    )
    assert response.status_code == 400
    fields = {entry["field"] for entry in response.json()["errors"]}
    assert "filing_date" in fields  # the serializer's type check comes first
    fixed = client_for(university_a, language=language).post(
        URL, {**NEW, "application_number": "201910209152.4", "ipc_codes": ["X99"]}, format="json"
    )
    errors = {entry["field"]: entry["message"] for entry in fixed.json()["errors"]}
    assert set(errors) == {"application_number", "ipc_codes"}
    assert fragment in errors["application_number"]
    assert not Patent.objects.exists()


def test_update_needs_the_current_version(client_for, university_a, patent_of_a):
    client = client_for(university_a)
    missing = client.patch(f"{URL}{patent_of_a.pk}/", {"title_en": "Energy storage"}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "version"

    ok = client.patch(
        f"{URL}{patent_of_a.pk}/",
        {"title_en": "Energy storage"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert ok.status_code == 200
    assert ok["ETag"] == '"2"'

    stale = client.patch(
        f"{URL}{patent_of_a.pk}/", {"title_en": "Overwritten", "version": 1}, format="json"
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    patent_of_a.refresh_from_db()
    assert patent_of_a.title_en == "Energy storage"


def test_another_holders_member_gets_404_on_writes_but_may_read(
    client_for, university_b, patent_of_a
):
    client = client_for(university_b)
    assert (
        client.patch(
            f"{URL}{patent_of_a.pk}/", {"title_en": "x", "version": 1}, format="json"
        ).status_code
        == 404
    )
    assert client.delete(f"{URL}{patent_of_a.pk}/", HTTP_IF_MATCH='"1"').status_code == 404
    assert client.get(f"{URL}{patent_of_a.pk}/").status_code == 200
    patent_of_a.refresh_from_db()
    assert patent_of_a.version == 1


def test_operators_edit_any_patent(client_for, operator, patent_of_a):
    response = client_for(operator).patch(
        f"{URL}{patent_of_a.pk}/", {"legal_status": "withdrawn", "version": 1}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["legal_status"] == "withdrawn"


def test_delete_is_soft_and_versioned(client_for, university_a, patent_of_a, anonymous):
    client = client_for(university_a)
    assert client.delete(f"{URL}{patent_of_a.pk}/", HTTP_IF_MATCH='"7"').status_code == 412
    assert client.delete(f"{URL}{patent_of_a.pk}/", HTTP_IF_MATCH='W/"1"').status_code == 204
    assert anonymous.get(f"{URL}{patent_of_a.pk}/").status_code == 404
    assert Patent.all_objects.filter(pk=patent_of_a.pk, deleted_at__isnull=False).exists()
    assert patent_of_a.history.count() == 2
