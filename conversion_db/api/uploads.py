"""The size of a request, refused before its body is read.

Django reads a request's body only up to its ``Content-Length``, so that header is the
request's true size. ``RequestSizeMiddleware`` answers 413 to a request declaring more than
its limit, before any middleware or view reads a byte of it (the CSRF check and the
multipart parser included):

- a ``multipart/form-data`` request (a file upload: the import actions of the API, the
  admin's Import) may carry a file of ``IMPORT_MAX_BYTES`` plus ``FORM_ALLOWANCE`` for its
  other fields and boundaries; the import actions check the file itself too;
- any other request at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``REQUEST_MAX_BYTES``), which
  Django applies to form bodies and which also bounds the JSON bodies DRF reads itself.

Under ``/api/`` the answer is the API's JSON error shape, in the request's language;
elsewhere (the admin) a short text page. A request without a ``Content-Length`` (chunked)
has, for Django, an empty body. Uploads above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` are written
to a temporary file rather than kept in memory.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import status

from conversion_db.api.errors import API_PREFIXES, json_error
from conversion_db.tabular.limits import megabytes

FORM_ALLOWANCE = 64 * 1024


def request_limit(request: HttpRequest) -> int | None:
    """The most bytes ``request`` may declare (None: no limit)."""
    if request.content_type == "multipart/form-data":
        return int(settings.IMPORT_MAX_BYTES) + FORM_ALLOWANCE
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return None if limit is None else int(limit)


def declared_size(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("The request is larger than %(limit)s; send a smaller file or body.") % {
        "limit": megabytes(limit)
    }
    if request.path.startswith(API_PREFIXES):
        return json_error(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "too_large", message)
    return HttpResponse(
        message,
        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        content_type="text/plain; charset=utf-8",
    )


class RequestSizeMiddleware:
    """Answers 413 to a request whose declared size is over its limit (module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = request_limit(request)
        if limit is not None and declared_size(request) > limit:
            language = translation.get_language_from_request(request)
            with translation.override(language):
                return too_large(request, limit)
        return self.get_response(request)
