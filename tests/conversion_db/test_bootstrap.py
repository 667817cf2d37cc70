"""Start-up: DATABASE_URL or the embedded PostgreSQL, strict settings, health check.

These run ``manage.py`` in fresh processes, exactly as a user would, each with its own
environment (and, for the embedded cluster, its own data folder).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.support.processes import (
    ROOT,
    as_from_a_terminal,
    free_port,
    manage,
    manage_env,
    server_running,
    wait_stopped,
)

SECRET = "k" * 30 + "-production-secret-0123456789"


def shell(code: str, env: dict[str, str]) -> str:
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def embedded(tmp_path) -> tuple[Path, dict[str, str]]:
    pgdata = tmp_path / "pg"
    return pgdata, manage_env(EMBEDDED_PG_DATA=str(pgdata), VAR_DIR=str(tmp_path / "var"))


@pytest.mark.slow
def test_embedded_cluster_keeps_data_across_restarts_and_stops_after_use(embedded):
    pgdata, env = embedded
    shell(
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('CREATE TABLE kept (v text)')\n"
        "    c.execute(\"INSERT INTO kept VALUES ('survives')\")",
        env,
    )
    assert (pgdata / "PG_VERSION").exists()
    assert wait_stopped(pgdata), "the last process to exit stops the server"

    output = shell(
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT v FROM kept')\n"
        "    print(c.fetchone()[0])\n"
        "    c.execute('SELECT datctype FROM pg_database WHERE datname = current_database()')\n"
        "    print(c.fetchone()[0])\n"
        "    c.execute('SHOW shared_buffers')\n"
        "    print(c.fetchone()[0])",
        {**env, "EMBEDDED_PG_SHARED_BUFFERS": "192MB"},  # the server starts with it
    )
    assert output.splitlines() == ["survives", "C.UTF-8", "192MB"]
    assert wait_stopped(pgdata)


@pytest.mark.slow
def test_processes_share_the_cluster_and_the_last_one_stops_it(embedded):
    pgdata, env = embedded
    holder_code = (
        "import sys\n"
        "from django.db import connection\n"
        "connection.ensure_connection(); print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
        "connection.close()\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT 42'); print(c.fetchone()[0], flush=True)\n"
    )
    holder = subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "shell", "--no-imports", "-c", holder_code],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        assert (
            shell(
                "from django.db import connection; connection.ensure_connection(); print('ok')", env
            )
            == "ok"
        )
        assert server_running(pgdata), "another process still uses it"
        out, err = holder.communicate("go\n", timeout=60)
        assert holder.returncode == 0, err
        assert out.strip() == "42"
    finally:
        if holder.poll() is None:
            holder.kill()
    assert wait_stopped(pgdata)


@pytest.mark.slow
def test_handles_of_killed_processes_do_not_keep_the_server_up(embedded):
    pgdata, env = embedded
    shell("from django.db import connection; connection.ensure_connection()", env)
    assert wait_stopped(pgdata)
    dead = subprocess.run(["true"], check=True)  # noqa: S607
    assert dead.returncode == 0
    (pgdata / ".handle_pids.json").write_text(json.dumps([999_999_999]))  # no such process
    shell("from django.db import connection; connection.ensure_connection()", env)
    assert wait_stopped(pgdata)


def test_database_url_is_used_when_set(db, tmp_path):
    params = connection.get_connection_params()
    settings_dict = connection.settings_dict
    user = quote(params.get("user") or settings_dict["USER"], safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}" if password else user
    host = str(params.get("host") or "")
    port = params.get("port") or ""
    if host.startswith("/"):
        url = (
            f"postgresql://{auth}@/{settings_dict['NAME']}?host={quote(host, safe='')}&port={port}"
        )
    else:
        url = f"postgresql://{auth}@{host}:{port}/{settings_dict['NAME']}"
    pgdata = tmp_path / "never"
    env = manage_env(DATABASE_URL=url, EMBEDDED_PG_DATA=str(pgdata), VAR_DIR=str(tmp_path / "var"))
    output = shell(
        "from django.db import connection\n"
        "print(connection.settings_dict['ENGINE'])\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT current_database()'); print(c.fetchone()[0])",
        env,
    )
    assert output.splitlines() == ["django.db.backends.postgresql", settings_dict["NAME"]]
    assert not pgdata.exists(), "no embedded cluster is started when DATABASE_URL is set"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/db"),
        ("DATABASE_URL", "not a url"),
        ("DEBUG", "maybe"),
        ("DJANGO_ENV", "staging"),
        ("THROTTLE_ANON_RATE", "fast"),
        ("DB_CONN_MAX_AGE", "-5"),
        ("DB_WORK_MEM", "lots"),
        ("DB_RANDOM_PAGE_COST", "fast"),
        ("EMBEDDED_PG_SHARED_BUFFERS", "2 GB"),
        ("CACHE_BACKEND", "redis"),
        ("CSRF_TRUSTED_ORIGINS", "example.org"),
        ("SECRET_KEY", "short"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_bad_setting_stops_start_up_naming_the_variable(tmp_path, variable, value):
    result = manage("check", env=manage_env(VAR_DIR=str(tmp_path), **{variable: value}))
    assert result.returncode != 0
    assert variable in result.stderr
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_requires_its_secrets(tmp_path, missing):
    values: dict[str, str | None] = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "patents.example.org",
    }
    values[missing] = None
    result = manage("check", env=manage_env(VAR_DIR=str(tmp_path), **values))
    assert result.returncode != 0
    assert f"{missing} is required" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = manage_env(
        VAR_DIR=str(tmp_path),
        DJANGO_ENV="production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="patents.example.org",
        DATABASE_URL="postgresql://app@db.example.org:5432/conversion",
    )
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_local_secret_key_is_generated_once_and_kept(tmp_path):
    env = manage_env(VAR_DIR=str(tmp_path))
    first = shell("from django.conf import settings; print(settings.SECRET_KEY)", env)
    second = shell("from django.conf import settings; print(settings.SECRET_KEY)", env)
    assert first == second == (tmp_path / "secret_key").read_text().strip()
    assert len(first) >= 50


def test_health_is_200_with_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_with_a_reason_when_the_database_is_unreachable(tmp_path):
    env = manage_env(VAR_DIR=str(tmp_path), DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    output = shell(
        "import json\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(response.status_code, json.dumps(response.json()))",
        env,
    )
    status, body = output.split(" ", 1)
    assert status == "503"
    payload = json.loads(body)
    assert payload["status"] == "unavailable"
    assert payload["reason"]


def test_env_example_lists_every_variable_the_settings_read():
    sources = (ROOT / "conversion_db" / "settings.py").read_text() + (
        ROOT / "conversion_db" / "database.py"
    ).read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', sources)) | set(
        re.findall(r'environ\.get\("([A-Z_]+)"', sources)
    )
    read.discard("LC_ALL")
    read.discard("LANG")
    read.discard("XDG_RUNTIME_DIR")
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read - listed == set()


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_runserver_serves_with_the_embedded_cluster_and_stopping_it_stops_the_cluster(
    embedded, stop_signal
):
    import urllib.request

    pgdata, env = embedded
    assert manage("migrate", "--noinput", env=env).returncode == 0
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=as_from_a_terminal,
    )
    try:
        deadline, status = time.monotonic() + 120, None  # a busy 2-core machine starts slowly
        while time.monotonic() < deadline and status != 200:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=5
                ) as response:
                    status = response.status
            except OSError:
                time.sleep(0.5)
        assert status == 200
        assert server_running(pgdata)
        os.killpg(server.pid, stop_signal)  # reaches the reloader and its child, as Ctrl-C does
        # Stopping includes the cluster's shutdown checkpoint of what migrate wrote: on a
        # busy 2-core machine that alone has taken over 30 s.
        server.wait(timeout=120)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert wait_stopped(pgdata)


@pytest.mark.django_db
def test_every_connection_runs_with_the_configured_planner_settings():
    """DB_WORK_MEM (32MB by default) and DB_RANDOM_PAGE_COST (1.1) reach the server: below
    about 16MB the bitmap of a common word turns lossy at a million patents, and at the
    default page cost offer facets hash every offered patent."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == (os.environ.get("DB_WORK_MEM") or "32MB")
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == (os.environ.get("DB_RANDOM_PAGE_COST") or "1.1")


def test_the_embedded_server_gets_a_quarter_of_the_memory_within_bounds():
    from conversion_db.database import default_shared_buffers

    size = default_shared_buffers()
    assert re.fullmatch(r"[0-9]+MB", size)
    total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    assert int(size[:-2]) == max(128, min(2048, total_mb // 4))
