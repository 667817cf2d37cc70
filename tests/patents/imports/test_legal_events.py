"""Legal-status event files (patents.imports.events; docs/domain/legal-status-events.md):
real-shaped rows of the register and the platforms' exports change statuses, holders,
licences and pledges through the services' rules; a second import is all unchanged; a
bad row names its row and column and nothing is written. Through the API and the command."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from patents.models import (
    EventType,
    Holding,
    LegalStatusEvent,
    LicenceKind,
    LicenceRecord,
    Patent,
    Pledge,
    PledgeStatus,
)
from tests.factories import PatentFactory
from tests.support.files import named

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/v1/legal-events/import/"
HEADERS = ["申请号", "法律状态公告日", "法律状态", "法律状态信息", "质押金额", "债务履行期限届满日"]
# One patent's register entries, oldest first, as CNIPA's records word them.
ROWS = [
    ["201910209152.5", "2021.06.01", "授权", "", "", ""],
    [
        "ZL201910209152.5",
        "2022.03.10",
        "专利实施许可合同备案的生效",
        "IPC(主分类)：H01M 10/0525 合同备案号：X2022310000123 让与人：甲大学 "
        "受让人：上海某电池有限公司 发明名称：一种锂离子电池正极材料 许可种类：独占许可",
        "",
        "",
    ],
    [
        "201910209152.5",
        "2023/5/10",
        "专利权质押合同登记的生效",
        "登记号：Y2023310000456 出质人：甲大学 质权人：上海银行股份有限公司",
        "5,000,000",
        "2026-05-09",
    ],
    [
        "201910209152.5",
        "20240103",
        "专利权的转移",
        "变更事项：专利权人 变更前权利人：甲大学 变更后权利人：上海某电池有限公司；乙研究所",
        "",
        "",
    ],
    [
        "201910209152.5",
        "2025.06.10",
        "专利权质押合同登记的注销",
        "专利权质押合同登记的注销质押合同登记号：Y2023310000456",
        "",
        "",
    ],
    ["201910209152.5", "2025.08.01", "未缴年费专利权终止", "", "", ""],
]


def csv_file(rows=ROWS, headers=HEADERS, name="法律状态.csv") -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(rows)
    return named(text.getvalue().encode("utf-8-sig"), name)


def xlsx_file(rows=ROWS, headers=HEADERS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    sheet["B2"] = datetime.datetime(2021, 6, 1)  # a date cell, as exports often write it
    upload = io.BytesIO()
    workbook.save(upload)
    return named(upload.getvalue(), "incopat-法律状态.xlsx")


def post(client, upload, **fields):
    return client.post(IMPORT_URL, {"file": upload, **fields}, format="multipart")


def test_an_event_file_changes_status_holders_licences_and_pledges_through_the_rules(
    client_for, operator, patent_a, holder_a
):
    dry = post(client_for(operator), xlsx_file(), dry_run=True)
    assert dry.status_code == 200, dry.json()
    assert dry.json()["event_types"] == {
        "grant": 1, "lapse": 1, "licence_recorded": 1, "pledge_cancelled": 1,
        "pledge_registered": 1, "transfer": 1,
    }  # fmt: skip
    assert {"header": "法律状态信息", "column": "details"} in dry.json()["columns"]
    assert not LegalStatusEvent.objects.exists()
    assert Patent.objects.get(pk=patent_a.pk).version == 1

    response = post(client_for(operator), csv_file())
    assert response.status_code == 201, response.json()
    assert (response.json()["created"], response.json()["unchanged"]) == (6, 0)
    batch = response.json()["batch"]

    patent = Patent.objects.get(pk=patent_a.pk)
    assert (patent.legal_status, patent.legal_status_date) == (
        "lapsed",
        datetime.date(2025, 8, 1),
    )
    assert patent.legal_status_source == "未缴年费专利权终止"  # the wording kept
    current = patent.holdings.filter(role=Holding.Role.CURRENT).order_by("order")
    assert [h.holder.name for h in current] == ["上海某电池有限公司", "乙研究所"]
    assert {h.since for h in current} == {datetime.date(2024, 1, 3)}
    assert [h.holder for h in patent.holdings.filter(role=Holding.Role.APPLICANT)] == [holder_a]

    licence = LicenceRecord.objects.get(kind=LicenceKind.EXCLUSIVE)
    assert (licence.licensor, licence.licensee_name, licence.recordation_number) == (
        holder_a,
        "上海某电池有限公司",
        "X2022310000123",
    )
    assignment = LicenceRecord.objects.get(kind=LicenceKind.ASSIGNMENT)
    assert assignment.recordation_date == datetime.date(2024, 1, 3)
    pledge = Pledge.objects.get()
    assert (pledge.pledgee_name, pledge.secured_amount_cny, pledge.status) == (
        "上海银行股份有限公司",
        5_000_000,
        PledgeStatus.CANCELLED,
    )
    assert pledge.cancellation_date == datetime.date(2025, 6, 10)

    events = list(LegalStatusEvent.objects.order_by("event_date"))
    assert [e.event_type for e in events] == [
        EventType.GRANT, EventType.LICENCE_RECORDED, EventType.PLEDGE_REGISTERED,
        EventType.TRANSFER, EventType.PLEDGE_CANCELLED, EventType.LAPSE,
    ]  # fmt: skip
    assert events[3].source_words == "专利权的转移"
    assert events[3].licence_record == assignment
    assert {str(e.import_batch) for e in events} == {batch}
    # The history of the holdings' change carries the import's batch.
    holding = patent.holdings.get(holder__name="乙研究所")
    assert str(holding.history.first().import_batch) == batch

    # The same file again: every row unchanged, nothing written.
    versions = (Patent.objects.get(pk=patent_a.pk).version, Pledge.objects.get().version)
    again = post(client_for(operator), csv_file())
    assert again.status_code == 201, again.json()
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 6)
    assert (Patent.objects.get(pk=patent_a.pk).version, Pledge.objects.get().version) == versions
    assert LegalStatusEvent.objects.count() == 6
    assert LicenceRecord.objects.count() == 2


def test_bad_rows_name_their_row_and_column_and_nothing_is_written(client_for, operator, patent_a):
    rows = [
        ["201910209152.5", "2021.06.01", "授权", "", "", ""],  # valid, but not written
        ["201810000001.4", "2022.01.01", "授权", "", "", ""],  # no such patent
        ["201910209152.5", "2022.01.01", "专利权的出售", "", "", ""],  # unknown event word
        ["201910209152.5", "2018.01.01", "权利恢复", "", "", ""],  # before the filing date
        ["201910209152.5", "2023.01.01", "专利权的转移", "变更事项：地址", "", ""],  # no new holder
        ["201910209152.5", "2023.02.01", "专利权质押合同登记的生效", "质权人：某银行", "", ""],
    ]
    response = post(client_for(operator, language="en"), csv_file(rows))
    assert response.status_code == 400
    errors = {(e["row"], e["column"]) for e in response.json()["errors"]}
    assert errors == {
        (3, "patent_number"),
        (4, "event"),
        (5, "event_date"),
        (6, "new_holders"),
        (7, "amount_cny"),
        (7, "debt_end"),
    }
    assert not LegalStatusEvent.objects.exists()
    assert Patent.objects.get(pk=patent_a.pk).version == 1

    zh = post(client_for(operator, language="zh-hans"), csv_file(rows))
    messages = {(e["row"], e["column"]): e["message"] for e in zh.json()["errors"]}
    assert "申请日" in messages[(5, "event_date")]


def test_an_event_that_breaks_a_rule_is_a_row_error(client_for, operator, holder_a):
    pending = PatentFactory.create(actor=operator, pending=True, holders=[holder_a])
    rows = [
        [pending.application_number, "2023.02.01", "专利权质押合同登记的生效",
         "登记号：Y1 出质人：甲大学 质权人：某银行", "100000", "2026-01-01"],
    ]  # fmt: skip
    response = post(client_for(operator, language="en"), csv_file(rows))
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["row"], error["column"]) == (2, "patent_number")
    assert not Pledge.objects.exists()


def test_the_patent_shows_its_events_newest_first(
    anonymous, client_for, operator, patent_a, django_assert_max_num_queries
):
    post(client_for(operator), csv_file())
    detail = anonymous.get(f"/api/v1/patents/{patent_a.pk}/").json()
    assert [e["event_type"] for e in detail["recent_events"]] == [
        "lapse", "pledge_cancelled", "transfer", "pledge_registered", "licence_recorded",
    ]  # fmt: skip
    pledge_event = detail["recent_events"][3]
    assert "amount_cny" not in pledge_event["details"]  # amounts: operators only
    with django_assert_max_num_queries(2):  # the patent (else 404); its events page (+1 row)
        page = anonymous.get(f"/api/v1/patents/{patent_a.pk}/events/?page_size=4").json()
    assert [e["source_words"] for e in page["results"]][:2] == [
        "未缴年费专利权终止",
        "专利权质押合同登记的注销",
    ]
    rest = anonymous.get(page["next"]).json()
    assert [e["event_type"] for e in rest["results"]] == ["licence_recorded", "grant"]
    assert anonymous.get(f"/api/v1/patents/{patent_a.pk}/events/?x=1").status_code == 400
    assert anonymous.get("/api/v1/patents/999999/events/").status_code == 404
    listed = anonymous.get("/api/v1/legal-events/?event_type=transfer").json()["results"]
    assert [e["patent"] for e in listed] == [patent_a.pk]
    operator_view = client_for(operator).get("/api/v1/legal-events/?event_type=pledge_registered")
    assert operator_view.json()["results"][0]["details"]["amount_cny"] == "5000000"


def test_the_command_imports_json_lines_and_reports_the_types(tmp_path, operator, patent_a):
    path = tmp_path / "events.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(row, ensure_ascii=False)
            for row in [
                {"patent_number": "CN201910209152.5", "event_date": "2021-06-01", "event": "grant"},
                {"patent_number": "201910209152.5", "event_date": "2024-01-03",
                 "event": "权利转移", "new_holders": ["上海某电池有限公司"]},
            ]
        ),
        encoding="utf-8",
    )  # fmt: skip
    out = io.StringIO()
    call_command("import_legal_events", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "event transfer: 1" in out.getvalue()
    assert not LegalStatusEvent.objects.exists()
    call_command("import_legal_events", str(path), "--user", "operator", stdout=io.StringIO())
    patent = Patent.objects.get(pk=patent_a.pk)
    assert [h.holder.name for h in patent.holdings.filter(role="current")] == ["上海某电池有限公司"]
    out = io.StringIO()
    call_command("import_legal_events", str(path), stdout=out)
    assert "0 legal-events were created, 0 updated, 2 unchanged" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "专利号,法律状态公告日,法律状态\n201910209152.5,2024-01-04,卖掉了\n", encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_legal_events", str(bad), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("row 2, event:")


def test_an_export_of_the_events_imports_again_unchanged(client_for, operator, patent_a):
    post(client_for(operator), csv_file())
    exported = client_for(operator).get("/api/v1/legal-events/export/?file_format=csv")
    assert exported.status_code == 200
    content = b"".join(exported.streaming_content)
    assert "未缴年费专利权终止".encode() in content
    again = post(client_for(operator), named(content, "events.csv"))
    assert again.status_code == 201, again.json()
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 6)


def test_the_admin_imports_and_lists_the_events_read_only(client, operator, patent_a):
    client.force_login(operator)
    upload = SimpleUploadedFile("events.csv", csv_file().getvalue(), content_type="text/csv")
    preview = client.post(
        "/admin/patents/legalstatusevent/import/",
        {"import_file": upload, "format": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert preview.status_code == 200
    assert not LegalStatusEvent.objects.exists()  # the preview is a dry run
    hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', preview.content.decode()))
    confirm = client.post(
        "/admin/patents/legalstatusevent/process_import/",
        {
            key: hidden[key]
            for key in ("import_file_name", "original_file_name", "format", "resource")
            if key in hidden
        },
    )
    assert confirm.status_code == 302
    assert LegalStatusEvent.objects.count() == 6
    listed = client.get("/admin/patents/legalstatusevent/?event_type__exact=transfer")
    assert listed.status_code == 200
    assert "专利权的转移" in listed.content.decode()
    page = client.get(f"/admin/patents/patent/{patent_a.pk}/change/")
    assert "未缴年费专利权终止" in page.content.decode()


def test_an_older_event_is_stored_without_turning_back_the_status(client_for, operator, patent_a):
    rows = [
        ["201910209152.5", "2019.09.01", "实质审查的生效", "", "", ""],  # before the grant
        ["201910209152.5", "2025.08.01", "未缴年费专利权终止", "", "", ""],
        ["201910209152.5", "2024.02.01", "专利权的恢复", "", "", ""],  # older than the lapse
    ]
    response = post(client_for(operator), csv_file(rows))
    assert response.status_code == 201, response.json()
    patent = Patent.objects.get(pk=patent_a.pk)
    assert (patent.legal_status, patent.legal_status_date) == ("lapsed", datetime.date(2025, 8, 1))
    effects = list(LegalStatusEvent.objects.order_by("event_date").values_list("effect", flat=True))
    assert effects == ["status_kept", "status_kept", "status_changed"]
