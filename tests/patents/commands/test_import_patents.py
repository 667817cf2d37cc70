"""``manage.py import_patents PATH [--dry-run] [--holder ID]``: the operators' bulk import."""

import io

import pytest
from django.core.management import CommandError, call_command

from patents.models import Patent

pytestmark = pytest.mark.django_db

CSV = (
    "application_number,title,ipc_codes,current_holders\n"
    "201910209152.5,一种锂离子电池正极材料,H01M 10/0525,丁大学\n"
    "2020 2 0123456,一种电池散热装置,H01M,\n"
)


@pytest.fixture
def csv_path(tmp_path):
    path = tmp_path / "patents.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_patents", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_reports_and_writes_nothing(csv_path):
    out, _err = run(csv_path, "--dry-run")
    assert "2 patents would be created" in out
    assert "1 new holders" in out
    assert not Patent.all_objects.exists()


def test_an_import_writes_and_a_rerun_changes_nothing(csv_path):
    out, _err = run(csv_path)
    assert "2 patents were created" in out
    assert (
        Patent.objects.get(application_number="201910209152.5").holdings.get().holder.name
        == "丁大学"
    )
    out, _err = run(csv_path)
    assert "0 patents were created, 0 updated, 2 unchanged" in out


def test_holder_option_puts_patents_under_that_holder(csv_path, holder_a):
    csv_path.write_text(CSV.replace("丁大学", "甲大学"), encoding="utf-8")
    run(csv_path, "--holder", holder_a.pk)
    for patent in Patent.objects.all():
        assert [h.holder for h in patent.holdings.all()] == [holder_a]


def test_errors_are_listed_by_row_and_column_and_nothing_is_written(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(CSV + "201910209152.7,校验位错误,H01M,\n,无号码,,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 errors"):
        call_command("import_patents", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 4, application_number:")
    assert lines[1].startswith("row 5, application_number:")
    assert not Patent.all_objects.exists()


def test_an_unknown_holder_or_file_is_refused(csv_path, tmp_path):
    with pytest.raises(CommandError, match="No holder"):
        run(csv_path, "--holder", 999999)
    with pytest.raises(CommandError, match="No file"):
        run(tmp_path / "missing.csv")


def test_an_import_leaves_no_backlog_in_the_text_indexes(csv_path):
    """The import lets the GIN indexes collect entries in large batches (one index walk per
    batch), then merges the rest before it commits: no later single write or search pays
    for it. ``gin_clean_pending_list`` answers how many pending pages it had to merge."""
    from django.db import connection

    run(csv_path)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, gin_clean_pending_list(c.oid)"
            " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_am a ON a.oid = c.relam"
            " WHERE i.indrelid = 'patents_patent'::regclass AND a.amname = 'gin'"
        )
        pending = dict(cursor.fetchall())
    assert "patent_search_filters_gin" in pending
    assert set(pending.values()) == {0}


def test_the_created_history_rows_carry_the_imported_values(csv_path):
    run(csv_path)
    patent = Patent.objects.get(application_number="201910209152.5")
    created = patent.history.get()
    assert created.history_type == "+"
    assert created.title == "一种锂离子电池正极材料"
    assert created.ipc_codes == patent.ipc_codes
    assert created.import_batch == patent.import_batch is not None
    assert created.history_date == patent.created_at


def test_an_import_that_fails_after_writing_leaves_no_backlog_either(monkeypatch):
    """A file refused part-way (here: over the row limit, found in the second chunk) is rolled
    back whole; the entries its first chunk put in the pending lists are merged on the way
    out rather than left to the next writer."""
    from django.db import connection

    from conversion_db.tabular.files import FileFormat
    from patents.imports import patents as imports

    monkeypatch.setattr(imports.PatentImport, "chunk_size", 1)
    report = imports.import_patents(
        actor=None,
        stream=io.BytesIO(CSV.encode()),
        file_format=FileFormat.CSV,
        max_rows=1,
    )
    assert [error.code for error in report.errors] == ["too_many_rows"]
    assert not Patent.all_objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('patent_search_filters_gin'::regclass)")
        assert cursor.fetchone()[0] == 0


def test_the_import_never_lowers_a_larger_work_mem():
    """The import raises work_mem to its pending-list size for its own transaction only,
    and leaves a larger setting (DB_WORK_MEM) alone."""
    from django.db import connection, transaction

    from conversion_db import bulk

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        with bulk.batched_gin_upkeep(Patent):
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] == "256MB"
            cursor.execute("SHOW gin_pending_list_limit")
            assert cursor.fetchone()[0] == "32MB"
        cursor.execute("SET LOCAL work_mem = '1MB'")
        with bulk.batched_gin_upkeep(Patent):
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] == "32MB"


# --- The initial-load path: a file larger than the table ----------------------------------
def _gin_indexes():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid, pg_get_indexdef(c.oid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam"
            " WHERE i.indrelid = 'patents_patent'::regclass AND a.amname = 'gin' ORDER BY 2"
        )
        return cursor.fetchall()


def _table_rows() -> int:
    """What the import takes the table's size for (planner estimate or live rows: earlier
    tests that committed leave some), so that the files below are larger, or not."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT greatest(c.reltuples, s.n_live_tup, 0)::bigint FROM pg_class c"
            " LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
            " WHERE c.oid = 'patents_patent'::regclass"
        )
        return int(cursor.fetchone()[0])


@pytest.fixture
def large(monkeypatch):
    """The number of rows of a file larger than the table, in chunks of all but two."""
    from conversion_db import bulk
    from patents.imports.patents import PatentImport

    rows = max(_table_rows(), 3) + 5
    monkeypatch.setattr(bulk, "DEFER_GIN_MIN_ROWS", 3)
    monkeypatch.setattr(PatentImport, "chunk_size", rows - 2)
    return rows


def _numbered(tmp_path, titles):
    """A file whose application numbers carry their check characters."""
    from patents.register import numbers

    path = tmp_path / "stock.csv"
    lines = ["application_number,title,ipc_codes"]
    for index, title in enumerate(titles, start=1):
        body = f"20191{index + 9_000_000:07d}"
        lines.append(f"{body}.{numbers.check_character(body)},{title},H01M 10/0525")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_file_larger_than_the_table_builds_the_gin_indexes_after_its_rows(tmp_path, large):
    from django.db import connection, transaction

    before = _gin_indexes()
    titles = [f"一种钠离子电池正极材料{i}" for i in range(large)]
    out, _err = run(_numbered(tmp_path, titles))
    assert f"{large} patents were created" in out
    after = _gin_indexes()
    # The same definitions, new indexes: dropped after the first chunk, built at the end.
    assert [d for _oid, d in after] == [d for _oid, d in before]
    assert {oid for oid, _d in after}.isdisjoint(oid for oid, _d in before)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "SELECT count(*) FROM patents_patent WHERE search_document @@ '钠离子'::tsquery"
        )
        assert cursor.fetchone()[0] == large  # every row is in the rebuilt text index

    # A file no larger than the table keeps its indexes up to date as it goes.
    out, _err = run(_numbered(tmp_path, [*titles, "一种钠离子电池负极", "钠电池隔膜"]))
    assert "2 patents were created" in out
    assert _gin_indexes() == after


def test_a_refused_large_file_leaves_the_indexes_as_they_were(tmp_path, large):
    before = _gin_indexes()
    present = Patent.all_objects.count()
    # The first chunk is written and the indexes dropped; the last row (no title) is refused.
    titles = [f"钠离子电池{i}" for i in range(large - 1)] + [""]
    with pytest.raises(CommandError):
        run(_numbered(tmp_path, titles))
    assert Patent.all_objects.count() == present
    assert _gin_indexes() == before
