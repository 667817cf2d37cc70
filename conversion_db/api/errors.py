"""One error shape for every 4xx (and the rare 5xx) the API answers.

```json
{"status": 400, "code": "invalid", "message": "Some values are invalid.",
 "errors": [{"field": "parent", "code": "invalid_ipc", "message": "..."}]}
```

``errors`` always has at least one entry. ``field`` is the query parameter or body field
(dotted for nested fields, ``items[2].title`` for list items) or ``null`` when the error is
not about one field. Messages are translated into the request's language
(``Accept-Language``; ``zh-hans`` by default, ``en``).

Services raise Django's ``ValidationError`` with field keys and codes; the handler turns
it into the same 400 as a serializer or filter error, so each rule's message lives once.
A service's ``StaleVersion`` is a 412 and its ``Conflict`` (``conversion_db.services``: a
collision with a concurrent write, which the client may simply retry) a 409 with the
service's message and code. ``PayloadTooLarge`` is the 413 of a request or file over its
size limit (``conversion_db.api.uploads``).
Paths outside the API keep Django's HTML pages (a missing admin page is the admin's own
404, styled and translated); paths under ``/api/`` never
answer HTML, not even with ``DEBUG`` on (``ApiErrorMiddleware``):

- an unexpected error is a 500 whose ``error_id`` the caller can quote to an operator; the
  traceback is in the log under that id, never in the answer;
- a database that does not answer is a 503 with ``Retry-After`` (the client may retry).
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError, connections
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from conversion_db.services import Conflict, StaleVersion

logger = logging.getLogger(__name__)

API_PREFIXES = ("/api/", "/healthz")
ADMIN_PREFIX = "/admin/"
DATABASE_RETRY_SECONDS = 5

_NON_FIELD_KEYS = {NON_FIELD_ERRORS, api_settings.NON_FIELD_ERRORS_KEY}


def error_entries(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    """Flatten DRF error details (dicts, lists, ErrorDetail) into field/code/message rows."""
    if isinstance(detail, dict):
        rows: list[dict[str, Any]] = []
        for key, value in detail.items():
            if key in _NON_FIELD_KEYS:
                child = field
            else:
                child = str(key) if field is None else f"{field}.{key}"
            rows.extend(error_entries(value, child))
        return rows
    if isinstance(detail, list):
        rows = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                if item:  # a list serializer reports {} for its valid items
                    rows.extend(error_entries(item, f"{field}[{index}]" if field else f"[{index}]"))
            else:
                rows.extend(error_entries(item, field))
        return rows
    code = getattr(detail, "code", None) or "invalid"
    return [{"field": field, "code": str(code), "message": str(detail)}]


def error_body(
    status_code: int, code: str, message: str, errors: list[dict[str, Any]]
) -> dict[str, Any]:
    if not errors:
        errors = [{"field": None, "code": code, "message": message}]
    return {"status": status_code, "code": code, "message": message, "errors": errors}


class PreconditionFailed(exceptions.APIException):
    """412: the version the client sent is not the record's (``StaleVersion``)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = StaleVersion.code
    default_detail = StaleVersion.message


class ConflictError(exceptions.ValidationError):
    """409: the write conflicts with the current state (``conversion_db.services.Conflict``);
    its entries name the fields as a 400's do."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class TooManyFields(exceptions.APIException):
    """400: more query parameters or form fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "too_many_fields"
    default_detail = gettext_lazy("The request has more parameters or fields than accepted.")


class PayloadTooLarge(exceptions.APIException):
    """413: the request or its file is larger than the limit the message names."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = gettext_lazy("The request is too large.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleVersion):
        exc = PreconditionFailed()
    elif isinstance(exc, Conflict):
        exc = ConflictError(detail=as_serializer_error(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = TooManyFields()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: logged, and rendered as JSON by server_error()
    assert isinstance(exc, exceptions.APIException)

    if isinstance(exc, ConflictError):
        code = "conflict"
        errors = error_entries(exc.detail)
        message = (  # one conflict not about a field says it all
            errors[0]["message"]
            if len(errors) == 1 and errors[0]["field"] is None
            else _("This conflicts with the current state; see errors.")
        )
    elif isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        message = _("Some values are invalid; see errors for each field.")
        errors = error_entries(exc.detail)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = (
            str(exc.detail) if not isinstance(exc.detail, dict | list) else str(exc.default_detail)
        )
        errors = []
        wait = getattr(exc, "wait", None)  # set by Throttled; not in the type stubs
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            message = _("Too many requests. Try again in %(seconds)d seconds.") % {
                "seconds": int(wait) + 1
            }
    response.data = error_body(response.status_code, code, message, errors)
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES)


def json_error(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        error_body(status_code, code, message, []),
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return json_error(status.HTTP_400_BAD_REQUEST, "bad_request", _("Bad request."))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return json_error(
            status.HTTP_403_FORBIDDEN,
            "permission_denied",
            _("You do not have permission to do this."),
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return json_error(
            status.HTTP_404_NOT_FOUND, "not_found", _("There is nothing at this address.")
        )
    if request.path.startswith(ADMIN_PREFIX):
        return admin_page_not_found(request)
    return defaults.page_not_found(request, exception)


def admin_page_not_found(request: HttpRequest) -> HttpResponse:
    """The admin's own 404 page (its header, styles and navigation, in the request's
    language), not the bare page Django answers without a ``404.html``."""
    from django.contrib import admin

    try:
        context = admin.site.each_context(request)
    except AttributeError:  # a request that never reached the authentication middleware
        context = {}
    return render(request, "admin/404.html", context, status=status.HTTP_404_NOT_FOUND)


def api_not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Catch-all under /api/: a JSON 404 even with DEBUG on, and the slash appended like
    CommonMiddleware would (it cannot here, since this pattern matches everything)."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            query = request.META.get("QUERY_STRING", "")
            target = request.path + "/" + (f"?{query}" if query else "")
            return (
                HttpResponsePermanentRedirect(target)
                if request.method in ("GET", "HEAD")
                else json_error(
                    status.HTTP_404_NOT_FOUND,
                    "not_found",
                    _("Add a slash at the end of this address."),
                )
            )
    return json_error(
        status.HTTP_404_NOT_FOUND, "not_found", _("There is nothing at this address.")
    )


def database_unavailable() -> JsonResponse:
    """503: the database did not answer; the client may retry after a few seconds."""
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    response = json_error(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        "database_unavailable",
        _("The database is not answering; try again in %(seconds)d seconds.")
        % {"seconds": DATABASE_RETRY_SECONDS},
    )
    response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
    return response


def unexpected_error(request: HttpRequest, exc_info: Any) -> JsonResponse:
    """500 with an id to quote; the traceback goes to the log under the same id."""
    if isinstance(exc_info[1], OperationalError | InterfaceError):
        logger.warning(
            "database unavailable on %s %s: %s", request.method, request.path, exc_info[1]
        )
        return database_unavailable()
    error_id = uuid.uuid4().hex[:12]
    logger.error(
        "server error %s on %s %s", error_id, request.method, request.path, exc_info=exc_info
    )
    body = error_body(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        "server_error",
        _("Something went wrong on our side. Quote error %(id)s to the operators.")
        % {"id": error_id},
        [],
    )
    body["error_id"] = error_id
    return JsonResponse(
        body,
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        json_dumps_params={"ensure_ascii": False},
    )


class ApiErrorMiddleware:
    """Turns an exception a view under ``/api/`` did not handle into the JSON 500 (or 503)
    above, before Django's own handling (which, with ``DEBUG`` on, is an HTML page showing
    the request, its headers included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not _is_api(request):
            return None
        return unexpected_error(request, (type(exception), exception, exception.__traceback__))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: errors outside a view (a middleware, the URL resolver)."""
    if _is_api(request):
        return unexpected_error(request, sys.exc_info())
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if _is_api(request):
        return json_error(
            status.HTTP_403_FORBIDDEN,
            "csrf_failed",
            _("The CSRF check failed: send the CSRF token, or authenticate with a token instead."),
        )
    return django_csrf_failure(request, reason)
