"""Inquiries from an SME to a holder, replies and declines, deals recorded as licences,
open licences taken by notice and payment, and the reminders."""

import datetime
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from enterprises.models import Deal, Inquiry
from patents.models import LicenceRecord
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

INQUIRIES = "/api/v1/inquiries/"
DEALS = "/api/v1/deals/"


@pytest.fixture
def patent_a(patent_a, university_a):
    """conftest's patent_a, its holder's member reachable by e-mail (notifications)."""
    university_a.email = "tto@a.example.org"
    university_a.save()
    return patent_a


@pytest.fixture
def open_licence(university_a, operator, patent_a):
    """An open licence of patent_a, drafted by A's member and published by the operator."""
    offer = OfferFactory.create(
        patents=[patent_a], actor=university_a, reviewer=operator, status="published"
    )
    assert offer.status == "published"
    return offer


def ask(client_for, sme, **body):
    return client_for(sme).post(INQUIRIES, {"message": "请问许可条件？", **body}, format="json")


def test_an_sme_asks_about_a_patent_and_its_holder_is_told(
    client_for, sme, patent_a, holder_a, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client_for, sme, patent=patent_a.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["holder"] == {"id": holder_a.pk, "name": holder_a.name}
    assert body["status"] == "open"
    assert [m.to for m in mail.outbox] == [["tto@a.example.org"]]


def test_an_inquiry_about_an_offer_goes_to_the_offers_holder(
    client_for, sme, open_licence, patent_a
):
    body = ask(client_for, sme, offer=open_licence.pk).json()
    assert body["offer"] == open_licence.pk
    assert body["patent"]["id"] == patent_a.pk


def test_the_holder_replies_and_the_first_response_time_is_kept(
    client_for, sme, university_a, university_b, patent_a
):
    inquiry = ask(client_for, sme, patent=patent_a.pk).json()
    url = f"{INQUIRIES}{inquiry['id']}/"
    # Another holder's member sees nothing; the asking SME cannot answer its own inquiry.
    assert client_for(university_b).get(url).status_code == 404
    assert (
        client_for(sme)
        .post(f"{url}reply/", {"reply": "x", "version": 1}, format="json")
        .status_code
        == 404
    )
    Inquiry.objects.filter(pk=inquiry["id"]).update(
        created_at=timezone.now() - datetime.timedelta(hours=5)
    )
    replied = client_for(university_a).post(
        f"{url}reply/", {"reply": "欢迎洽谈。", "version": 1}, format="json"
    )
    assert replied.status_code == 200, replied.json()
    assert replied.json()["status"] == "replied"
    assert 5 * 3600 <= replied.json()["response_seconds"] < 5 * 3600 + 60
    again = client_for(university_a).post(
        f"{url}reply/", {"reply": "补充。", "version": 2}, format="json"
    )
    assert again.json()["response_seconds"] == replied.json()["response_seconds"]
    received = client_for(university_a).get(INQUIRIES, {"box": "received"}).json()["results"]
    assert [i["id"] for i in received] == [inquiry["id"]]
    assert client_for(university_a).get(INQUIRIES, {"box": "sent"}).json()["results"] == []


def test_a_decline_needs_a_structured_reason(client_for, sme, university_a, patent_a):
    inquiry = ask(client_for, sme, patent=patent_a.pk).json()
    url = f"{INQUIRIES}{inquiry['id']}/decline/"
    missing = client_for(university_a, "zh-hans").post(url, {"version": 1}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "reason"
    declined = client_for(university_a).post(
        url, {"reason": "already_licensed", "version": 1}, format="json"
    )
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "already_licensed"
    late = client_for(university_a).post(
        f"{INQUIRIES}{inquiry['id']}/reply/", {"reply": "x", "version": 2}, format="json"
    )
    assert late.status_code == 400


def test_bad_inquiries_are_refused(client_for, sme, patent_a, enterprise_t):
    assert ask(client_for, sme).status_code == 400  # nothing named
    assert ask(client_for, sme, offer=999999).json()["errors"][0]["field"] == "offer"
    assert ask(client_for, sme, patent=patent_a.pk, enterprise=enterprise_t.pk).status_code == 400
    assert not Inquiry.objects.exists()


def test_send_reminders_reminds_holders_of_unanswered_inquiries_once(
    client_for, sme, patent_a, django_capture_on_commit_callbacks
):
    inquiry = ask(client_for, sme, patent=patent_a.pk).json()
    Inquiry.objects.filter(pk=inquiry["id"]).update(
        created_at=timezone.now() - datetime.timedelta(days=4)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves on commit
        call_command("send_reminders", "--after-days", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tto@a.example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--after-days", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1  # not again within the interval
    assert Inquiry.objects.get(pk=inquiry["id"]).reminders_sent == 1


def test_the_holder_records_the_deal_as_a_licence(
    client_for, sme, university_a, patent_a, enterprise_s
):
    inquiry = ask(client_for, sme, patent=patent_a.pk).json()
    response = client_for(university_a).post(
        DEALS,
        {
            "inquiry": inquiry["id"],
            "kind": "exclusive",
            "contract_date": "2026-11-20",
            "term_start": "2026-12-01",
            "term_end": "2030-11-30",
            "amount_cny": "500000.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    deal = response.json()
    assert deal["recordation_due"] == "2027-02-20"
    assert deal["recorded"] is False
    record = LicenceRecord.objects.get(pk=deal["licence"]["id"])
    assert (record.licensee_name, record.licensee_uscc, record.kind) == (
        enterprise_s.name,
        enterprise_s.uscc,
        "exclusive",
    )
    assert Inquiry.objects.get(pk=inquiry["id"]).status == "closed"
    # The SME sees the deal; another enterprise does not.
    assert client_for(sme).get(f"{DEALS}{deal['id']}/").status_code == 200


def test_a_deal_breaking_a_licensing_rule_writes_nothing(client_for, sme, university_a, patent_a):
    first = ask(client_for, sme, patent=patent_a.pk).json()
    exclusive = {
        "kind": "exclusive",
        "contract_date": "2026-11-20",
        "term_start": "2026-12-01",
        "term_end": "2030-11-30",
    }
    assert (
        client_for(university_a)
        .post(DEALS, {**exclusive, "inquiry": first["id"]}, format="json")
        .status_code
        == 201
    )
    second = ask(client_for, sme, patent=patent_a.pk).json()
    refused = client_for(university_a, "en").post(
        DEALS, {**exclusive, "kind": "ordinary", "inquiry": second["id"]}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "conflicting_licence"
    assert Deal.objects.count() == 1
    assert LicenceRecord.objects.count() == 1


def test_only_the_addressed_holder_records_a_deal(
    client_for, sme, sme_other, university_b, patent_a
):
    inquiry = ask(client_for, sme, patent=patent_a.pk).json()
    body = {"inquiry": inquiry["id"], "kind": "ordinary", "contract_date": "2026-11-20"}
    assert client_for(university_b).post(DEALS, body, format="json").status_code == 404
    assert client_for(sme_other).post(DEALS, body, format="json").status_code == 404
    assert not Deal.objects.exists()


def test_an_open_licence_is_taken_by_notice_and_payment(
    client_for, sme, open_licence, patent_a, sme_other
):
    url = f"{DEALS}open-licence/"
    missing = client_for(sme, "zh-hans").post(
        url,
        {"offer": open_licence.pk, "notice_date": "2026-11-24", "payment_evidence": " "},
        format="json",
    )
    assert missing.status_code == 400
    assert {e["field"] for e in missing.json()["errors"]} == {"payment_evidence"}
    taken = client_for(sme).post(
        url,
        {"offer": open_licence.pk, "notice_date": "2026-11-24", "payment_evidence": "BOC-1"},
        format="json",
    )
    assert taken.status_code == 201, taken.json()
    licence = taken.json()["licence"]
    assert licence["kind"] == "ordinary"
    assert licence["under_open_licence"] is True
    assert licence["patents"] == [patent_a.pk]
    assert licence["term_end"] == "2030-12-31"
    assert taken.json()["origin"] == "open_licence"
    assert client_for(sme_other).get(f"{DEALS}{taken.json()['id']}/").status_code == 404


def test_send_reminders_reminds_both_parties_of_an_unrecorded_deal(
    client_for, sme, university_a, patent_a, django_capture_on_commit_callbacks
):
    inquiry = ask(client_for, sme, patent=patent_a.pk).json()
    contract = timezone.localdate() - datetime.timedelta(days=80)
    client_for(university_a).post(
        DEALS,
        {"inquiry": inquiry["id"], "kind": "ordinary", "contract_date": str(contract)},
        format="json",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves on commit
        call_command("send_reminders", "--deal-days", "14", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"tto@a.example.org", sme.email}


def test_a_deal_naming_an_inquiry_or_offer_it_cannot_see_is_a_404_the_schema_documents(
    client_for, sme
):
    """Found by the stateful suite (test_stateful_roles.py): both creating operations answer
    404 for an inquiry or offer the caller cannot see, which their schema did not list."""
    out = io.StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    paths = json.loads(out.getvalue())["paths"]
    client = client_for(sme, "en")
    for url, body in (
        (DEALS, {"inquiry": 999999, "kind": "ordinary", "contract_date": "2026-11-20"}),
        (
            f"{DEALS}open-licence/",
            {"offer": 999999, "notice_date": "2026-11-24", "payment_evidence": "BOC-1"},
        ),
    ):
        answer = client.post(url, body, format="json")
        assert answer.status_code == 404, url
        assert answer.json()["code"] == "not_found"
        assert "404" in paths[url]["post"]["responses"], url
    assert not Deal.objects.exists()
