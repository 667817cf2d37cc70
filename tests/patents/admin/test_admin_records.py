"""Offers, licence records and pledges in the admin: import (dry-run preview, then confirm)
and export through patents.imports.records, so the admin applies the API's rules."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from patents.models import LicenceRecord, LicensingOffer, Pledge
from tests.factories import PatentFactory, PledgeFactory

pytestmark = pytest.mark.django_db

LICENCES = (
    "licensor,licensee_name,kind,patents,term_start,term_end,recordation_number,amount_cny\n"
    "甲大学,上海某公司,exclusive,201910209152.5,2025-01-10,2030-01-09,R1,800000\n"
)
CONFLICTING = LICENCES + "甲大学,另一公司,sole,201910209152.5,2026-01-01,2027-01-01,R2,1\n"


def upload(client, model, text):
    return client.post(
        f"/admin/patents/{model}/import/",
        {
            "import_file": SimpleUploadedFile("r.csv", text.encode(), content_type="text/csv"),
            "format": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_licences_preview_as_a_dry_run_then_write_on_confirm(client, operator, patent_a):
    client.force_login(operator)
    preview = upload(client, "licencerecord", LICENCES)
    assert preview.status_code == 200
    assert not LicenceRecord.objects.exists()
    hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', preview.content.decode()))
    confirm = client.post(
        "/admin/patents/licencerecord/process_import/",
        {
            key: hidden[key]
            for key in ("import_file_name", "original_file_name", "format", "resource")
            if key in hidden
        },
    )
    assert confirm.status_code == 302
    record = LicenceRecord.objects.get()
    history = list(record.history.all())
    assert {h.history_user for h in history} == {operator}
    assert len({h.import_batch for h in history}) == 1
    assert history[0].import_batch is not None


def test_a_rule_refusing_a_row_shows_it_and_writes_nothing(client, operator, patent_a):
    client.force_login(operator)
    page = upload(client, "licencerecord", CONFLICTING).content.decode()
    assert "process_import" not in page
    assert "overlaps an existing exclusive licence" in page
    assert not LicenceRecord.objects.exists()


def test_exports_write_the_import_columns(client, operator, holder_a, patent_a):
    PledgeFactory.create(actor=operator, pledgor=holder_a, patents=[patent_a])
    client.force_login(operator)
    response = client.post("/admin/patents/pledge/export/", {"format": "0", "resource": "0"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("pledge_id,registration_number,pledgor")
    assert "5000000.00" in text
    assert Pledge.objects.count() == 1
    offers = client.post("/admin/patents/licensingoffer/export/", {"format": "0", "resource": "0"})
    assert offers.content.decode("utf-8-sig").startswith("offer_id,holder,patents")
    assert not LicensingOffer.objects.exists()


def test_operators_record_a_pledge_cancellation_from_the_changelist(client, operator, holder_a):
    patent = PatentFactory.create(
        actor=operator, application_number="201910209152.5", holders=[holder_a]
    )
    pledge = PledgeFactory.create(
        actor=operator, pledgor=holder_a, patents=[patent], secured_amount_cny=1_000_000
    )
    before = pledge.history.count()
    client.force_login(operator)
    client.post(
        "/admin/patents/pledge/", {"action": "cancel_today", "_selected_action": [pledge.pk]}
    )
    pledge = Pledge.objects.get(pk=pledge.pk)
    assert pledge.status == "cancelled"
    assert pledge.history.count() == before + 1
    latest = pledge.history.first()
    assert latest is not None
    assert latest.history_user == operator
