"""Bulk import (CSV, XLSX, JSON Lines) and export of patents through the API.

The rules (patents.imports.patents): upsert on the natural key, all or nothing with every error by
row and column, dry run, batch id on every write, holder scoping, re-importable exports.
"""

import csv
import io
import re
from functools import partial

import pytest
from openpyxl import load_workbook

from patents.imports.patents import COLUMNS
from patents.models import Holder, Patent
from patents.register import numbers
from tests.factories import PatentFactory
from tests.support import files

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/v1/patents/import/"
EXPORT_URL = "/api/v1/patents/export/"


def canonical(number: str) -> str:
    return numbers.parse_application_number(number).canonical


ROWS = [
    {
        "application_number": "CN201910209152.5",
        "title": "一种锂离子电池正极材料及其制备方法",
        "title_en": "Cathode material for lithium-ion batteries",
        "ipc_codes": "H01M 10/0525; h01m4/131",
        "keywords": "锂离子电池|正极材料",
        "inventors": "张三;李四",
        "filing_date": "2019-03-21",
        "legal_status": "pending",
    },
    {
        "application_number": "2020 2 0123456",  # utility model; check character computed
        "title": "一种电池散热装置",
        "ipc_codes": "H01M",
        "filing_date": "2020/01/31",
        "grant_date": "2020.09.01",
        "legal_status": "有效",
        "applicants": "甲大学|丙科技有限公司",
    },
]


csv_file = partial(files.csv_file, name="patents.csv")
xlsx_file = partial(files.xlsx_file, name="patents.xlsx")
jsonl_file = partial(files.jsonl_file, name="patents.jsonl")


def post_file(client, upload, **fields):
    return client.post(IMPORT_URL, {"file": upload, **fields}, format="multipart")


def test_a_member_imports_a_csv_into_their_holder(client_for, university_a, holder_a):
    response = post_file(client_for(university_a), csv_file(ROWS))

    assert response.status_code == 201, response.json()
    report = response.json()
    assert (report["rows"], report["created"], report["updated"]) == (2, 2, 0)
    assert report["holders_created"] == 1  # 丙科技有限公司; 甲大学 is the member's holder
    first = Patent.objects.get(application_number="201910209152.5")
    assert first.ipc_codes == ["H01M 10/0525", "H01M 4/131"]
    assert first.keywords == ["锂离子电池", "正极材料"]
    assert first.inventors == ["张三", "李四"]
    assert [h.holder for h in first.holdings.all()] == [holder_a]  # no holders named: the owner
    second = Patent.objects.get(application_number=canonical("202020123456"))
    assert second.patent_type == "utility_model"
    assert second.legal_status == "in_force"
    assert str(second.grant_date) == "2020-09-01"
    new_holder = Holder.objects.get(name="丙科技有限公司")
    assert not new_holder.verified
    assert new_holder.kind == "enterprise"
    assert {str(p.import_batch) for p in Patent.objects.all()} == {report["batch"]}
    history = first.history.get()
    assert str(history.import_batch) == report["batch"]
    assert history.history_user == university_a


def test_an_invalid_row_writes_nothing_and_every_error_is_reported(
    client_for, university_a, holder_a
):
    rows = [
        ROWS[0],
        {"application_number": "201910209152.7", "title": "校验位错误"},
        {"application_number": "201910209153", "title": "", "filing_date": "21/03/2019"},
        {"publication_number": "CN109918572A", "title": "类型错误", "patent_type": "专利"},
    ]
    response = post_file(client_for(university_a, language="en"), csv_file(rows, name="a.CSV"))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_rows"
    found = {(e["row"], e["column"]) for e in body["errors"]}
    assert found == {
        (3, "application_number"),
        (4, "title"),
        (4, "filing_date"),
        (5, "patent_type"),
    }
    message = next(e["message"] for e in body["errors"] if e["column"] == "filing_date")
    assert "YYYY-MM-DD" in message
    assert body["report"]["created"] == 0
    assert not Patent.all_objects.exists()
    assert Holder.objects.count() == 1  # only holder A


def test_row_errors_are_in_chinese_by_default(client_for, university_a, holder_a):
    response = post_file(
        client_for(university_a), csv_file([{"application_number": "1", "title": "x"}])
    )
    assert response.status_code == 400
    body = response.json()
    assert "未写入" in body["message"]
    assert all(e["message"] for e in body["errors"])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_row_errors_speak_the_request_language(client_for, university_a, holder_a, language):
    """Rows are checked ahead in a helper thread; its messages are still in the language
    of the request, not the server's default."""
    rows = [
        {"application_number": "201910209153", "title": "", "filing_date": "21/03/2019"},
        {"publication_number": "CN109918572A", "title": "类型", "patent_type": "gadget"},
    ]
    response = post_file(client_for(university_a, language=language), csv_file(rows))

    assert response.status_code == 400
    messages = {e["column"]: e["message"] for e in response.json()["errors"]}
    assert set(messages) == {"title", "filing_date", "patent_type"}
    for message in messages.values():
        assert bool(re.search("[\u4e00-\u9fff]", message)) == (language == "zh-hans"), message


def test_a_dry_run_counts_and_writes_nothing(client_for, university_a, holder_a):
    response = post_file(client_for(university_a), csv_file(ROWS), dry_run="true")

    assert response.status_code == 200
    report = response.json()
    assert (report["dry_run"], report["created"], report["holders_created"]) == (True, 2, 1)
    assert not Patent.all_objects.exists()
    assert not Holder.objects.filter(name="丙科技有限公司").exists()


def test_a_second_import_updates_on_the_natural_key(client_for, university_a, holder_a):
    client = client_for(university_a)
    assert post_file(client, csv_file(ROWS)).status_code == 201
    changed = [{**ROWS[0], "application_number": "2019 1 0209152.5", "title": "新名称"}, ROWS[1]]

    response = post_file(client, csv_file(changed))

    assert response.status_code == 201, response.json()
    report = response.json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
    patent = Patent.objects.get(application_number="201910209152.5")
    assert (patent.title, patent.version) == ("新名称", 2)
    assert str(patent.history.first().import_batch) == report["batch"]
    assert Patent.objects.count() == 2


def test_a_column_absent_leaves_the_field_alone_and_an_empty_cell_clears_it(
    client_for, university_a, holder_a
):
    client = client_for(university_a)
    post_file(client, csv_file(ROWS))
    response = post_file(
        client,
        csv_file([{"application_number": "201910209152.5", "title_en": "", "legal_status": ""}]),
    )
    assert response.status_code == 201, response.json()
    patent = Patent.objects.get(application_number="201910209152.5")
    assert patent.title_en == ""  # present and empty: cleared
    assert patent.title == ROWS[0]["title"]  # absent: kept
    assert patent.legal_status == "pending"  # state columns keep their value when empty


def test_a_member_cannot_import_over_another_holders_patent(
    client_for, university_a, operator, holder_b
):
    PatentFactory.create(
        actor=operator,
        application_number="201910209152.5",
        title="乙的专利",
        bare=True,
        holders=[holder_b],
    )
    response = post_file(client_for(university_a, language="en"), csv_file([ROWS[0]]))

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["row"], error["column"]) == (2, "application_number")
    assert Patent.objects.get().title == "乙的专利"


def test_the_same_patent_twice_in_one_file_is_an_error(client_for, university_a, holder_a):
    rows = [ROWS[0], {**ROWS[0], "application_number": "CN 2019 1 0209152.5"}]
    response = post_file(client_for(university_a, language="en"), csv_file(rows))
    assert response.status_code == 400
    assert "row 2" in response.json()["errors"][0]["message"]
    assert response.json()["errors"][0]["row"] == 3


def test_an_unknown_column_is_named(client_for, university_a, holder_a):
    response = post_file(
        client_for(university_a, language="en"),
        csv_file([{"application_number": "201910209152.5", "titel": "typo"}]),
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["column"] == "titel"
    assert "titel" in error["message"]


@pytest.mark.parametrize("make_file", [xlsx_file, jsonl_file], ids=["xlsx_file", "jsonl_file"])
def test_xlsx_and_json_lines_import_like_csv(client_for, university_a, holder_a, make_file):
    response = post_file(client_for(university_a), make_file(ROWS))
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 2
    assert Patent.objects.get(application_number="201910209152.5").ipc_codes[0] == "H01M 10/0525"


def test_a_gb18030_csv_from_excel_is_read(client_for, university_a, holder_a):
    response = post_file(client_for(university_a), csv_file(ROWS, encoding="gb18030"))
    assert response.status_code == 201, response.json()
    assert Patent.objects.filter(title=ROWS[0]["title"]).exists()


def test_who_may_import(anonymous, client_for, sme):
    assert post_file(anonymous, csv_file(ROWS)).status_code == 401
    assert post_file(client_for(sme), csv_file(ROWS)).status_code == 403
    assert not Patent.all_objects.exists()


def test_an_operator_imports_with_holders_named_in_the_rows(client_for, operator, holder_a):
    response = post_file(client_for(operator), csv_file(ROWS))
    assert response.status_code == 201, response.json()
    second = Patent.objects.get(application_number=canonical("202020123456"))
    assert [h.holder.name for h in second.holdings.all()] == ["甲大学", "丙科技有限公司"]
    assert next(h.holder for h in second.holdings.all()) == holder_a


def test_too_many_rows_for_the_api(client_for, university_a, holder_a, settings):
    settings.IMPORT_MAX_ROWS = 1
    response = post_file(client_for(university_a), csv_file(ROWS))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_rows"
    assert not Patent.all_objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_again_unchanged(client_for, anonymous, operator, holder_a, file_format):
    assert post_file(client_for(operator), csv_file(ROWS)).status_code == 201
    exported = anonymous.get(EXPORT_URL, {"file_format": file_format})
    assert exported.status_code == 200
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    upload = io.BytesIO(content)
    upload.name = f"export.{file_format}"

    report = post_file(client_for(operator), upload).json()

    assert (report["rows"], report["created"], report["updated"], report["unchanged"]) == (
        2,
        0,
        0,
        2,
    )


def test_the_export_has_the_import_columns_and_the_list_filters(
    anonymous, client_for, university_a, holder_a
):
    post_file(client_for(university_a), csv_file(ROWS))
    response = anonymous.get(EXPORT_URL, {"ipc": "H01M 10/0525"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert [row["application_number"] for row in rows] == ["201910209152.5"]
    assert rows[0]["ipc_codes"] == "H01M 10/0525|H01M 4/131"
    assert rows[0]["current_holders"] == "甲大学"
    assert response["Content-Disposition"].startswith('attachment; filename="patents-')


def test_the_xlsx_export_is_a_workbook(anonymous, client_for, operator, holder_a):
    post_file(client_for(operator), csv_file(ROWS))
    response = anonymous.get(EXPORT_URL, {"file_format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert sheet.max_row == 3


def test_export_queries_do_not_grow_with_rows(
    anonymous, client_for, operator, holder_a, django_assert_max_num_queries
):
    rows = [
        {"application_number": f"2019102091{n:02d}", "title": f"专利{n}", "applicants": "甲大学"}
        for n in range(30)
    ]
    assert post_file(client_for(operator), csv_file(rows)).status_code == 201
    with django_assert_max_num_queries(6):
        response = anonymous.get(EXPORT_URL)
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 31


def test_an_export_too_large_is_refused(anonymous, client_for, operator, holder_a, settings):
    post_file(client_for(operator), csv_file(ROWS))
    settings.EXPORT_MAX_ROWS = 1
    response = anonymous.get(EXPORT_URL)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_rows"


@pytest.mark.parametrize("make_file", [csv_file, jsonl_file], ids=["csv_file", "jsonl_file"])
def test_a_nul_character_in_a_cell_is_a_row_error_not_a_server_error(
    client_for, university_a, holder_a, make_file
):
    """PostgreSQL cannot store U+0000 in text: the import names the cell instead of failing."""
    rows = [{**ROWS[0], "title": "一种锂离子\x00电池"}]
    response = post_file(client_for(university_a, "en"), make_file(rows))
    assert response.status_code == 400, response.content[:300]
    errors = response.json()["errors"]
    first_row = 2 if make_file is csv_file else 1  # CSV counts its header line
    assert {(e["row"], e["column"]) for e in errors} == {(first_row, "title")}
    assert "U+0000" in errors[0]["message"]
    assert not Patent.objects.exists()
