"""Exports are safe to open in a spreadsheet, and still import again unchanged.

A cell a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) is written with a quote in front in every CSV and XLSX export, XLSX cells are text,
and the import removes exactly that quote (conversion_db/tabular/formulas.py).
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from patents.models import LicensingOffer, Patent
from tests.conversion_db.tabular.files import csv_file, export, jsonl_file, named, post_file

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Titles a holder could register, each with a first character a spreadsheet acts on, and
# values that legitimately start with one: a negative temperature, a dash, a telephone.
TITLES = {
    "201910209152.5": '=HYPERLINK("http://x","y")',
    "201910209153.X": "=cmd|' /C calc'!A0",
    "201910209154.4": "-40℃低温锂离子电池",
    "201910209155.9": "+5V稳压电源电路",
    "201910209156.3": "@某某智能门锁",
    "201910209157.8": "-",
    "201910209158.2": "'=1+1 写法专利",  # a quote really in the title, before a trigger
    "201910209159.7": "'s-Hertogenbosch 的电池",  # a quote before ordinary text
}


def patent_rows():
    return [
        {
            "application_number": number,
            "title": title,
            "keywords": "-20℃|+电池|正极" if number.endswith("5") else "电池",
            "abstract": "-本发明公开了一种电池。\n第二段。",
            "applicants": "甲大学",
            "filing_date": "2019-03-21",
        }
        for number, title in TITLES.items()
    ]


def cells_of(content: bytes, file_format: str) -> list[list[str]]:
    if file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type in ("s", "inlineStr", "n"), cell.coordinate  # never "f"
            assert cell.value is None or isinstance(cell.value, str)
    return [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]


def assert_nothing_runs(table: list[list[str]]) -> None:
    for row in table:
        for value in row:
            assert not value.startswith(TRIGGERS), value


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_anonymous_patent_exports_neutralise_formulas_and_import_again_unchanged(
    client_for, anonymous, operator, holder_a, file_format
):
    operator_client = client_for(operator, "en")
    # JSON Lines stores every title as written (a CSV's leading quote means "text").
    assert post_file(operator_client, "patents", jsonl_file(patent_rows())).status_code == 201
    assert Patent.objects.get(application_number="201910209158.2").title == TITLES["201910209158.2"]
    before = {p.application_number: (p.title, p.keywords, p.abstract) for p in Patent.objects.all()}

    content = export(anonymous, "patents", file_format=file_format)

    table = cells_of(content, file_format)
    assert_nothing_runs(table)
    titles = {row[0]: row[table[0].index("title")] for row in table[1:]}
    assert titles["201910209152.5"] == '\'=HYPERLINK("http://x","y")'
    assert titles["201910209154.4"] == "'-40℃低温锂离子电池"
    assert titles["201910209157.8"] == "'-"
    assert titles["201910209158.2"] == "''=1+1 写法专利"
    assert titles["201910209159.7"] == "'s-Hertogenbosch 的电池"  # nothing to neutralise

    again = post_file(operator_client, "patents", named(content, f"export.{file_format}"))
    assert again.status_code == 201, again.json()
    assert (again.json()["unchanged"], again.json()["updated"]) == (len(TITLES), 0)
    after = {p.application_number: (p.title, p.keywords, p.abstract) for p in Patent.objects.all()}
    assert after == before
    assert after["201910209152.5"][1] == ["-20℃", "+电池", "正极"]


def test_a_spreadsheet_edit_of_a_neutralised_export_imports_as_edited(
    client_for, operator, holder_a
):
    client = client_for(operator, "en")
    post_file(client, "patents", jsonl_file(patent_rows()))
    text = export(client, "patents").decode("utf-8-sig")
    edited = text.replace("'-40℃低温锂离子电池", "'-45℃低温锂离子电池")

    response = post_file(client, "patents", named(edited.encode(), "edited.csv"))

    assert response.json()["updated"] == 1
    assert Patent.objects.get(application_number="201910209154.4").title == "-45℃低温锂离子电池"


def test_the_import_removes_only_the_quote_an_export_adds(client_for, operator, holder_a):
    rows = [
        {"application_number": "201910209152.5", "title": "'普通标题"},  # no trigger after it
        {"application_number": "201910209153.X", "title": "'-写的是 -"},  # the export's quote
    ]
    client = client_for(operator, "en")
    assert post_file(client, "patents", csv_file(rows)).status_code == 201
    assert Patent.objects.get(application_number="201910209152.5").title == "'普通标题"
    assert Patent.objects.get(application_number="201910209153.X").title == "-写的是 -"

    # JSON Lines is not a spreadsheet format: nothing is removed.
    rows = [{"application_number": "201910209155.9", "title": "'-原样保存"}]
    assert post_file(client, "patents", jsonl_file(rows)).status_code == 201
    assert Patent.objects.get(application_number="201910209155.9").title == "'-原样保存"


OFFER = {
    "patents": "CN201910209152.5",
    "offer_type": "ordinary",
    "pricing_mode": "lump_sum",
    "lump_sum_cny": "120000",
    "term_start": "2026-01-01",
    "term_end": "2030-12-31",
    "title": '=HYPERLINK("http://x","点击")',
    "description": "-低温性能：-40℃\n@联系人",
    "territory": "-",
    "contact_phone": "+86 21 5555 0000",
    "contact_email": "tto@example.edu.cn",
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_offer_exports_neutralise_formulas_and_import_again_unchanged(
    client_for, university_a, patent_a, file_format
):
    client = client_for(university_a, "en")
    created = post_file(client, "offers", csv_file([OFFER]))
    assert created.status_code == 201, created.json()

    content = export(client, "offers", file_format=file_format)

    table = cells_of(content, file_format)
    assert_nothing_runs(table)
    row = dict(zip(table[0], table[1], strict=True))
    assert row["contact_phone"] == "'+86 21 5555 0000"  # the holder sees its private columns
    assert row["title"].startswith("'=HYPERLINK")
    again = post_file(client, "offers", named(content, f"offers.{file_format}"))
    assert again.status_code == 201, again.json()
    assert (again.json()["unchanged"], again.json()["updated"]) == (1, 0)
    offer = LicensingOffer.objects.get()
    assert (offer.contact_phone, offer.territory) == ("+86 21 5555 0000", "-")
    assert offer.description == "-低温性能：-40℃\n@联系人"


def test_the_admin_export_is_neutralised_too(client, operator, holder_a, client_for):
    post_file(client_for(operator), "patents", jsonl_file(patent_rows()))
    client.force_login(operator)
    response = client.post("/admin/patents/patent/export/", {"format": "0", "resource": "0"})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == len(TITLES) + 1
    assert_nothing_runs(table)


def test_an_xlsx_export_of_a_control_character_is_not_a_server_error(
    client_for, anonymous, operator, holder_a
):
    rows = [{"application_number": "201910209152.5", "title": "一种\x01电池\x08材料"}]
    assert post_file(client_for(operator), "patents", jsonl_file(rows)).status_code == 201
    for file_format in ("xlsx", "csv"):
        content = export(anonymous, "patents", file_format=file_format)
        table = cells_of(content, file_format)
        assert table[1][table[0].index("title")] == (
            "一种电池材料" if file_format == "xlsx" else "一种\x01电池\x08材料"
        )
