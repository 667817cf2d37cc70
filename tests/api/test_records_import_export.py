"""Bulk import and export of offers, licence records and pledges through the API.

The rules (patents.imports.records): every row through the offers and records services,
so the rules of docs/domain/ apply to imported rows; all or nothing with every error by row, column
and message; dry run; re-importable exports that leak no private column.
"""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from patents.imports.offers import OFFER_COLUMNS
from patents.imports.registrations import LICENCE_COLUMNS, PLEDGE_COLUMNS
from patents.models import LicenceRecord, LicensingOffer, OfferStatus, Pledge
from patents.register import services
from patents.register.services import HoldingInput, PatentInput

pytestmark = pytest.mark.django_db


def make_patent(actor, holder, number, *, granted=True, title="一种锂离子电池正极材料"):
    values = {
        "application_number": number,
        "title": title,
        "filing_date": datetime.date(2019, 3, 21),
        "legal_status": "in_force" if granted else "pending",
    }
    if granted:
        values["grant_date"] = datetime.date(2021, 6, 1)
    return services.patent_create(
        actor=actor, data=PatentInput(values=values, holdings=[HoldingInput(holder)])
    )


@pytest.fixture
def patent_a(operator, holder_a):
    return make_patent(operator, holder_a, "201910209152.5")


@pytest.fixture
def pending_a(operator, holder_a):
    return make_patent(operator, holder_a, "202010123456.2", granted=False, title="一种电池")


@pytest.fixture
def patent_b(operator, holder_b):
    return make_patent(operator, holder_b, "201810000001.4", title="一种催化剂")


def csv_file(rows: list[dict], name: str = "records.csv") -> io.BytesIO:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    upload = io.BytesIO(text.getvalue().encode("utf-8"))
    upload.name = name
    return upload


def xlsx_file(rows: list[dict]) -> io.BytesIO:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "records.xlsx"
    return upload


def jsonl_file(rows: list[dict]) -> io.BytesIO:
    upload = io.BytesIO("\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode())
    upload.name = "records.jsonl"
    return upload


def upload(client, kind: str, file, **data):
    return client.post(f"/api/v1/{kind}/import/", {"file": file, **data}, format="multipart")


def exported(client, kind: str, **params) -> bytes:
    response = client.get(f"/api/v1/{kind}/export/", params)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def as_upload(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def errors_of(response) -> set[tuple[int, str | None]]:
    return {(e["row"], e["column"]) for e in response.json()["errors"]}


OFFER = {
    "patents": "CN201910209152.5",
    "offer_type": "ordinary",
    "pricing_mode": "lump_sum",
    "lump_sum_cny": "120000",
    "term_start": "2026-01-01",
    "term_end": "2030-12-31",
    "title": "锂电池正极材料专利普通许可",
    "contact_email": "tto@example.edu.cn",
}


# --- Offers -----------------------------------------------------------------------------------
def test_offers_import_as_drafts_and_the_export_imports_again_unchanged(
    client_for, university_a, patent_a, pending_a
):
    client = client_for(university_a, language="en")
    response = upload(
        client,
        "offers",
        csv_file(
            [
                OFFER,
                {**OFFER, "patents": "2019 1 0209152.5|ZL202010123456.2", "offer_type": "独占实施许可",
                 "title": "组合许可", "lump_sum_cny": ""},
            ]
        ),
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in ("rows", "created", "updated", "unchanged")} == {
        "rows": 2, "created": 2, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    portfolio = LicensingOffer.objects.get(title="组合许可")
    assert portfolio.offer_type == "exclusive"
    assert portfolio.status == OfferStatus.DRAFT
    assert [i.patent_id for i in portfolio.items.order_by("order")] == [patent_a.pk, pending_a.pk]
    history = portfolio.history.first()
    assert history.import_batch is not None
    assert str(history.import_batch) == response.json()["batch"]

    content = exported(client, "offers")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert list(rows[0]) == list(OFFER_COLUMNS)
    assert {r["contact_email"] for r in rows} == {"tto@example.edu.cn"}
    again = upload(client, "offers", as_upload(content, "offers.csv"))
    assert again.status_code == 201, again.json()
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (
        0,
        0,
        2,
    )

    changed = content.decode("utf-8-sig").replace("锂电池正极材料专利普通许可", "新标题")
    updated = upload(client, "offers", as_upload(changed.encode(), "offers.csv"))
    assert (updated.json()["updated"], updated.json()["unchanged"]) == (1, 1)
    assert LicensingOffer.objects.filter(title="新标题").count() == 1


def test_an_invalid_row_anywhere_writes_nothing_and_every_error_is_reported(
    client_for, university_a, patent_a, pending_a
):
    rows = [
        OFFER,
        {**OFFER, "term_end": "31/12/2030"},
        {**OFFER, "patents": "CN201999999999.9"},
        # an open licence submitted for review: the eligibility rules run on import
        {**OFFER, "patents": "202010123456.2", "offer_type": "open_licence", "submit": "true"},
        {**OFFER, "term_end": "2060-01-01"},
    ]
    response = upload(client_for(university_a, language="en"), "offers", csv_file(rows))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert {(3, "term_end"), (4, "patents"), (5, "patents"), (6, "term_end")} <= errors_of(response)
    messages = {(e["row"], e["column"]): e["message"] for e in body["errors"]}
    assert "Only a granted patent can be declared for open licensing." in messages[(5, "patents")]
    assert messages[(5, "patents")].startswith("202010123456")
    assert "expires" in messages[(6, "term_end")]
    assert body["report"]["created"] == 0
    assert not LicensingOffer.objects.exists()


def test_a_dry_run_counts_and_writes_nothing(client_for, university_a, patent_a):
    response = upload(client_for(university_a), "offers", csv_file([OFFER]), dry_run="true")
    assert response.status_code == 200, response.json()
    assert response.json()["dry_run"] is True
    assert response.json()["created"] == 1
    assert not LicensingOffer.objects.exists()


def test_a_submitted_row_goes_to_review(client_for, university_a, patent_a):
    response = upload(client_for(university_a), "offers", jsonl_file([{**OFFER, "submit": True}]))
    assert response.status_code == 201, response.json()
    assert LicensingOffer.objects.get().status == OfferStatus.PENDING_REVIEW


def test_offer_import_permissions(
    client_for, anonymous, sme, university_a, university_b, operator, holder_a, patent_a, patent_b
):
    assert upload(anonymous, "offers", csv_file([OFFER])).status_code in (401, 403)
    assert upload(client_for(sme), "offers", csv_file([OFFER])).status_code == 403
    # Another holder's member: not their patent, and not their holder.
    other = upload(
        client_for(university_b, language="en"),
        "offers",
        csv_file([OFFER, {**OFFER, "patents": "201810000001.4", "holder": "甲大学"}]),
    )
    assert other.status_code == 400
    assert errors_of(other) == {(2, "patents"), (3, "holder")}
    # Operators name the holder on each row.
    no_holder = upload(client_for(operator, language="en"), "offers", csv_file([OFFER]))
    assert errors_of(no_holder) == {(2, "holder")}
    done = upload(client_for(operator), "offers", csv_file([{**OFFER, "holder": str(holder_a.pk)}]))
    assert done.status_code == 201, done.json()
    offer = LicensingOffer.objects.get()
    assert offer.holder_id == holder_a.pk
    # Another holder's member cannot change it by id.
    refused = upload(
        client_for(university_b), "offers", csv_file([{**OFFER, "offer_id": offer.pk}])
    )
    assert errors_of(refused) == {(2, "offer_id")}


def test_a_published_offer_is_not_changed_by_import(client_for, university_a, operator, patent_a):
    client = client_for(university_a, language="en")
    upload(client, "offers", csv_file([{**OFFER, "submit": "true"}]))
    offer = LicensingOffer.objects.get()
    reviewed = client_for(operator).post(
        f"/api/v1/offers/{offer.pk}/review/", {"approve": True, "version": 2}, format="json"
    )
    assert reviewed.status_code == 200, reviewed.json()
    response = upload(client, "offers", csv_file([{**OFFER, "offer_id": offer.pk, "title": "改"}]))
    assert response.status_code == 400
    assert [(e["column"], e["message"]) for e in response.json()["errors"]] == [
        ("status", "Only a draft can be changed; this offer is published.")
    ]


def test_public_offer_exports_hide_contacts(
    client_for, university_a, operator, anonymous, patent_a
):
    upload(client_for(university_a), "offers", csv_file([{**OFFER, "submit": "true"}]))
    offer = LicensingOffer.objects.get()
    client_for(operator).post(
        f"/api/v1/offers/{offer.pk}/review/", {"approve": True, "version": 2}, format="json"
    )
    rows = list(csv.DictReader(io.StringIO(exported(anonymous, "offers").decode("utf-8-sig"))))
    assert [r["offer_id"] for r in rows] == [str(offer.pk)]
    assert rows[0]["contact_email"] == ""
    assert rows[0]["lump_sum_cny"] == "120000.00"


# --- Licence records --------------------------------------------------------------------------
LICENCE = {
    "licensee_name": "上海某新能源有限公司",
    "kind": "exclusive",
    "patents": "CN201910209152.5",
    "term_start": "2025-01-10",
    "term_end": "2030-01-09",
    "contract_date": "2025-01-10",
    "recordation_number": "2025310000123",
    "recordation_date": "2025-02-11",
    "amount_cny": "800000.00",
}


def test_licences_round_trip_and_the_public_export_has_no_amounts(
    client_for, university_a, anonymous, patent_a
):
    client = client_for(university_a)
    response = upload(client, "licences", csv_file([LICENCE]))
    assert response.status_code == 201, response.json()
    record = LicenceRecord.objects.get()
    assert record.amount_cny == 800000
    assert record.licensor.name == "甲大学"
    assert list(record.patents.all()) == [patent_a]

    own = exported(client, "licences")
    rows = list(csv.DictReader(io.StringIO(own.decode("utf-8-sig"))))
    assert list(rows[0]) == list(LICENCE_COLUMNS)
    assert rows[0]["amount_cny"] == "800000.00"
    public = exported(anonymous, "licences")
    assert b"800000" not in public
    for content in (own, public):
        again = upload(client, "licences", as_upload(content, "licences.csv"))
        assert again.status_code == 201, again.json()
        assert (again.json()["created"], again.json()["unchanged"]) == (0, 1)
    assert LicenceRecord.objects.count() == 1


def test_an_exclusive_licence_overlapping_another_is_a_row_error(
    client_for, university_a, patent_a
):
    rows = [
        LICENCE,
        {**LICENCE, "recordation_number": "2025310000124", "licensee_name": "另一公司"},
    ]
    response = upload(client_for(university_a, language="en"), "licences", csv_file(rows))
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (3, "patents")
    assert "overlaps an existing exclusive licence" in error["message"]
    assert not LicenceRecord.objects.exists()


def test_a_recorded_licence_is_not_changed_by_import(client_for, university_a, patent_a):
    client = client_for(university_a, language="en")
    upload(client, "licences", csv_file([LICENCE]))
    response = upload(client, "licences", csv_file([{**LICENCE, "amount_cny": "900000"}]))
    assert response.status_code == 400
    assert errors_of(response) == {(2, "amount_cny")}
    assert LicenceRecord.objects.get().amount_cny == 800000


def test_licence_import_permissions(client_for, anonymous, sme, university_b, patent_a):
    assert upload(anonymous, "licences", csv_file([LICENCE])).status_code in (401, 403)
    assert upload(client_for(sme), "licences", csv_file([LICENCE])).status_code == 403
    other = upload(client_for(university_b, language="en"), "licences", csv_file([LICENCE]))
    assert other.status_code == 400
    assert "The licensor is not the patentee of record." in other.json()["errors"][0]["message"]


# --- Pledges ----------------------------------------------------------------------------------
PLEDGE = {
    "registration_number": "Y2025310000456",
    "pledgee_name": "上海银行",
    "patents": "201910209152.5",
    "secured_amount_cny": "5000000",
    "registration_date": "2025-05-01",
    "debt_end": "2028-05-01",
}


def test_pledges_from_xlsx_and_a_second_active_pledge_is_a_row_error(
    client_for, university_a, patent_a
):
    client = client_for(university_a, language="en")
    second = {**PLEDGE, "registration_number": "Y2025310000457", "pledgee_name": "某银行"}
    refused = upload(client, "pledges", xlsx_file([PLEDGE, second]))
    assert refused.status_code == 400
    [error] = refused.json()["errors"]
    assert (error["row"], error["column"]) == (3, "patents")
    assert "already pledged" in error["message"]
    assert not Pledge.objects.exists()
    done = upload(client, "pledges", xlsx_file([PLEDGE]))
    assert done.status_code == 201, done.json()
    workbook = load_workbook(
        io.BytesIO(client.get("/api/v1/pledges/export/", {"file_format": "xlsx"}).content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == list(PLEDGE_COLUMNS)
    assert rows[1][PLEDGE_COLUMNS.index("secured_amount_cny")] == "5000000.00"


def test_pledges_jsonl_round_trip_and_dry_run(client_for, university_a, anonymous, patent_a):
    client = client_for(university_a)
    dry = upload(client, "pledges", jsonl_file([PLEDGE]), dry_run="true")
    assert dry.status_code == 200
    assert dry.json()["created"] == 1
    assert not Pledge.objects.exists()
    assert upload(client, "pledges", jsonl_file([PLEDGE])).status_code == 201
    content = exported(client, "pledges", file_format="jsonl")
    assert json.loads(content.splitlines()[0])["secured_amount_cny"] == "5000000.00"
    public = exported(anonymous, "pledges", file_format="jsonl")
    assert json.loads(public.splitlines()[0])["secured_amount_cny"] == ""
    again = upload(client, "pledges", as_upload(content, "pledges.jsonl"))
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 1)


def test_file_level_errors(client_for, university_a, patent_a):
    response = upload(
        client_for(university_a, language="en"), "pledges", csv_file([{**PLEDGE, "colour": "red"}])
    )
    assert response.status_code == 400
    assert errors_of(response) == {(1, "colour")}


# --- Query counts -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["offers", "licences", "pledges"])
def test_export_queries_do_not_grow_with_rows(kind, client_for, operator, holder_a):
    client = client_for(operator)
    patents = [make_patent(operator, holder_a, f"20191020{n:04d}") for n in range(6)]
    counts = []
    for n, patent in enumerate(patents):
        if kind == "offers":
            row = {**OFFER, "holder": holder_a.pk, "patents": patent.application_number}
        elif kind == "licences":
            row = {**LICENCE, "licensor": holder_a.pk, "patents": patent.application_number,
                   "recordation_number": f"R{n}"}  # fmt: skip
        else:
            row = {**PLEDGE, "pledgor": holder_a.pk, "patents": patent.application_number,
                   "registration_number": f"P{n}"}  # fmt: skip
        assert upload(client, kind, csv_file([row])).status_code == 201
        if n in (0, 5):
            with CaptureQueriesContext(connection) as queries:
                content = exported(client, kind)
            assert len(content.decode("utf-8-sig").strip().splitlines()) == n + 2
            counts.append(len(queries))
    # the count under the cap, the rows with their holder, their patents (+ auth, savepoints)
    assert counts[0] == counts[1] <= 8


def test_a_nul_character_in_an_offer_cell_is_a_row_error(client_for, university_a, holder_a):
    body = "offer_type,title,patents\nordinary,开放\x00许可,201910209152.5\n".encode()
    upload = io.BytesIO(body)
    upload.name = "offers.csv"
    response = client_for(university_a, "en").post(
        "/api/v1/offers/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 400, response.content[:300]
    assert ("title", 2) in {(e["column"], e["row"]) for e in response.json()["errors"]}
