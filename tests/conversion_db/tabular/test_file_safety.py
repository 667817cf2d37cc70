"""Files that cost what they should: size, rows, cells, zip bombs and encodings.

Every limit is an error in the API's JSON shape (a 413 for size, a 400 naming the row
and column otherwise), nothing is written, and no file is a 500
(conversion_db/tabular/limits.py, encodings.py, conversion_db/api/uploads.py).
"""

import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from patents.models import Patent
from tests.conversion_db.tabular.files import (
    csv_file,
    csv_text,
    errors_of,
    jsonl_file,
    named,
    post_file,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/v1/patents/import/"
ROW = {"application_number": "201910209152.5", "title": "一种锂离子电池正极材料"}
SECOND = {"application_number": "201910209153.X", "title": "一种电池", "filing_date": "2019-13-01"}


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise AssertionError("the body was read")


# --- Size ------------------------------------------------------------------------------------
def test_an_upload_declaring_more_than_the_limit_is_refused_before_it_is_read(
    client_for, university_a, settings
):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    response = client_for(university_a, "en").generic(
        "POST",
        IMPORT_URL,
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    body = response.json()
    assert (body["status"], body["code"]) == (413, "too_large")
    assert "1 MB" in body["message"]


def test_a_file_over_the_limit_is_a_413_and_nothing_is_written(client_for, university_a, settings):
    settings.IMPORT_MAX_BYTES = 2048
    rows = [{**ROW, "abstract": "电池" * 1000}]
    response = post_file(client_for(university_a, "zh-hans"), "patents", csv_file(rows))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "2048 bytes" in response.json()["message"]
    assert not Patent.all_objects.exists()


def test_a_json_body_over_the_request_limit_is_a_413(client_for, university_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = client_for(university_a, "en").post(
        "/api/v1/patents/", {"title": "x" * 10_000}, format="json"
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"


def test_the_admin_refuses_an_oversized_upload_too(client, operator, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(operator)
    response = client.generic(
        "POST",
        "/admin/patents/patent/import/",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413


def test_the_import_command_has_no_size_limit(operator, settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 1024
    path = tmp_path / "patents.csv"
    path.write_text(csv_text([{**ROW, "abstract": "电池" * 1000}]), encoding="utf-8")
    call_command("import_patents", str(path), stdout=io.StringIO())
    assert Patent.objects.filter(application_number="201910209152.5").exists()


# --- XLSX: zip bombs and empty rows -----------------------------------------------------------
def bomb(sheet_bytes: int) -> io.BytesIO:
    """A real workbook whose sheet is padded with ``sheet_bytes`` of white space inside a cell:
    a few kilobytes packed, far more unpacked."""
    plain = xlsx_file([ROW])
    source = zipfile.ZipFile(plain)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b" " * sheet_bytes + b"</worksheet>")
            target.writestr(item.filename, data)
    return named(packed.getvalue(), "bomb.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_opened(client_for, university_a):
    upload = bomb(50 * 1024 * 1024)
    assert len(upload.getvalue()) < 200 * 1024
    response = post_file(client_for(university_a, "en"), "patents", upload)
    assert response.status_code == 400
    assert errors_of(response) == {(1, None, "xlsx_suspicious")}
    assert "xl/worksheets/sheet1.xml" in response.json()["errors"][0]["message"]
    assert not Patent.all_objects.exists()


def test_a_workbook_unpacking_beyond_the_limit_is_refused(client_for, university_a, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 4096
    response = post_file(client_for(university_a, "en"), "patents", xlsx_file([ROW]))
    assert response.status_code == 400
    assert errors_of(response) == {(1, None, "xlsx_too_large")}


def test_empty_rows_count_against_the_row_limit(client_for, university_a, settings):
    """A sheet with a row at 1,048,576 makes the reader produce every row before it."""
    settings.IMPORT_MAX_ROWS = 1000
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(ROW))
    sheet.append(list(ROW.values()))
    sheet.cell(row=1_048_576, column=1, value="201910209153.X")
    content = io.BytesIO()
    workbook.save(content)

    response = post_file(
        client_for(university_a, "en"), "patents", named(content.getvalue(), "empty.xlsx")
    )

    assert response.status_code == 400
    assert errors_of(response) == {(1, None, "too_many_rows")}
    assert "empty rows count too" in response.json()["errors"][0]["message"]


def test_blank_csv_lines_count_against_the_row_limit(client_for, university_a, settings):
    settings.IMPORT_MAX_ROWS = 3
    text = csv_text([ROW]) + "\r\n" * 3
    response = post_file(client_for(university_a), "patents", named(text.encode(), "p.csv"))
    assert errors_of(response) == {(1, None, "too_many_rows")}


# --- One cell ---------------------------------------------------------------------------------
@pytest.mark.parametrize("make_file", [csv_file, xlsx_file, jsonl_file])
def test_a_cell_over_the_limit_is_an_error_of_that_cell(
    client_for, university_a, settings, make_file
):
    settings.IMPORT_MAX_CELL_CHARS = 1000
    rows = [{**ROW, "abstract": "长" * 1001}, SECOND]
    response = post_file(client_for(university_a, "en"), "patents", make_file(rows))
    assert response.status_code == 400, response.content[:300]
    first, second = (2, 3) if make_file is not jsonl_file else (1, 2)
    assert errors_of(response) == {
        (first, "abstract", "invalid"),
        (second, "filing_date", "invalid"),  # the rest of the file is still checked
    }
    assert "more than 1000 characters" in response.json()["errors"][0]["message"]
    assert not Patent.all_objects.exists()


def test_a_csv_cell_beyond_the_csv_modules_own_limit_is_a_400_not_a_500(client_for, university_a):
    rows = [ROW, {**SECOND, "abstract": "长" * 200_000, "filing_date": ""}]
    response = post_file(client_for(university_a, "en"), "patents", csv_file(rows))
    assert response.status_code == 400, response.content[:300]
    assert errors_of(response) == {(3, None, "cell_too_long")}
    assert not Patent.all_objects.exists()


def test_a_line_longer_than_any_row_is_refused_without_reading_it_whole(
    client_for, university_a, settings
):
    settings.IMPORT_MAX_CELL_CHARS = 1000
    settings.IMPORT_SYNC_MAX_BYTES = 10_000_000  # read in the request (a larger file is a job)
    text = csv_text([ROW]) + "x" * 5_000_000 + "\n"
    response = post_file(client_for(university_a, "en"), "patents", named(text.encode(), "a.csv"))
    assert response.status_code == 400
    assert errors_of(response) == {(3, None, "line_too_long")}


# --- Encodings --------------------------------------------------------------------------------
JAPANESE = [
    {"application_number": "201910209152.5", "title": "リチウムイオン電池用正極材料の製造方法"},
    {"application_number": "201910209153.X", "title": "半導体装置およびその製造方法"},
]
TRADITIONAL = [
    {"application_number": "201910209152.5", "title": "一種鋰離子電池正極材料及其製備方法"}
]
KOREAN = [
    {"application_number": "201910209152.5", "title": "리튬 이온 전지용 양극 재료의 제조 방법"}
]


@pytest.mark.parametrize(
    ("rows", "encoding", "named_as"),
    [
        (JAPANESE, "shift_jis", "Shift_JIS"),
        (JAPANESE, "euc_jp", "EUC-JP"),
        (TRADITIONAL, "big5", "Big5"),
        (KOREAN, "euc_kr", "EUC-KR"),
        (JAPANESE, "utf-16", "UTF-16"),
    ],
)
def test_a_file_neither_utf8_nor_gb18030_is_refused_naming_its_encoding(
    client_for, university_a, rows, encoding, named_as
):
    response = post_file(client_for(university_a, "en"), "patents", csv_file(rows, encoding))
    assert response.status_code == 400
    assert errors_of(response) == {(1, None, "encoding")}
    assert named_as in response.json()["errors"][0]["message"]
    assert not Patent.all_objects.exists()


def test_gb18030_with_only_a_few_chinese_characters_is_still_read(
    client_for, university_a, holder_a
):
    rows = [
        {"application_number": f"2019102091{n:02d}", "title": f"Battery {n}", "applicants": "ACME"}
        for n in range(40)
    ]
    rows[7]["applicants"] = "甲大学"
    response = post_file(client_for(university_a), "patents", csv_file(rows, "gb18030"))
    assert response.status_code == 201, response.json()
    assert Patent.objects.count() == 40
    applicant = Patent.objects.get(holdings__holder=holder_a, holdings__role="applicant")
    assert applicant.title == "Battery 7"


def test_json_lines_in_gb18030_are_read_too(client_for, university_a):
    content = jsonl_file([ROW]).getvalue().decode().encode("gb18030")
    response = post_file(client_for(university_a), "patents", named(content, "p.jsonl"))
    assert response.status_code == 201, response.json()
    assert Patent.objects.get().title == ROW["title"]


# --- The admin's Import -----------------------------------------------------------------------
def admin_upload(client, upload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/admin/patents/patent/import/",
        {"import_file": SimpleUploadedFile("p.xlsx", upload.getvalue()), "format": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_admin_previews_an_xlsx_and_refuses_a_zip_bomb_on_the_form(client, operator):
    client.force_login(operator)
    preview = admin_upload(client, xlsx_file([ROW]))
    assert preview.status_code == 200
    assert "confirm" in preview.content.decode().lower()
    assert not Patent.all_objects.exists()  # a dry run

    refused = admin_upload(client, bomb(50 * 1024 * 1024))
    assert refused.status_code == 200
    assert "which no spreadsheet does" in refused.content.decode().replace("&#x27;", "'")
