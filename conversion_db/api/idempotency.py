"""``Idempotency-Key``: a creating request that is repeated (a retry after a timeout, a
double click) creates once.

Every ``POST`` that creates a record (patents, offers, licences, pledges, enterprises,
demands, inquiries, deals, taking an open licence, saved searches) is decorated with
``@idempotent``. A client may send ``Idempotency-Key: <1-200 visible ASCII characters>``
(a UUID is a good choice):

- the first request with a key does the work; its answer (status, body, ``ETag`` and
  ``Location``) is stored under (user, operation, key) in the same transaction as the
  work, so either both are written or neither;
- a repeat with the same key and the same body, by the same user to the same operation,
  does nothing again and returns the stored answer, marked ``Idempotent-Replayed: true``.
  A repeat that arrives while the first is still working waits for it (the key's unique
  index) and then returns its answer;
- the same key with a different body is a 422 ``idempotency_key_reused``: the key names
  one request;
- an answer that is not a success (a 400, 404, 409 ...) is not stored: the work was not
  done, and a corrected request may use the same key;
- answers are kept ``IDEMPOTENCY_KEY_HOURS`` (24): an older key counts as new, and
  ``manage.py expire_idempotency_keys`` (daily) deletes them.

Without the header nothing changes. The schema declares the header on every decorated
operation, and its 422 (``conversion_db.api.schema.AutoSchema``).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200
KEPT_HEADERS = ("ETag", "Location")

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional: 1-200 visible ASCII characters (a UUID) naming this request. A repeat with "
        "the same key and body returns the first answer without creating again "
        "(`Idempotent-Replayed: true`); the same key with another body is 422. Kept 24 hours. "
        "可选的幂等键：重复发送相同键与相同请求体时返回首次结果而不重复创建；"
        "相同键不同请求体返回 422；保留 24 小时。"
    ),
)


class KeyReused(exceptions.APIException):
    """422: the key was used for a different request."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = _(
        "This Idempotency-Key was used for a different request; use a new key for a new request."
    )


def request_key(request: Request) -> str | None:
    """The request's key, or None without the header; a 400 for an unusable one."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not all(33 <= ord(c) <= 126 for c in key):
        raise ValidationError(
            {
                HEADER: ValidationError(
                    _("Idempotency-Key must be 1 to 200 visible ASCII characters, e.g. a UUID."),
                    code="invalid",
                )
            }
        )
    return key


def fingerprint(request: Request) -> str:
    """A digest of the request's body (its parsed data, keys sorted)."""
    data = request.data
    if hasattr(data, "lists"):  # a QueryDict (form data)
        data = dict(data.lists())
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def replay(record: IdempotencyKey) -> Response:
    headers = {**record.headers, "Idempotent-Replayed": "true"}
    return Response(record.body, status=record.status_code, headers=headers)


def expired_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Keys created before this time are expired."""
    return (now or timezone.now()) - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def expire_keys(now: datetime.datetime | None = None) -> int:
    """Delete the expired keys; how many."""
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=expired_before(now)).delete()
    return deleted


View = TypeVar("View", bound=Callable[..., Response])


def idempotent(method: View) -> View:
    """Make a view method that creates honour ``Idempotency-Key`` (see the module)."""

    @functools.wraps(method)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request_key(request)
        user = request.user
        if key is None or not user.is_authenticated:
            return method(view, request, *args, **kwargs)
        assert isinstance(user, AbstractBaseUser)
        operation = f"{request.method} {request.path}"[:200]
        digest = fingerprint(request)
        mine = IdempotencyKey.objects.filter(user=user, key=key, operation=operation)
        with transaction.atomic():
            mine.filter(created_at__lt=expired_before()).delete()
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        user=user, key=key, operation=operation, fingerprint=digest
                    )
            except IntegrityError:  # answered already (or just now, by a concurrent repeat)
                record = mine.get()
                if record.fingerprint != digest:
                    raise KeyReused() from None
                return replay(record)
            response = method(view, request, *args, **kwargs)
            if not status.is_success(response.status_code):
                record.delete()
                return response
            record.status_code = response.status_code
            record.body = json.loads(JSONRenderer().render(response.data))
            record.headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
            record.save(update_fields=["status_code", "body", "headers"])
            return response

    wrapper.idempotent = True  # type: ignore[attr-defined]  # read by the schema
    return wrapper  # type: ignore[return-value]
