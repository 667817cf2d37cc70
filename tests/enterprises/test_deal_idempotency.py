"""Data that is not lost or doubled: one inquiry leads to at most one live deal, and a
creating request repeated with the same Idempotency-Key creates once and answers as the
first time did (``conversion_db.api.idempotency``)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from conversion_db.models import IdempotencyKey
from enterprises.models import Deal, Inquiry
from patents.models import LicenceRecord

pytestmark = pytest.mark.django_db

DEALS = "/api/v1/deals/"


@pytest.fixture
def inquiry(client_for, sme, patent_a):
    response = client_for(sme).post(
        "/api/v1/inquiries/", {"message": "许可条件？", "patent": patent_a.pk}, format="json"
    )
    return response.json()


def deal_body(inquiry, **extra):
    return {
        "inquiry": inquiry["id"],
        "kind": "ordinary",
        "contract_date": str(timezone.localdate()),
        "amount_cny": "300000",
        **extra,
    }


def test_a_repeated_request_with_its_key_creates_once_and_answers_the_same(
    client_for, university_a, inquiry
):
    client = client_for(university_a)
    first = client.post(DEALS, deal_body(inquiry), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.json()
    again = client.post(DEALS, deal_body(inquiry), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["ETag"] == first["ETag"]
    assert "Idempotent-Replayed" not in first
    assert Deal.objects.count() == 1
    assert LicenceRecord.objects.count() == 1
    assert Deal.objects.get().history.count() == 1


def test_the_same_key_with_another_body_is_422_and_writes_nothing(
    client_for, university_a, inquiry
):
    client = client_for(university_a, "en")
    client.post(DEALS, deal_body(inquiry), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    reused = client.post(
        DEALS, deal_body(inquiry, kind="sole"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    zh = client_for(university_a, "zh-hans").post(
        DEALS, deal_body(inquiry, kind="sole"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert zh.json()["message"] == "此幂等键已用于另一个请求；新的请求请使用新的键。"
    assert Deal.objects.count() == 1
    assert LicenceRecord.objects.get().kind == "ordinary"


def test_a_second_deal_for_one_inquiry_is_a_409(client_for, university_a, operator, inquiry):
    assert client_for(university_a).post(DEALS, deal_body(inquiry), format="json").status_code == (
        201
    )
    for user in (university_a, operator):
        again = client_for(user, "en").post(DEALS, deal_body(inquiry), format="json")
        assert again.status_code == 409
        body = again.json()
        assert body["code"] == "conflict"
        assert [(e["field"], e["code"]) for e in body["errors"]] == [("inquiry", "deal_exists")]
        assert "already recorded for this inquiry" in body["errors"][0]["message"]
    assert Deal.objects.count() == 1
    assert LicenceRecord.objects.count() == 1


def test_the_database_refuses_a_second_live_deal_for_an_inquiry(client_for, university_a, inquiry):
    from django.db import IntegrityError, transaction

    client_for(university_a).post(DEALS, deal_body(inquiry), format="json")
    deal = Deal.objects.get()
    clone = Deal.objects.get(pk=deal.pk)
    clone.pk = None
    clone.licence_record = LicenceRecord.objects.create(
        licensor=deal.holder, licensee_name="x", kind="ordinary"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_a_refused_request_is_not_kept_under_its_key(client_for, university_a, inquiry):
    client = client_for(university_a)
    refused = client.post(
        DEALS, deal_body(inquiry, kind="nonsense"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    created = client.post(
        DEALS, deal_body(inquiry, kind="ordinary"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert created.status_code == 201


def test_keys_are_per_user_and_operation(client_for, sme, sme_other, patent_a):
    body = {"message": "许可条件？", "patent": patent_a.pk}
    for user in (sme, sme_other):
        response = client_for(user).post(
            "/api/v1/inquiries/", body, format="json", HTTP_IDEMPOTENCY_KEY="same"
        )
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response
    assert Inquiry.objects.count() == 2


def test_an_unusable_key_is_a_400(client_for, sme, patent_a):
    body = {"message": "许可条件？", "patent": patent_a.pk}
    for key in ("x" * 201, "带中文"):
        response = client_for(sme, "en").post(
            "/api/v1/inquiries/", body, format="json", HTTP_IDEMPOTENCY_KEY=key
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not Inquiry.objects.exists()


def test_expired_keys_count_as_new_and_the_command_deletes_them(client_for, sme, patent_a):
    body = {"message": "许可条件？", "patent": patent_a.pk}
    client = client_for(sme)
    client.post("/api/v1/inquiries/", body, format="json", HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    again = client.post("/api/v1/inquiries/", body, format="json", HTTP_IDEMPOTENCY_KEY="old")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Inquiry.objects.count() == 2
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("expire_idempotency_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not IdempotencyKey.objects.exists()


def test_taking_an_open_licence_with_another_enterprises_match_is_a_400(
    client_for, sme, sme_other, university_a, operator, patent_a
):
    from enterprises.models import Match, TechnologyDemand

    offer = (
        client_for(university_a)
        .post(
            "/api/v1/offers/",
            {
                "offer_type": "open_licence",
                "title": "开放许可",
                "pricing_mode": "royalty_net_sales",
                "royalty_rate": "3.00",
                "term_start": "2026-01-01",
                "term_end": "2030-12-31",
                "patents": [patent_a.pk],
            },
            format="json",
        )
        .json()
    )
    client_for(university_a).post(
        f"/api/v1/offers/{offer['id']}/submit/", {"version": 1}, format="json"
    )
    client_for(operator).post(
        f"/api/v1/offers/{offer['id']}/review/", {"approve": True, "version": 2}, format="json"
    )
    other_demand = TechnologyDemand.objects.create(
        enterprise=sme_other.enterprise_memberships.get().enterprise, title="别家的需求"
    )
    others = Match.objects.create(demand=other_demand, patent=patent_a, score=50, explanation={})
    response = client_for(sme, "en").post(
        f"{DEALS}open-licence/",
        {
            "offer": offer["id"],
            "notice_date": str(timezone.localdate()),
            "payment_evidence": "BOC-1",
            "match": others.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("match", "unknown_match")
    ]
    assert not Deal.objects.exists()


def test_the_migration_retires_duplicate_deals_with_history(client_for, university_a, inquiry):
    client_for(university_a).post(DEALS, deal_body(inquiry), format="json")
    first = Deal.objects.get()
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("DROP INDEX deal_one_per_inquiry")
    duplicates = []
    for n in range(2):
        record = LicenceRecord.objects.create(
            licensor=first.holder, licensee_name=f"重复{n}", kind="ordinary"
        )
        duplicates.append(
            Deal.objects.create(
                enterprise=first.enterprise,
                holder=first.holder,
                origin=first.origin,
                inquiry=first.inquiry,
                licence_record=record,
                recordation_due=first.recordation_due,
            )
        )
    migration = importlib.import_module("enterprises.migrations.0003_one_live_deal_per_inquiry")
    migration.retire_duplicate_deals(apps, None)
    assert list(Deal.objects.values_list("pk", flat=True)) == [first.pk]
    assert LicenceRecord.objects.count() == 1
    for deal in duplicates:
        retired = Deal.all_objects.get(pk=deal.pk)
        assert retired.deleted_at is not None
        assert retired.version == deal.version + 1
        row = retired.history.order_by("-history_id").first()
        assert row.history_change_reason.startswith(f"duplicate deal of inquiry {inquiry['id']}")
        assert LicenceRecord.all_objects.get(pk=deal.licence_record_id).deleted_at is not None
