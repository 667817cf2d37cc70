"""``manage.py serve`` (what ``make run`` runs): gunicorn, the job worker and the embedded
PostgreSQL start together, survive the database dying, and stop together however the
product is stopped.

Each test runs the real command in its own process group with its own cluster (a copy of
one migrated once for the module), and talks to it over a real socket.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import (
    ROOT,
    alive,
    as_from_a_terminal,
    free_port,
    manage,
    manage_env,
    postmaster_pid,
    server_running,
    wait_stopped,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def migrated_cluster(tmp_path_factory) -> Path:
    """A stopped cluster with every migration applied, to copy for each test."""
    pgdata = tmp_path_factory.mktemp("template") / "pg"
    env = manage_env(EMBEDDED_PG_DATA=str(pgdata), VAR_DIR=str(pgdata.parent / "var"))
    result = manage("migrate", "--noinput", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    # The migrate's exit stops the cluster (a fast shutdown, its checkpoint included); on a
    # machine busy with other work that checkpoint alone has taken over a minute.
    assert wait_stopped(pgdata, 180)
    return pgdata


class Served:
    """A running ``manage.py serve`` (started by a shell, as ``make`` starts it)."""

    def __init__(self, pgdata: Path, env: dict[str, str]) -> None:
        self.pgdata = pgdata
        self.port = free_port()
        command = f'"{sys.executable}" "{ROOT / "manage.py"}" serve --bind 127.0.0.1:{self.port}'
        # A parent shell that waits, like make: its death must stop serve too.
        self.parent = subprocess.Popen(  # noqa: S603
            ["/bin/sh", "-c", f"{command} & wait"],
            env={**env, "WEB_CONCURRENCY": "2"},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=as_from_a_terminal,
        )
        self.wait_until_healthy()

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - http only
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def raw(self, request_line: bytes) -> bytes:
        """Send one request exactly as these bytes, and return the whole answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def wait_until_healthy(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds  # a busy 2-core machine starts slowly
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError("serve did not become healthy")

    def processes(self) -> list[int]:
        """Every live process of the group: the shell, serve, gunicorn and its workers, the
        job worker (the embedded PostgreSQL runs in a group of its own or not at all)."""
        self.parent.poll()  # reap the shell once it has exited
        found = subprocess.run(  # noqa: S603
            ["ps", "-o", "pid=,stat=", "-g", str(self.parent.pid)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.splitlines()
        return [int(line.split()[0]) for line in found if not line.split()[1].startswith("Z")]

    def commands(self) -> str:
        # -ww: full command lines; without it ps cuts them at 80 columns when not on a
        # terminal, and a checkout in a longer path loses the words the test looks for.
        return subprocess.run(  # noqa: S603
            ["ps", "-ww", "-o", "args=", "-g", str(self.parent.pid)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def wait_gone(self, seconds: float = 120) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not [pid for pid in self.processes() if alive(pid)]:
                return True
            time.sleep(0.3)
        return False

    def kill_all(self) -> None:
        for pid in self.processes():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def served(migrated_cluster, tmp_path) -> Iterator[Served]:
    pgdata = tmp_path / "pg"
    # cp -a keeps the owner (as root, the server runs as its own system user).
    subprocess.run(["cp", "-a", str(migrated_cluster), str(pgdata)], check=True)  # noqa: S603,S607
    env = manage_env(EMBEDDED_PG_DATA=str(pgdata), VAR_DIR=str(tmp_path / "var"))
    env["DEBUG"] = "false"
    product = Served(pgdata, env)
    try:
        yield product
    finally:
        product.kill_all()
        if server_running(pgdata):
            subprocess.run(["kill", "-9", str(postmaster_pid(pgdata))], check=False)  # noqa: S603,S607


def sigterm_to_serve(product: Served) -> None:
    for pid in product.processes():
        if "manage.py serve" in Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " "):
            os.kill(pid, signal.SIGTERM)


STOPS = {
    # Ctrl-C in a terminal: SIGINT to the whole process group.
    "ctrl-c": lambda product: os.killpg(product.parent.pid, signal.SIGINT),
    "sigterm-to-serve": sigterm_to_serve,
    # make (or the shell) dies without passing anything on.
    "parent-killed": lambda product: os.kill(product.parent.pid, signal.SIGKILL),
}


@pytest.mark.parametrize("stop", list(STOPS))
def test_serve_runs_gunicorn_and_the_job_worker_and_every_way_of_stopping_stops_all(served, stop):
    status, _headers, body = served.get("/healthz")
    assert status == 200
    assert json.loads(body)["database"] == "ok"
    commands = served.commands()
    assert "gunicorn conversion_db.wsgi:application" in commands
    assert "procrastinate worker" in commands
    assert server_running(served.pgdata)

    STOPS[stop](served)

    assert served.wait_gone(), served.commands()
    assert wait_stopped(served.pgdata, 60)


def test_gunicorn_reads_encoded_utf8_and_refuses_raw_utf8_in_the_request_line(served):
    # Percent-encoded UTF-8 (what browsers, curl -G --data-urlencode and every HTTP
    # library send) reaches the API intact: the error quotes the value it read.
    status, _headers, body = served.get("/api/v1/patents/?region=%E6%B5%A6%E4%B8%9C")
    assert status == 400
    assert "“浦东”" in json.loads(body)["errors"][0]["message"]

    # Raw UTF-8 bytes in the request line are not HTTP (RFC 9112 3.2): gunicorn refuses
    # them with a 400 of its own, instead of a result for a misread query.
    answer = served.raw("GET /api/v1/patents/?region=浦东 HTTP/1.1".encode())
    assert answer.startswith(b"HTTP/1.1 400")


def test_debug_is_off_and_an_unknown_api_path_answers_json(served):
    status, headers, body = served.get("/api/v1/no-such-thing/")
    assert status == 404
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["code"] == "not_found"
    status, headers, body = served.get("/admin/no-such-page/")
    assert b"Django tried these URL patterns" not in body  # no debug page


def test_a_killed_database_is_brought_back_and_never_answers_500(served):
    pid = postmaster_pid(served.pgdata)
    assert pid is not None
    os.kill(pid, signal.SIGKILL)

    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, headers, body = served.get("/api/v1/regions/?q=%E6%B5%A6%E4%B8%9C")
        seen.append(status)
        if status == 503:
            assert headers["Retry-After"]
            assert json.loads(body)["code"] == "database_unavailable"
        if status == 200:
            break
        time.sleep(0.5)

    assert seen[-1] == 200, seen
    assert set(seen) <= {200, 503}, seen
    assert postmaster_pid(served.pgdata) not in (None, pid)
