"""A backup restores: records made through the services, dumped with ``manage.py backup``,
restored into a fresh empty database, are the same rows and answer the same search.

pg_dump runs in its own process and sees only committed data, so these tests do not run
in the usual rolled-back transaction: each migrates a database of its own on the same
server, and drops it afterwards, with the restored one.
"""

from __future__ import annotations

import dataclasses
import io
import json
import uuid
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from psycopg import sql

from conversion_db import backup
from patents.models import Patent
from patents.search.ranking import patent_text_search
from tests.factories import (
    DemandFactory,
    EnterpriseFactory,
    HolderFactory,
    OfferFactory,
    PatentFactory,
    UserFactory,
)

RESTORED = "restored"


@pytest.fixture(scope="module")
def scratch(django_db_blocker) -> Iterator[tuple[str, str]]:
    """The default connection on a new, migrated database of its own; yields its name and
    the name of the (not yet existing) database to restore into. Both are dropped after
    the module (migrating takes most of its time)."""
    suffix = uuid.uuid4().hex[:8]
    source, restored = f"backup_source_{suffix}", f"backup_restored_{suffix}"
    with django_db_blocker.unblock():
        default = connections["default"]
        previous = default.settings_dict["NAME"]
        database = backup.target()
        connections.close_all()
        with database.connect(dbname="postgres") as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(source)))
        default.settings_dict["NAME"] = source
        connections.settings[RESTORED] = {**default.settings_dict, "NAME": restored}
        try:
            call_command("migrate", verbosity=0)
            yield source, restored
        finally:
            connections.close_all()
            del connections[RESTORED]
            del connections.settings[RESTORED]
            default.settings_dict["NAME"] = previous
            with database.connect(dbname="postgres") as admin:
                for name in (source, restored):
                    admin.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                            sql.Identifier(name)
                        )
                    )


def contents(alias: str, table: str) -> tuple[int, str]:
    """Row count and md5 of every row of ``table``, in the order of their text."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                "FROM {} t"
            ).format(sql.Identifier(table))
        )
        count, digest = cursor.fetchone()
    return count, digest


def make_records() -> None:
    operator = UserFactory.create(username="operator", is_staff=True, is_superuser=True)
    holder = HolderFactory.create(name="甲大学", kind="university", verified=True)
    batteries = [PatentFactory.create(actor=operator, holders=[holder]) for _ in range(3)]
    PatentFactory.create(actor=operator, holders=[holder], title="一种图像识别方法")
    OfferFactory.create(
        patents=batteries[:1], actor=operator, reviewer=operator, status="published"
    )
    OfferFactory.create(patents=batteries[1:2], actor=operator)
    DemandFactory.create(actor=operator, enterprise=EnterpriseFactory.create(actor=operator))


def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_search(scratch, tmp_path):
    make_records()
    call_command("backup", "--output", str(tmp_path), "--name", "copy", stdout=io.StringIO())
    dump = tmp_path / "copy.dump"
    manifest = json.loads((tmp_path / "copy.json").read_text())
    assert manifest["sha256"] == backup.sha256(dump)
    assert manifest["row_counts"]["patents_patent"] == 4
    assert manifest["row_counts"]["patents_licensingoffer"] == 2
    assert manifest["row_counts"]["enterprises_technologydemand"] == 1
    assert manifest["schema_version"]["patents"].startswith("00")
    assert set(manifest) >= {"taken_at", "server_version", "size_bytes", "dump"}

    backup.restore(dump=dump, alias=RESTORED)  # creates the database, checks the counts

    for table in (*backup.KEY_TABLES, "patents_ipcclass", "patents_region", "django_migrations"):
        assert contents(RESTORED, table) == contents("default", table), table
    found = patent_text_search(Patent.objects.using(RESTORED), "锂离子电池")
    assert found.count() == 3
    assert list(found.order_by("id").values_list("application_number", flat=True)) == list(
        patent_text_search(Patent.objects.all(), "锂离子电池")
        .order_by("id")
        .values_list("application_number", flat=True)
    )


def test_a_restore_refuses_a_missing_or_damaged_dump_and_a_database_that_is_not_empty(
    scratch, tmp_path
):
    dump, _ = backup.backup(folder=tmp_path, name="copy")

    with pytest.raises(CommandError, match="No such dump"):
        call_command("restore", str(tmp_path / "other.dump"))
    backup.manifest_path(dump).rename(tmp_path / "moved.json")
    with pytest.raises(CommandError, match="No manifest beside the dump"):
        call_command("restore", str(dump))
    (tmp_path / "moved.json").rename(backup.manifest_path(dump))

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(dump))  # the default database: the source itself

    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    dump.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match="checksum does not match"):
        call_command("restore", str(dump))


@pytest.mark.parametrize(
    ("answer", "major"),
    [
        ("pg_dump (PostgreSQL) 18.6", 18),
        ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)", 15),
    ],
)
def test_the_client_version_is_read_from_its_answer(answer, major):
    assert backup.major_version(answer) == major


def test_with_database_url_a_client_older_than_the_server_is_refused(db, tmp_path, monkeypatch):
    """The system's pg_dump is used for a server of DATABASE_URL; one older than the server
    would fail on the dump (or restore into a newer server badly): refused up front."""
    server = dataclasses.replace(backup.target(), embedded=False)  # as if given by a URL
    for version, path in (("12.3", tmp_path / "old"), ("99.0", tmp_path / "new")):
        path.mkdir()
        fake = path / "pg_dump"
        fake.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}'\n")
        fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "old"))
    with pytest.raises(CommandError, match=r"version 12, older than the server"):
        backup.client_program("pg_dump", server)
    monkeypatch.setenv("PATH", str(tmp_path / "new"))
    assert backup.client_program("pg_dump", server) == str(tmp_path / "new" / "pg_dump")
