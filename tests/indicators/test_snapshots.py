"""The dashboard reads the indicators from a kept snapshot (taken by the first dashboard
without one, daily by the schedule, or when an operator asks), and lists the recent imports
with their counts or errors (``ImportRun``, written by every import that is not a dry run)."""

from __future__ import annotations

import datetime
import io

import pytest

from conversion_db.models import ImportRun
from conversion_db.tabular.files import FileFormat
from indicators.models import Snapshot, SnapshotValue, Target
from indicators.snapshots import KEEP_DAYS, snapshot_take
from patents.imports.patents import PatentImport
from tests.factories import PatentFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "application_number,title,ipc_codes,current_holders,filing_date\n"
    "201910209152.5,一种锂离子电池正极材料,H01M 10/0525,甲大学,2019-03-21\n"
)
BAD = GOOD + "201910209152.7,校验位错误,H01M,,\n"


def test_the_first_dashboard_takes_a_snapshot_and_the_next_ones_read_it(client, operator, holder_a):
    for n in (1, 2):
        PatentFactory.create(
            actor=operator, holders=[holder_a], pct_application_number=f"PCT/CN2025/00000{n}"
        )
    client.force_login(operator)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    [snapshot] = Snapshot.objects.all()
    assert snapshot.trigger == "dashboard"
    assert "by the first dashboard without one" in page
    pct = SnapshotValue.objects.get(
        snapshot=snapshot, region_id="310000", indicator="pct_applications", year=2025
    )
    assert pct.value == 2
    # Every indicator of every target region, for the six years of the chart.
    regions = set(Target.objects.values_list("region_id", flat=True))
    assert {v.region_id for v in snapshot.values.all()} == regions
    assert snapshot.values.filter(region_id="310000").values("year").distinct().count() == 6

    PatentFactory.create(
        actor=operator, holders=[holder_a], pct_application_number="PCT/CN2025/000003"
    )
    client.get("/admin/")
    assert Snapshot.objects.count() == 1  # read, not recomputed: still 2 until refreshed
    refreshed = client.post(
        "/admin/indicators/snapshot/refresh/", {"next": "/admin/"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refreshed.status_code == 302
    latest = Snapshot.objects.order_by("-taken_at", "-id").first()
    assert latest is not None
    assert (latest.trigger, latest.taken_by) == ("operator", operator)
    assert latest.values.get(region_id="310000", indicator="pct_applications", year=2025).value == 3
    assert client.get("/admin/indicators/snapshot/refresh/").status_code == 405


def test_a_target_the_snapshot_lacks_makes_the_dashboard_take_another(client, operator):
    snapshot_take(trigger="schedule")
    Target.objects.create(
        region_id="310115",
        indicator="pct_applications",
        comparison="at_least",
        value=10,
        year=2025,
        deadline=datetime.date(2025, 12, 31),
        document="测试",
    )
    client.force_login(operator)
    client.get("/admin/")
    assert list(Snapshot.objects.order_by("taken_at").values_list("trigger", flat=True)) == [
        "schedule",
        "dashboard",
    ]


def test_old_snapshots_are_dropped_the_latest_kept(operator):
    old = snapshot_take(trigger="schedule")
    Snapshot.objects.filter(pk=old.pk).update(
        taken_at=old.taken_at - datetime.timedelta(days=KEEP_DAYS + 1)
    )
    recent = snapshot_take(trigger="schedule")
    assert list(Snapshot.objects.values_list("pk", flat=True)) == [recent.pk]


def test_imports_are_recorded_and_listed_on_the_dashboard(client, operator, holder_a):
    def run(text: str, dry_run: bool = False):
        return PatentImport.import_file(
            actor=operator,
            stream=io.BytesIO(text.encode()),
            file_format=FileFormat.CSV,
            dry_run=dry_run,
        )

    run(GOOD, dry_run=True)
    assert not ImportRun.objects.exists()  # a preview is not an import
    refused = run(BAD)
    written = run(GOOD)
    runs = {r.batch: r for r in ImportRun.objects.all()}
    assert runs[refused.batch].written is False
    assert runs[refused.batch].error_count == 1
    assert runs[refused.batch].errors[0]["row"] == 3
    assert runs[refused.batch].errors[0]["column"] == "application_number"
    assert runs[written.batch].written is True
    assert runs[written.batch].counts == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "holders_created": 0,
    }

    client.force_login(operator)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    imports = page[page.index('class="dashboard-imports"') :]
    assert imports.index(f"/admin/conversion_db/importrun/{runs[written.batch].pk}/") < (
        imports.index(f"/admin/conversion_db/importrun/{runs[refused.batch].pk}/")
    )
    assert "created 1, updated 0, unchanged 0, new holders 0" in imports
    assert "row 3, column application_number:" in imports
    record = client.get(f"/admin/conversion_db/importrun/{runs[refused.batch].pk}/change/")
    assert record.status_code == 200
    assert str(refused.batch) in record.content.decode()
