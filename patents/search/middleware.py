"""Read your own writes: a write request answers once the search index holds its changes.

The indexer applies committed changes within moments (docs/search-engine.md), but a client
that imports patents and searches for them at once should find them, as after a refresh in
Elasticsearch's ``refresh=wait_for``. So a request that changed what search shows (it wrote
outbox entries: the session's outbox sequence moved) waits, after its commit and at most
``SEARCH_WRITE_WAIT_MS``, until the indexer has applied them. The header
``X-Search-Index`` says ``applied`` or, when the indexer did not catch up in time,
``pending`` (the change is committed either way and becomes searchable shortly).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from patents.search import engine, outbox

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class WaitForSearchIndexMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._applies(request):
            return self.get_response(request)
        before = outbox.last_entry_of_session()
        response = self.get_response(request)
        after = outbox.last_entry_of_session()
        if after is not None and after != before and response.status_code < 400:
            applied = outbox.wait_until_applied(after, settings.SEARCH_WRITE_WAIT_MS / 1000)
            response["X-Search-Index"] = "applied" if applied else "pending"
        return response

    @staticmethod
    def _applies(request: HttpRequest) -> bool:
        return (
            request.method not in SAFE_METHODS
            and settings.SEARCH_ENGINE
            and settings.SEARCH_WRITE_WAIT_MS > 0
            # Tests apply the outbox on read, inside their own transaction.
            and not settings.SEARCH_INDEX_APPLY_ON_READ
            and engine.current_folder() is not None
        )
