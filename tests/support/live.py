"""A real HTTP server for the API, inside the test's own transaction.

``live_api`` serves the project's WSGI application on a free local port, the way Django's
``LiveServerTestCase`` does, but over the test's own database connection: what the test
wrote before (and what the requests write) is visible to both sides and rolled back at the
end like any other test, so the reference data seeded once per session stays. Requests are
made one at a time by the test, so the shared connection is never used by two threads at
once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core import signals
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import close_old_connections, connections
from django.test.testcases import LiveServerThread


class SharedConnectionServer(ThreadedWSGIServer):
    """Django's threaded test server, except that it leaves the shared connection open
    after each request (the stock one closes every connection, which is harmless only for
    an in-memory SQLite database)."""

    def _close_connections(self) -> None:  # Django's hook "used for mocking in tests"
        pass


class SharedConnectionServerThread(LiveServerThread):
    server_class = SharedConnectionServer


@pytest.fixture
def live_api(db) -> Iterator[str]:
    """The base address (``http://127.0.0.1:<port>``) of a live server for this test."""
    yield from _serve(lambda application: application)  # no static files


@pytest.fixture
def live_site(db) -> Iterator[str]:
    """The same live server, also serving the static files (the admin's styles and
    scripts, as a browser needs them), the way ``LiveServerTestCase`` does."""
    yield from _serve(StaticFilesHandler)


def _serve(static_handler: Any) -> Iterator[str]:
    connection = connections["default"]
    connection.inc_thread_sharing()
    # As the test client does: a request must not close the connection the test runs on.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    server = SharedConnectionServerThread(
        "127.0.0.1",
        static_handler,
        connections_override={"default": connection},
        port=0,
    )
    server.daemon = True
    server.start()
    server.is_ready.wait()
    try:
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        connection.dec_thread_sharing()
