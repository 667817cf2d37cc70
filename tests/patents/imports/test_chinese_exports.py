"""Files exported from the patent office's search system and the platforms (incoPat,
PatSnap, SooPAT, Innojoy) import as they are: Chinese headers, old .xls workbooks,
full-width digits, several values in a cell, IPC editions, the platforms' status words
(patents.imports.patents; docs/importing-exports.md). Through the API and the command."""

import csv
import datetime
import io
import pathlib
import re
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from patents.models import Patent
from tests.patents.imports.exports import COLUMN_MAPPING, HEADERS, IGNORED, ROWS
from tests.support.files import named

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/v1/patents/import/"
XLS = pathlib.Path(__file__).parent / "fixtures" / "platform-export.xls"


def csv_export(headers=HEADERS, rows=ROWS, encoding="utf-8-sig") -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return named(text.getvalue().encode(encoding), "专利检索导出.csv")


def xlsx_export() -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in ROWS:
        sheet.append(row)
    sheet["C2"] = datetime.datetime(2019, 3, 21)  # a date cell, as exports often write it
    sheet["G3"] = 44075  # a date cell that lost its format: the serial number
    upload = io.BytesIO()
    workbook.save(upload)
    return named(upload.getvalue(), "incopat.xlsx")


def xls_export() -> io.BytesIO:
    return named(XLS.read_bytes(), "patsnap.xls")


EXPORTS: dict[str, Callable[[], io.BytesIO]] = {
    "csv": csv_export,
    "xlsx": xlsx_export,
    "xls": xls_export,
}


def post(client, upload, **fields):
    return client.post(IMPORT_URL, {"file": upload, **fields}, format="multipart")


def holders(patent: Patent, role: str) -> list[str]:
    return [h.holder.name for h in patent.holdings.order_by("order", "id") if h.role == role]


def assert_imported_as_the_platform_meant() -> None:
    first = Patent.objects.get(application_number="201910209152.5")
    assert first.patent_type == "invention"
    assert first.filing_date == datetime.date(2019, 3, 21)
    assert first.publication_number == "CN109888888A"
    assert first.publication_date == datetime.date(2019, 6, 14)
    assert first.grant_number == "CN109888888B"
    assert first.grant_date == datetime.date(2021, 3, 5)
    assert first.ipc_codes == ["H01M 10/0525", "H01M 4/131"]  # editions dropped
    assert first.inventors == ["张三", "李四", "王五"]
    assert first.abstract == "本发明公开了一种正极材料，循环寿命≥２０００次。"  # text is not folded
    assert (first.legal_status, first.legal_status_source) == ("in_force", "有效")
    assert holders(first, "applicant") == ["甲大学", "丙科技有限公司"]
    assert holders(first, "current") == ["甲大学"]

    second = Patent.objects.get(application_number="202020123456.8")
    assert second.patent_type == "utility_model"
    assert second.filing_date == datetime.date(2020, 1, 31)
    assert second.grant_date == datetime.date(2020, 9, 1)  # serial 44075
    assert second.ipc_codes == ["H01M 10/613"]
    assert second.inventors == ["赵六", "孙七"]  # a line break separates
    assert second.abstract == "-40℃低温散热"  # the export's formula quote removed
    assert (second.legal_status, second.legal_status_source) == ("lapsed", "未缴年费")
    assert holders(second, "current") == ["丙科技有限公司", "丁研究所"]

    third = Patent.objects.get(application_number="202210456789.6")
    assert third.filing_date == datetime.date(2022, 5, 10)  # full-width digits and dashes
    assert third.ipc_codes == ["H01M 10/0562", "H01M 10/052"]
    assert (third.legal_status, third.legal_status_source) == ("pending", "审中")


@pytest.mark.parametrize("file_format", list(EXPORTS))
def test_a_platform_export_imports_through_the_api_and_again_unchanged(
    client_for, operator, file_format
):
    client = client_for(operator, language="en")

    response = post(client, EXPORTS[file_format]())

    assert response.status_code == 201, response.json()
    report = response.json()
    assert (report["rows"], report["created"], report["holders_created"]) == (3, 3, 3)
    assert report["columns"] == COLUMN_MAPPING
    assert report["ignored_columns"] == IGNORED
    assert_imported_as_the_platform_meant()
    lapsed = Patent.objects.get(application_number="202020123456.8")
    detail = client.get(f"/api/v1/patents/{lapsed.pk}/").json()
    assert (detail["legal_status"], detail["legal_status_source"]) == ("lapsed", "未缴年费")

    again = post(client, EXPORTS[file_format]())
    assert again.status_code == 201, again.json()
    assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (
        0,
        0,
        3,
    )


def test_a_dry_run_reports_the_column_mapping_and_writes_nothing(client_for, operator):
    response = post(client_for(operator), xls_export(), dry_run="true")

    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 3
    assert response.json()["columns"] == COLUMN_MAPPING
    assert response.json()["ignored_columns"] == IGNORED
    assert not Patent.all_objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Unknown column “申请号码x”; did you mean"),
        ("zh-hans", "未知列“申请号码x”；您是否指的是"),
    ],
)
def test_an_unknown_header_is_named_with_the_closest_accepted_names(
    client_for, operator, language, expected
):
    headers = [*HEADERS[:1], "申请号码x", *HEADERS[2:]]

    response = post(client_for(operator, language=language), csv_export(headers=headers))

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["row"], error["column"], error["code"]) == (1, "申请号码x", "unknown_column")
    assert error["message"].startswith(expected)
    assert "“申请号码”" in error["message"]
    assert "“申请号”" in error["message"]
    assert not Patent.all_objects.exists()


def test_an_xls_cell_is_checked_like_any_other(client_for, operator, settings):
    settings.IMPORT_MAX_CELL_CHARS = 10  # the abstract of row 2 is longer

    response = post(client_for(operator, language="en"), xls_export())

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} >= {(2, "abstract"), (2, "title")}
    assert not Patent.all_objects.exists()


def test_an_xls_over_the_upload_limits_is_refused(client_for, operator, settings):
    settings.IMPORT_MAX_ROWS = 2

    response = post(client_for(operator, language="en"), xls_export())

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_rows"


def test_a_file_that_is_not_a_workbook_is_refused_as_xls(client_for, operator):
    response = post(client_for(operator, language="en"), named(b"not a workbook", "x.xls"))

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_xls"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_patents", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_an_xls_and_its_dry_run_prints_the_mapping(tmp_path):
    out, _err = run(XLS, "--dry-run")
    assert "column 申请号 -> application_number" in out
    assert "column IPC 分类号 -> ipc_codes" in out
    assert "column 申请人地址 ignored" in out
    assert "3 patents would be created" in out
    assert not Patent.all_objects.exists()

    out, _err = run(XLS)
    assert "3 patents were created" in out
    assert_imported_as_the_platform_meant()

    path = tmp_path / "export.csv"
    path.write_bytes(csv_export().getvalue())
    out, _err = run(path)
    assert "0 patents were created, 0 updated, 3 unchanged" in out


def test_the_command_names_an_unknown_header(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_export(headers=[*HEADERS[:7], "发明名", *HEADERS[8:]]).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import_patents", str(path), stdout=io.StringIO(), stderr=err)
    assert "发明名" in err.getvalue()
    assert "“发明名称”" in err.getvalue()


def test_the_admin_imports_an_xls_export_after_its_preview(client, operator):
    """The admin's Import offers XLS (format 2: CSV, XLSX, XLS), previews as a dry run and
    writes on confirmation, reading the headers as the API does."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(operator)
    preview = client.post(
        "/admin/patents/patent/import/",
        {
            "import_file": SimpleUploadedFile(
                "patsnap.xls", XLS.read_bytes(), content_type="application/vnd.ms-excel"
            ),
            "format": "2",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert preview.status_code == 200
    assert not Patent.all_objects.exists()
    page = preview.content.decode()
    assert "process_import" in page
    hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
    confirm = client.post(
        "/admin/patents/patent/process_import/",
        {
            key: hidden[key]
            for key in ("import_file_name", "original_file_name", "format", "resource")
            if key in hidden
        },
    )
    assert confirm.status_code == 302
    assert_imported_as_the_platform_meant()
