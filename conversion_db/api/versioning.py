"""Optimistic concurrency over HTTP: the version a client read comes back with its write.

Every answer about one curated record carries its version as the ``ETag`` header
(``"3"``). Every write that changes such a record — ``PATCH``, ``DELETE`` and every action
that changes its state (``submit``, ``review``, ``reply``, ``close`` ...) — needs that
version back, as ``If-Match: "3"`` (the HTTP way) or as ``version`` in the JSON body; the
schema marks ``If-Match`` required on each of them. Without either the answer is 400
``version_required``; with a stale one, 412 and nothing changes (the service re-checks it
under a row lock: ``conversion_db.services.locked``).

A viewset opts in by inheriting ``VersionedViewSetMixin``; the schema generator
(``conversion_db.api.schema.AutoSchema``) then adds ``If-Match`` and the 412 answer to each
of its writes on one record, except the actions listed in ``unversioned_actions`` (checks
that change nothing, such as an offer's ``eligibility``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

VERSION_HELP = (
    "The version you read (the ETag of the record, e.g. 3); or send it as If-Match. "
    "读取时的版本号（即 ETag），也可用 If-Match 请求头发送。"
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        'The version you read, as its ETag: `"3"` (or `W/"3"`). Instead of this header you may '
        "send `version` in the JSON body; without either the answer is 400 `version_required`, "
        "with a stale one 412. 读取时的版本号（ETag）；也可在请求体中发送 version；"
        "缺少时返回 400，版本过期返回 412。"
    ),
)

ERROR_VERSION_REQUIRED = _("Send the version you read, as If-Match or as version.")


def version_field() -> serializers.IntegerField:
    """The optional ``version`` body field of a write serializer (If-Match may replace it)."""
    return serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)


class VersionSerializer(serializers.Serializer):
    """The body of a state change that takes nothing but the version."""

    version = version_field()


def expected_version(request: Request) -> int:
    """The version a write is based on: ``If-Match: "3"`` (or ``W/"3"``) or ``version`` in
    the body; a 400 naming the field when neither is usable."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        value = header.removeprefix("W/").strip('"')
        if value.isascii() and value.isdigit() and len(value) <= 9:
            return int(value)
        raise ValidationError(
            {
                "If-Match": ValidationError(
                    _('If-Match must be a version such as "3".'), code="invalid"
                )
            }
        )
    body = request.data.get("version") if hasattr(request.data, "get") else None
    if isinstance(body, int) and not isinstance(body, bool) and body >= 1:
        return body
    raise ValidationError(
        {"version": ValidationError(ERROR_VERSION_REQUIRED, code="version_required")}
    )


def etag(record: Any) -> dict[str, str]:
    """The ``ETag`` header of a versioned record."""
    return {"ETag": f'"{record.version}"'}


class VersionedViewSetMixin:
    """A viewset of versioned records: answers carry the ETag, writes take the version."""

    extra_error_statuses: tuple[int, ...] = ()  # 412 comes with each versioned write
    unversioned_actions: frozenset[str] = frozenset()

    def versioned_response(
        self, record: Any, data: Any, status_code: int = status.HTTP_200_OK
    ) -> Response:
        return Response(data, status=status_code, headers=etag(record))
