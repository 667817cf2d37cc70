"""Run the project as a user does: ``manage.py`` in fresh processes, each with its own
environment and, for the embedded PostgreSQL, its own data folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def as_from_a_terminal() -> None:
    """``preexec_fn`` for a child started as a user's shell would start it: signals at
    their defaults and none blocked, whatever this test process (pytest, its plugins and
    threads) has set. A signal ignored here would stay ignored in the child, and Ctrl-C
    would then not stop it."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def manage_env(**overrides: str | None) -> dict[str, str]:
    """This environment without a database or mode of its own, plus ``overrides``
    (``None`` removes a variable)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ENV", "SECRET_KEY")
    }
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def postmaster_pid(pgdata: Path) -> int | None:
    """The pid of the cluster's running server, if it runs."""
    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def server_running(pgdata: Path) -> bool:
    return postmaster_pid(pgdata) is not None


def wait_stopped(pgdata: Path, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not server_running(pgdata):
            return True
        time.sleep(0.2)
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
