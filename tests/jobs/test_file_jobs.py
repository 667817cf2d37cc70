"""Heavy file work leaves the request: an export above EXPORT_SYNC_MAX_ROWS (or asked with
``Prefer: respond-async``) and an import of a file above IMPORT_SYNC_MAX_BYTES answer 202
with a job, the real worker runs it (tests/support/jobs.py), its requester polls it at
/api/v1/jobs/{id}/ and downloads the file; nobody else sees it; files expire."""

from __future__ import annotations

import csv
import datetime
import io
import os

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from notifications.models import Recipient
from patents.filejobs import storage
from patents.filejobs.services import file_job_run, job_files_expire
from patents.models import FileJob, Patent
from tests.conversion_db.tabular.files import csv_file, post_file
from tests.factories import UserFactory
from tests.support.api import ListEndpointContract
from tests.support.jobs import jobs, run_jobs

pytestmark = pytest.mark.django_db

ROWS = [
    {"application_number": f"2019102091{n:02d}", "title": f"专利{n}", "applicants": "甲大学"}
    for n in range(4)
]
ROWS[0]["title"] = '=HYPERLINK("http://x","y")'  # a formula: neutralised in the file


@pytest.fixture(autouse=True)
def job_files(settings, tmp_path):
    settings.FILE_JOBS_DIR = tmp_path / "jobs"
    return settings.FILE_JOBS_DIR


@pytest.fixture
def four_patents(client_for, operator, holder_a):
    assert post_file(client_for(operator), "patents", csv_file(ROWS)).status_code == 201


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def download(client, job_id: int):
    response = client.get(f"/api/v1/jobs/{job_id}/download/")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def test_an_export_above_the_limit_becomes_a_job_whose_file_downloads_with_its_rows(
    client_for, university_a, four_patents, settings
):
    settings.EXPORT_SYNC_MAX_ROWS = 3
    member = client_for(university_a, "en")

    asked = member.get("/api/v1/patents/export/", {"ordering": "-filing_date"})

    assert asked.status_code == 202, asked.content[:300]
    job = asked.json()
    assert asked["Location"].endswith(f"/api/v1/jobs/{job['id']}/")
    assert (job["kind"], job["target"], job["status"], job["download"]) == (
        "export",
        "patents",
        "queued",
        None,
    )
    assert job["query"] == {"ordering": ["-filing_date"]}
    assert [j.task_name for j in jobs()] == ["patents.run_file_job"]

    run_jobs()

    polled = member.get(f"/api/v1/jobs/{job['id']}/").json()
    assert polled["status"] == "succeeded", polled
    assert (polled["rows_total"], polled["rows_done"]) == (4, 4)
    assert polled["download"].endswith(f"/api/v1/jobs/{job['id']}/download/")
    assert polled["expires_at"]
    response, content = download(member, job["id"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="patents-')
    rows = csv_rows(content)
    assert sorted(row["application_number"] for row in rows) == sorted(
        str(number) for number in Patent.objects.values_list("application_number", flat=True)
    )
    assert {row["title"] for row in rows} >= {'\'=HYPERLINK("http://x","y")'}
    [told] = Recipient.objects.filter(user=university_a, notification__kind="file_job_finished")
    assert told.notification.title_en == "Your export of 4 patents is ready"
    assert [j.status for j in jobs()] == ["succeeded"]


def test_prefer_respond_async_makes_a_job_of_a_small_xlsx_export(
    client_for, operator, four_patents
):
    client = client_for(operator)
    asked = client.get(
        "/api/v1/patents/export/", {"file_format": "xlsx"}, HTTP_PREFER="respond-async"
    )
    assert asked.status_code == 202
    assert asked["Preference-Applied"] == "respond-async"

    run_jobs()

    response, content = download(client, asked.json()["id"])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + 4
    assert '\'=HYPERLINK("http://x","y")' in {cell for row in values for cell in row}


def test_a_small_export_stays_within_the_request(client_for, university_a, four_patents):
    response = client_for(university_a).get("/api/v1/patents/export/")
    assert response.status_code == 200
    assert len(csv_rows(b"".join(response.streaming_content))) == 4
    assert not FileJob.objects.exists()


def test_an_anonymous_export_above_the_limit_is_told_to_sign_in(client_for, four_patents, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 3
    response = client_for(language="en").get("/api/v1/patents/export/")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["code"] == "too_many_rows"
    assert "Sign in to export more" in error["message"]
    assert not FileJob.objects.exists()


def test_another_user_can_neither_poll_nor_download_a_job_but_an_operator_can(
    client_for, university_a, university_b, operator, four_patents, settings
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    job_id = client_for(university_a).get("/api/v1/patents/export/").json()["id"]
    run_jobs()

    other = client_for(university_b)
    assert other.get(f"/api/v1/jobs/{job_id}/").status_code == 404
    assert download(other, job_id)[0].status_code == 404
    assert job_id not in [job["id"] for job in other.get("/api/v1/jobs/").json()["results"]]
    assert client_for().get(f"/api/v1/jobs/{job_id}/").status_code == 401
    assert client_for(operator).get(f"/api/v1/jobs/{job_id}/").status_code == 200
    assert download(client_for(operator), job_id)[0].status_code == 200


def test_an_export_beyond_the_maximum_fails_with_its_reason_and_has_nothing_to_download(
    client_for, university_a, four_patents, settings
):
    settings.EXPORT_SYNC_MAX_ROWS = 1
    settings.EXPORT_MAX_ROWS = 3
    member = client_for(university_a, "en")
    job_id = member.get("/api/v1/patents/export/").json()["id"]

    run_jobs()

    job = member.get(f"/api/v1/jobs/{job_id}/").json()
    assert job["status"] == "failed"
    assert job["error"] == "An export holds at most 3 records; narrow the search."
    assert job["download"] is None
    response, _content = download(member, job_id)
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    [told] = Recipient.objects.filter(user=university_a, notification__kind="file_job_finished")
    assert told.notification.title_en == "Your export of patents failed"


def test_an_error_is_recorded_then_retried_and_the_last_attempt_fails_the_job(
    client_for, university_a, four_patents
):
    job_id = (
        client_for(university_a)
        .get("/api/v1/patents/export/", HTTP_PREFER="respond-async")
        .json()["id"]
    )

    def broken(job):
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        file_job_run(job_id, select=broken, final_attempt=False)
    job = FileJob.objects.get(pk=job_id)
    assert (job.status, job.error, job.attempts) == ("queued", "RuntimeError: the disk is full", 1)

    with pytest.raises(RuntimeError):
        file_job_run(job_id, select=broken, final_attempt=True)
    job = FileJob.objects.get(pk=job_id)
    assert (job.status, job.error, job.attempts) == ("failed", "RuntimeError: the disk is full", 2)
    assert job.finished_at is not None
    assert not job.result_file


def test_a_user_with_jobs_waiting_is_told_to_wait(client_for, university_a, four_patents, settings):
    settings.FILE_JOBS_PER_USER = 2
    member = client_for(university_a, "en")
    statuses = [
        member.get("/api/v1/patents/export/", HTTP_PREFER="respond-async").status_code
        for _ in range(3)
    ]
    assert statuses == [202, 202, 409]
    assert FileJob.objects.count() == 2


# --- Imports -----------------------------------------------------------------------------------
def test_a_large_import_runs_in_the_background_and_reports(
    client_for, university_a, holder_a, settings
):
    settings.IMPORT_SYNC_MAX_BYTES = 10
    member = client_for(university_a, "en")

    asked = post_file(member, "patents", csv_file(ROWS))

    assert asked.status_code == 202, asked.content[:300]
    job_id = asked.json()["id"]
    assert asked.json()["file_name"] == "file.csv"
    assert asked.json()["dry_run"] is False
    assert not Patent.objects.exists()
    stored = FileJob.objects.get(pk=job_id).upload
    assert storage.path_of(stored).exists()

    run_jobs()

    job = member.get(f"/api/v1/jobs/{job_id}/").json()
    assert job["status"] == "succeeded", job
    report = job["report"]
    assert (report["rows"], report["created"], report["error_count"]) == (4, 4, 0)
    assert Patent.objects.count() == 4
    assert not storage.path_of(stored).exists()  # the upload is gone once imported
    assert FileJob.objects.get(pk=job_id).upload == ""


def test_a_background_import_with_a_bad_row_writes_nothing_and_reports_the_row(
    client_for, university_a, holder_a, settings
):
    settings.IMPORT_SYNC_MAX_BYTES = 10
    member = client_for(university_a, "en")
    rows = [*ROWS, {"application_number": "not a number", "title": "坏行", "applicants": "甲大学"}]

    job_id = post_file(member, "patents", csv_file(rows)).json()["id"]
    run_jobs()

    job = member.get(f"/api/v1/jobs/{job_id}/").json()
    assert job["status"] == "failed"
    assert job["error"] == "1 errors in the file; nothing was written."
    assert job["report"]["created"] == 0
    assert [(e["row"], e["column"]) for e in job["report"]["errors"]] == [(6, "application_number")]
    assert not Patent.objects.exists()  # all or nothing


def test_a_large_file_that_cannot_be_read_is_refused_at_once(
    client_for, university_a, holder_a, settings
):
    settings.IMPORT_SYNC_MAX_BYTES = 10
    response = post_file(
        client_for(university_a, "en"), "patents", csv_file([{"no_such_column": "x"}])
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_rows"
    assert not FileJob.objects.exists()


def test_a_small_import_still_answers_at_once(client_for, university_a, holder_a):
    response = post_file(client_for(university_a), "patents", csv_file(ROWS))
    assert response.status_code == 201
    assert not FileJob.objects.exists()


# --- Expiry ------------------------------------------------------------------------------------
def test_expired_files_are_deleted_and_no_longer_downloaded(client_for, university_a, four_patents):
    member = client_for(university_a)
    job_id = member.get("/api/v1/patents/export/", HTTP_PREFER="respond-async").json()["id"]
    run_jobs()
    job = FileJob.objects.get(pk=job_id)
    path = storage.path_of(job.result_file)
    assert path.exists()

    assert job_files_expire() == 0  # not yet
    FileJob.objects.filter(pk=job_id).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert download(member, job_id)[0].status_code == 404  # past its time, even undeleted
    assert job_files_expire() == 1

    assert not path.exists()
    assert FileJob.objects.get(pk=job_id).result_file == ""
    assert member.get(f"/api/v1/jobs/{job_id}/").json()["download"] is None


def test_files_no_job_names_are_deleted_once_old(university_a, settings):
    kept = storage.new_name(storage.EXPORTS, ".csv")
    orphan = storage.new_name(storage.EXPORTS, ".csv")
    recent = storage.new_name(storage.UPLOADS, ".csv")
    for name in (kept, orphan, recent):
        storage.path_of(name).write_text("application_number\n")
    FileJob.objects.create(
        kind="export", target="patents", requester=university_a, result_file=kept
    )
    old = (timezone.now() - datetime.timedelta(hours=settings.FILE_JOB_KEEP_HOURS + 25)).timestamp()
    for name in (kept, orphan):
        os.utime(storage.path_of(name), (old, old))

    assert job_files_expire() == 1

    assert not storage.path_of(orphan).exists()
    assert storage.path_of(kept).exists()  # a job names it (and it has not expired)
    assert storage.path_of(recent).exists()  # too recent to be anyone's loss


def test_a_job_that_never_finished_is_failed_a_day_later_and_its_upload_deleted(university_a):
    upload = storage.save_upload(io.BytesIO(b"application_number\n"), ".csv")
    stuck = FileJob.objects.create(
        kind="import",
        target="patents",
        requester=university_a,
        status="running",
        upload=upload,
        language="en",
    )
    FileJob.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    fresh = FileJob.objects.create(kind="export", target="patents", requester=university_a)

    assert job_files_expire() == 1  # the stuck job's upload

    stuck.refresh_from_db()
    assert (stuck.status, stuck.upload) == ("failed", "")
    assert "did not finish" in stuck.error
    assert not storage.path_of(upload).exists()
    assert FileJob.objects.get(pk=fresh.pk).status == "queued"


# --- The list ----------------------------------------------------------------------------------
class TestFileJobList(ListEndpointContract):
    url = "/api/v1/jobs/"
    visible_to_anonymous = False
    reader = "university_a"
    outsider = "university_b"
    filters = frozenset()
    expected_queries = ("the page of the caller's jobs, newest first",)

    @pytest.fixture
    def make_rows(self, university_a):
        def make(n):
            return [
                FileJob.objects.create(
                    kind="export",
                    target="patents",
                    requester=university_a,
                    parameters={"query": {}, "file_format": "csv"},
                ).pk
                for _ in range(n)
            ]

        return make


def test_the_list_is_the_callers_newest_first(client_for, university_a):
    other = UserFactory.create()
    mine = [
        FileJob.objects.create(kind="export", target="offers", requester=university_a).pk
        for _ in range(2)
    ]
    FileJob.objects.create(kind="export", target="offers", requester=other)
    listed = client_for(university_a).get("/api/v1/jobs/").json()["results"]
    assert [job["id"] for job in listed] == mine[::-1]


# --- The admin ---------------------------------------------------------------------------------
def test_operators_see_the_jobs_read_only_in_the_admin(client, operator, university_a):
    job = FileJob.objects.create(
        kind="export",
        target="pledges",
        requester=university_a,
        status="failed",
        error="An export holds at most 3 records; narrow the search.",
    )
    client.force_login(operator)

    listed = client.get("/admin/patents/filejob/?status=failed", HTTP_ACCEPT_LANGUAGE="en")
    assert listed.status_code == 200
    assert "tto_university_a" in listed.content.decode()
    page = client.get(f"/admin/patents/filejob/{job.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "narrow the search" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()  # read-only
    assert client.get("/admin/patents/filejob/add/").status_code == 403
    assert client.post(f"/admin/patents/filejob/{job.pk}/delete/").status_code == 403


def test_members_do_not_see_the_jobs_in_the_admin(client, university_a):
    client.force_login(university_a)
    assert client.get("/admin/patents/filejob/").status_code in (302, 403)
