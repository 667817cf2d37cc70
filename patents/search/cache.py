"""Cached pages of the public patent search.

Many SMEs ask the same few questions (a popular word, a district, a subclass). The search
list and its facets are the same for every caller, so an answered page is kept, under a key
made of the *search generation*, the language and the request's URL. The generation
(``patents_search_generation``, migration ``patents 0012``) is moved by database triggers on
every write to a table a search shows or depends on (patents, holdings, holders, regions),
and again when that write commits: a page is not served after a change to the data it was
read from. Reading the generation is one query of a sequence; a hit costs nothing else.

``SEARCH_CACHE_SECONDS`` (0 turns the cache off) bounds the life of a page anyway: the one
case the triggers leave open is a page read in the instant between a commit's last trigger
and the commit itself. The pages live in the ``search`` cache (see ``CACHES``): per process,
or shared by all processes with ``CACHE_BACKEND=database``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils.translation import get_language
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response


def search_generation() -> int:
    """The current search generation (committed or not: a sequence ignores transactions)."""
    from patents.search.outbox import apply_before_reading

    apply_before_reading()  # tests: what the indexer would have applied moves it first
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM patents_search_generation")
        return int(cursor.fetchone()[0])


def page_key(kind: str, request: Request, generation: int) -> str:
    """Same URL, parameters in any order, same language, same generation: same key. The host
    is part of it, because the page's next and previous links are absolute."""
    params = sorted(
        (name, value) for name, values in request.query_params.lists() for value in values
    )
    url = f"{request.scheme}://{request.get_host()}{request.path}?{params!r}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"patents:{kind}:{generation}:{get_language()}:{digest}"


def cached_page(kind: str, request: Request, answer: Callable[[], Response]) -> Response:
    """``answer()``, or the page it gave for the same request in the same generation.

    Only successful answers are kept: a 400 is cheap and says something about the request,
    not the data. The ``X-Search-Cache`` header says ``hit`` or ``miss``.
    """
    seconds = settings.SEARCH_CACHE_SECONDS
    if not seconds:
        return answer()
    store = caches["search"]
    key = page_key(kind, request, search_generation())
    data = store.get(key)
    if data is not None:
        return Response(data, headers={"X-Search-Cache": "hit"})
    response = answer()
    if response.status_code == status.HTTP_200_OK:
        store.set(key, _plain(response.data), seconds)
    response["X-Search-Cache"] = "miss"
    return response


def _plain(data: Any) -> Any:
    """The page as plain dicts and lists (DRF's ReturnDict keeps its serializer alive)."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    return data
