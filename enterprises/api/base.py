"""What every viewset of the demand side answers the same way."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from conversion_db.api.versioning import VersionedViewSetMixin, etag


class DemandSideViewSet(VersionedViewSetMixin, viewsets.GenericViewSet):
    """Signed-in users only; lists in keyset pages, newest first; ids are numbers.

    ``get_queryset`` is a selector of ``enterprises.selectors`` (visibility applied): a
    record outside it answers 404, whoever owns it. ``serializer_class`` is the shape every
    answer has; an answer about one record carries its version as the ETag.
    """

    permission_classes = [permissions.IsAuthenticated]
    keyset_ordering = ["-id"]
    lookup_value_regex = "[0-9]+"

    def visible_object(self) -> Any:
        """The record named in the URL, when the user may see it (404 otherwise)."""
        found = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        return found

    def answer(self, record: Any, code: int = status.HTTP_200_OK, **context: Any) -> Response:
        """After a write: ``record`` as it reads now, through ``get_queryset`` (the
        relations its shape needs, one query), with its ETag; ``context`` goes to the
        serializer."""
        return self.respond(self.get_queryset().get(pk=record.pk), code, **context)

    def respond(self, record: Any, code: int = status.HTTP_200_OK, **context: Any) -> Response:
        """``record`` (read through ``get_queryset``) in the answer's shape, with its ETag."""
        body = self.read_serializer(record, context=context).data
        return Response(body, status=code, headers=etag(record))

    def read_serializer(self, *args: Any, **kwargs: Any) -> serializers.BaseSerializer:
        serializer_class = self.serializer_class
        if serializer_class is None:
            raise NotImplementedError(f"{type(self).__name__} needs a serializer_class")
        return serializer_class(*args, **kwargs)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.read_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.respond(self.visible_object())


def validated_data(
    serializer_class: type[serializers.Serializer], request: Request, *, partial: bool = False
) -> dict[str, Any]:
    """The request body as ``serializer_class`` validates it (a 400 naming each field
    otherwise)."""
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
