"""Exports answered within the request are small, anonymous ones are rate-limited on their
own, and the export function writes to any file (what a background job will call)."""

import io

import pytest
from django.core.management import call_command

from conversion_db.tabular.files import EXPORT_FORMATS, FileFormat
from patents.imports.patents import PatentImport
from patents.models import Patent
from tests.conversion_db.tabular.files import csv_file, post_file

pytestmark = pytest.mark.django_db

ROWS = [
    {"application_number": f"2019102091{n:02d}", "title": f"=专利{n}", "applicants": "甲大学"}
    for n in range(3)
]


@pytest.fixture
def three_patents(client_for, operator, holder_a):
    assert post_file(client_for(operator), "patents", csv_file(ROWS)).status_code == 201


def test_an_export_beyond_the_synchronous_limit_is_a_400_that_says_so(
    client_for, anonymous, three_patents, settings
):
    settings.EXPORT_SYNC_MAX_ROWS = 2
    response = client_for(language="en").get("/api/v1/patents/export/")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "too_many_rows"
    assert "answered at once holds at most 2 patents" in error["message"]
    settings.EXPORT_SYNC_MAX_ROWS = 3
    assert anonymous.get("/api/v1/patents/export/").status_code == 200


def test_anonymous_exports_have_their_own_stricter_rate(
    client_for, anonymous, university_a, three_patents, settings
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/min", "user": "100/min", "anon_export": "2/min"},
    }
    statuses = [anonymous.get("/api/v1/patents/export/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = anonymous.get("/api/v1/offers/export/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"
    assert anonymous.get("/api/v1/patents/").status_code == 200  # other reads go on
    member = client_for(university_a)
    assert [member.get("/api/v1/patents/export/").status_code for _ in range(3)] == [200] * 3


@pytest.mark.parametrize("file_format", EXPORT_FORMATS)
def test_an_export_written_to_a_file_imports_again_unchanged(
    three_patents, operator, tmp_path, file_format
):
    path = tmp_path / f"patents.{file_format.value}"
    with path.open("wb") as target:
        written = PatentImport.export_file(Patent.objects.order_by("id"), target, file_format)
    assert written == 3

    out = io.StringIO()
    call_command("import_patents", str(path), stdout=out)
    assert "0 patents were created, 0 updated, 3 unchanged" in out.getvalue()
    if file_format != FileFormat.JSONL:
        assert "'=专利0" in export_text(path, file_format)


def export_text(path, file_format) -> str:
    if file_format == FileFormat.CSV:
        return path.read_text(encoding="utf-8-sig")
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    return "\n".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
