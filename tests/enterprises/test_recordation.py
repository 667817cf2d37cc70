"""A deal marked recorded after the fact: the recordation number and date CNIPA gave the
contract, entered by either party or an operator with the version read, validated, kept in
history, carried to the licence record; the reminders stop."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from enterprises.models import Deal
from patents.models import LicenceRecord

pytestmark = pytest.mark.django_db

DEALS = "/api/v1/deals/"


@pytest.fixture
def deal(client_for, sme, university_a, patent_a):
    university_a.email = "tto@a.example.org"
    university_a.save()
    inquiry = (
        client_for(sme)
        .post("/api/v1/inquiries/", {"message": "许可条件？", "patent": patent_a.pk}, format="json")
        .json()
    )
    contract = timezone.localdate() - datetime.timedelta(days=80)
    response = client_for(university_a).post(
        DEALS,
        {
            "inquiry": inquiry["id"],
            "kind": "ordinary",
            "contract_date": str(contract),
            "amount_cny": "300000",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def record(client, deal_id, version, **body):
    return client.patch(f"{DEALS}{deal_id}/", body, format="json", HTTP_IF_MATCH=f'"{version}"')


def test_the_licensee_marks_the_deal_recorded_and_the_licence_follows(client_for, sme, deal):
    today = timezone.localdate()
    response = record(
        client_for(sme),
        deal["id"],
        deal["version"],
        recordation_number=" ｘ2026310000123 ",  # full-width, spaces: normalised
        recordation_date=str(today),
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["recorded"] is True
    assert body["version"] == deal["version"] + 1
    assert response["ETag"] == f'"{body["version"]}"'
    assert body["licence"]["recordation_number"] == "X2026310000123"
    assert body["licence"]["recordation_date"] == str(today)
    assert body["licence"]["amount_cny"] == "300000.00"
    licence = LicenceRecord.objects.get(pk=deal["licence"]["id"])
    assert (licence.recordation_number, licence.recordation_date) == ("X2026310000123", today)
    # History: the deal and its licence record each have a row naming who recorded it.
    deal_history = Deal.objects.get(pk=deal["id"]).history.order_by("-history_id")
    assert deal_history[0].history_user == sme
    licence_history = licence.history.order_by("-history_id")
    assert licence_history[0].history_user == sme
    assert licence_history[0].recordation_number == "X2026310000123"
    assert licence_history[1].recordation_number == ""


def test_the_licensor_and_operators_may_record_others_may_not(
    client_for, university_a, university_b, sme_other, operator, deal
):
    today = str(timezone.localdate())
    body = {"recordation_number": "X2026310000124", "recordation_date": today}
    assert record(client_for(university_b), deal["id"], 1, **body).status_code == 404
    assert record(client_for(sme_other), deal["id"], 1, **body).status_code == 404
    assert record(client_for(None), deal["id"], 1, **body).status_code == 401
    assert LicenceRecord.objects.get(pk=deal["licence"]["id"]).recordation_number == ""
    assert record(client_for(university_a), deal["id"], 1, **body).status_code == 200
    corrected = record(
        client_for(operator), deal["id"], 2, recordation_number="X2026310000125",
        recordation_date=today,
    )  # fmt: skip
    assert corrected.status_code == 200
    assert corrected.json()["licence"]["recordation_number"] == "X2026310000125"


def test_a_stale_version_is_412_and_changes_nothing(client_for, sme, deal):
    body = {"recordation_number": "X2026310000123", "recordation_date": str(timezone.localdate())}
    assert record(client_for(sme), deal["id"], 1, **body).status_code == 200
    stale = record(client_for(sme), deal["id"], 1, **{**body, "recordation_number": "X2026310009"})
    assert stale.status_code == 412
    assert LicenceRecord.objects.get(pk=deal["licence"]["id"]).recordation_number == (
        "X2026310000123"
    )
    missing = client_for(sme).patch(f"{DEALS}{deal['id']}/", body, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["code"] == "version_required"


@pytest.mark.parametrize(
    ("number", "days", "field", "code"),
    [
        ("X2026", 0, "recordation_number", "invalid_recordation_number"),
        ("备案号2026310000123", 0, "recordation_number", "invalid_recordation_number"),
        ("X-ABCDEFG", 0, "recordation_number", "invalid_recordation_number"),
        ("", 0, "recordation_number", "blank"),
        ("X2026310000123", 1, "recordation_date", "future"),
        ("X2026310000123", -81, "recordation_date", "before_contract"),
    ],
)
def test_invalid_recordations_are_refused_in_both_languages(
    client_for, sme, deal, number, days, field, code
):
    on = timezone.localdate() + datetime.timedelta(days=days)
    for language in ("en", "zh-hans"):
        response = record(
            client_for(sme, language), deal["id"], 1,
            recordation_number=number, recordation_date=str(on),
        )  # fmt: skip
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
        assert errors[0]["message"]
    licence = LicenceRecord.objects.get(pk=deal["licence"]["id"])
    assert (licence.recordation_number, licence.recordation_date, licence.version) == ("", None, 1)
    assert Deal.objects.get(pk=deal["id"]).version == 1


def test_messages_are_translated(client_for, sme, deal):
    zh = record(
        client_for(sme, "zh-hans"), deal["id"], 1,
        recordation_number="X2026310000123",
        recordation_date=str(timezone.localdate() + datetime.timedelta(days=3)),
    )  # fmt: skip
    assert zh.json()["errors"][0]["message"] == "该日期晚于今天。"


def test_a_number_another_licence_has_is_refused(client_for, sme, university_a, patent_a, deal):
    LicenceRecord.objects.create(
        licensor=patent_a.holdings.get().holder,
        licensee_name="其他",
        kind="ordinary",
        recordation_number="X2026310000123",
    )
    response = record(
        client_for(sme), deal["id"], 1,
        recordation_number="x2026310000123", recordation_date=str(timezone.localdate()),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "duplicate_recordation"


def test_a_late_recordation_is_accepted_with_a_warning(client_for, sme, deal):
    Deal.objects.filter(pk=deal["id"]).update(version=1)
    LicenceRecord.objects.filter(pk=deal["licence"]["id"]).update(
        contract_date=timezone.localdate() - datetime.timedelta(days=200)
    )
    response = record(
        client_for(sme, "en"), deal["id"], 1,
        recordation_number="X2026310000123", recordation_date=str(timezone.localdate()),
    )  # fmt: skip
    assert response.status_code == 200
    assert [w["code"] for w in response.json()["warnings"]] == ["recordation_late"]


def test_reminders_stop_once_the_deal_is_recorded(
    client_for, sme, deal, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves on commit
        call_command("send_reminders", "--deal-days", "14", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    Deal.objects.filter(pk=deal["id"]).update(reminded_at=None)
    record(
        client_for(sme), deal["id"], 1,
        recordation_number="X2026310000123", recordation_date=str(timezone.localdate()),
    )  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--deal-days", "14", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []


def test_licence_records_are_not_patched_directly(client_for, operator, deal):
    response = client_for(operator).patch(
        f"/api/v1/licences/{deal['licence']['id']}/", {"recordation_number": "X1"}, format="json"
    )
    assert response.status_code == 405
