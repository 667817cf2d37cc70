"""Two imports of the same new patents at the same moment, on two real connections.

The second one waits on the first one's rows in the unique index, and breaks it when the
first commits. That is nobody's mistake: the loser answers 409 in the API's error shape,
nothing of its file is written, no patent is duplicated, and the same request sent again
succeeds (conversion_db.services.concurrent_writes around ImportKind.import_file).

The winner runs in a thread, on its own connection, and really commits: the test removes
what it wrote at the end (the test's own transaction is rolled back as usual).
"""

import io
import threading
import time
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from conversion_db.models import ImportRun
from conversion_db.tabular.files import FileFormat
from patents.imports.patents import PatentImport
from patents.models import Patent
from tests.conversion_db.tabular.files import csv_file, csv_text, post_file

pytestmark = pytest.mark.django_db

ROWS = [
    {"application_number": "201910209152.5", "title": "一种锂离子电池正极材料"},
    {"application_number": "201910209153.X", "title": "一种电池散热装置"},
]


def in_own_connection(work):
    """Run ``work`` in a thread with its own database connection, closed afterwards."""

    def run():
        try:
            work()
        finally:
            connections["default"].close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


class Winner:
    """An import of ROWS in another connection, committed once ``release`` is set."""

    def __init__(self) -> None:
        self.inserted, self.release = threading.Event(), threading.Event()
        self.batch: uuid.UUID | None = None
        self.thread = in_own_connection(self.run)

    def run(self) -> None:
        try:
            with transaction.atomic():
                report = PatentImport.import_file(
                    actor=None,
                    stream=csv_file(ROWS),
                    file_format=FileFormat.CSV,
                    source="import:winner",
                )
                assert report.ok, report.errors
                self.batch = report.batch
                self.inserted.set()
                self.release.wait(30)
        finally:
            self.inserted.set()

    def commit_when_waited_for(self, pid: int) -> threading.Thread:
        """Commit as soon as the backend ``pid`` waits for a lock (on our rows)."""

        def watch():
            try:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    with connections["default"].cursor() as cursor:
                        cursor.execute(
                            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
                        )
                        if cursor.fetchone()[0] == "Lock":
                            return
                    time.sleep(0.02)
            finally:
                self.release.set()

        return in_own_connection(watch)

    def finish(self) -> None:
        self.release.set()
        self.thread.join(30)
        if self.batch is None:
            return

        def forget():
            history = Patent.history.model._meta.db_table
            with connections["default"].cursor() as cursor:
                for table in (history, Patent._meta.db_table):
                    cursor.execute(
                        f"DELETE FROM {table} WHERE import_batch = %s",  # noqa: S608 - our tables
                        [self.batch],
                    )
                # The import's own record (conversion_db.ImportRun), committed with it.
                cursor.execute(
                    f"DELETE FROM {ImportRun._meta.db_table} WHERE batch = %s",  # noqa: S608
                    [self.batch],
                )

        in_own_connection(forget).join(30)


@pytest.fixture
def winner():
    started = Winner()
    assert started.inserted.wait(30)
    assert started.batch is not None, "the first import did not run"
    yield started
    started.finish()


def test_the_loser_of_two_concurrent_imports_gets_409_and_may_retry(client_for, operator, winner):
    client = client_for(operator, "en")
    watcher = winner.commit_when_waited_for(backend_pid())

    response = post_file(client, "patents", csv_file(ROWS))
    watcher.join(30)

    assert response.status_code == 409, response.content[:500]
    body = response.json()
    assert (body["status"], body["code"]) == (409, "conflict")
    assert body["errors"][0]["code"] == "conflict"
    assert "Send it again" in body["message"]
    numbers = [row["application_number"] for row in ROWS]
    assert Patent.all_objects.filter(application_number__in=numbers).count() == 2  # the winner's
    assert set(Patent.all_objects.values_list("import_batch", flat=True)) == {winner.batch}

    again = post_file(client, "patents", csv_file(ROWS))
    assert again.status_code == 201, again.json()
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)


def test_the_import_command_reports_the_conflict(operator, winner, tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text(csv_text(ROWS), encoding="utf-8")
    watcher = winner.commit_when_waited_for(backend_pid())

    with pytest.raises(CommandError, match="Send it again"):
        call_command("import_patents", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    watcher.join(30)
    assert set(Patent.all_objects.values_list("import_batch", flat=True)) == {winner.batch}
