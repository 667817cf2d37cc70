"""Keyset (cursor) pagination on a unique ordering, with a bounded page size.

Lists never run ``COUNT(*)`` and never ``OFFSET``: a page is ``WHERE (ordering) > (the
last row seen) ORDER BY ordering LIMIT page_size + 1``, which an index on the ordering
serves in constant time however deep the page (the 50th page costs what the first does).

The ordering comes from the view (``keyset_ordering``, or ``get_keyset_ordering()`` when
it depends on the request) and must end in a unique, non-null column so that every row
has exactly one position. The cursor is opaque to clients (base64 JSON of the last row's
ordering values and the direction); a cursor that does not decode is a 400 on ``cursor``.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import BooleanField, Expression, F, Q, QuerySet, Value
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class CursorEncoder(DjangoJSONEncoder):
    """Django's JSON encoder, keeping times to the microsecond: it cuts them to milliseconds
    (as ECMA-262 dates), and a cursor so cut no longer points at its row, so a ``previous``
    link would bring back rows of the page it came from and ``next`` could skip rows."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


BIGINT = 2**63


def check_cursor_value(value: Any) -> None:
    """A cursor holds scalars a row can have: text PostgreSQL accepts (no NUL, no lone
    surrogate), numbers within a bigint or finite, booleans, null. Raises ``ValueError`` otherwise."""
    if value is None:
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return
    if not isinstance(value, int | str):  # (a bool is an int: a boolean column's value)
        raise ValueError("not a scalar")
    if isinstance(value, int) and not -BIGINT <= value < BIGINT:
        raise ValueError("out of range")
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("NUL")
        value.encode("utf-8")  # UnicodeEncodeError (a ValueError) for a lone surrogate


class RowComparison(Expression):
    """``(a, b, c) > (x, y, z)``: one index range condition for a uniform-direction ordering."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, columns: Sequence[str], values: Sequence[Any], operator: str) -> None:
        super().__init__()
        self.columns: list[Any] = [F(column) for column in columns]
        self.values: list[Any] = [Value(value) for value in values]
        self.operator = operator

    def get_source_expressions(self) -> list[Any]:
        return [*self.columns, *self.values]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        count = len(self.columns)
        self.columns, self.values = list(exprs[:count]), list(exprs[count:])

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        left = [compiler.compile(expression) for expression in self.columns]
        right = [compiler.compile(expression) for expression in self.values]
        sql = "({}) {} ({})".format(
            ", ".join(part for part, _ in left), self.operator, ", ".join(part for part, _ in right)
        )
        params = [param for _, group in left + right for param in group]
        return sql, params


def _after(ordering: Sequence[str], values: Sequence[Any], *, reverse: bool) -> Q | RowComparison:
    """The condition for rows strictly after ``values`` in ``ordering`` (before, if reverse)."""
    descending = [name.startswith("-") for name in ordering]
    names = [name.lstrip("-") for name in ordering]
    if reverse:
        descending = [not flag for flag in descending]
    if all(flag == descending[0] for flag in descending):
        return RowComparison(names, values, "<" if descending[0] else ">")
    condition = Q()
    for index, name in enumerate(names):
        step = Q(**{f"{name}__{'lt' if descending[index] else 'gt'}": values[index]})
        for previous in range(index):
            step &= Q(**{names[previous]: values[previous]})
        condition |= step
    return condition


@dataclass(frozen=True)
class OrderedWindow:
    """The rows a list may show, already in its keyset order, as ``(value, id)`` pairs of
    an ordering ``["-value", "-id"]`` (a search engine's best matches and their scores).

    Set on a queryset as ``ordered_window`` (``patents.search.ranking.best_by_engine``),
    it lets a page read only the rows near its cursor: ``page_ids`` gives the ids of the
    page and a margin, so the database sorts a few dozen rows instead of the whole window
    (1,000 rows read to show 20)."""

    entries: tuple[tuple[float, int], ...]  # best first: value descending, then id descending

    @classmethod
    def of(cls, pairs: Sequence[tuple[float, int]]) -> OrderedWindow:
        return cls(tuple(sorted(pairs, key=lambda pair: (-pair[0], -pair[1]))))

    def page_ids(
        self, values: Sequence[Any] | None, reverse: bool, size: int
    ) -> tuple[list[int], bool]:
        """The ids after (or, ``reverse``, before) the cursor ``values``, enough for a page
        of ``size`` and a margin; and whether they reach the window's end that way."""
        keys = [(-value, -pk) for value, pk in self.entries]
        margin = 2 * (size + 1)
        if values is None:
            start = 0
        else:
            key = (-float(values[0]), -int(values[1]))
            start = bisect.bisect_right(keys, key) if not reverse else bisect.bisect_left(keys, key)
        if reverse:
            chunk = self.entries[max(0, start - margin) : start]
            return [pk for _value, pk in chunk], start - margin <= 0
        chunk = self.entries[start : start + margin]
        return [pk for _value, pk in chunk], start + margin >= len(self.entries)


class KeysetPagination(BasePagination):
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"

    def query_parameters(self) -> tuple[str, str]:
        """What a paginated list reads besides its filters."""
        return (self.cursor_query_param, self.page_size_query_param)

    default_page_size = 20
    max_page_size = 100

    def __init__(self) -> None:
        from django.conf import settings

        self.default_page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE

    # --- request parsing -----------------------------------------------------------------
    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.default_page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: ValidationError(
                        _("Page size must be a whole number from 1 to %(max)d."),
                        code="invalid_page_size",
                        params={"max": self.max_page_size},
                    )
                }
            )
        return size

    def decode_cursor(
        self, request: Request, ordering: Sequence[str]
    ) -> tuple[list[Any], bool] | None:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            payload = json.loads(
                base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4))
            )
            values, reverse = payload["v"], bool(payload.get("r", False))
            if not isinstance(values, list) or len(values) != len(ordering):
                raise ValueError
            for value in values:
                check_cursor_value(value)
        except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
            raise self._invalid_cursor() from None
        return values, reverse

    def _invalid_cursor(self) -> ValidationError:
        message = _("This cursor is not valid for this list; follow the next or previous links.")
        return ValidationError(
            {self.cursor_query_param: ValidationError(message, code="invalid_cursor")}
        )

    @staticmethod
    def encode_cursor(values: Sequence[Any], *, reverse: bool) -> str:
        payload = json.dumps(
            {"v": list(values), "r": reverse}, cls=CursorEncoder, separators=(",", ":")
        )
        return base64.urlsafe_b64encode(payload.encode()).decode("ascii").rstrip("=")

    # --- ordering ---------------------------------------------------------------------------
    @staticmethod
    def get_ordering(queryset: QuerySet, view: Any) -> list[str]:
        if hasattr(view, "get_keyset_ordering"):
            ordering = list(view.get_keyset_ordering())
        else:
            ordering = list(getattr(view, "keyset_ordering", None) or queryset.model._meta.ordering)
        if not ordering:
            raise ImproperlyConfigured(f"{type(view).__name__} needs a keyset ordering.")
        last = ordering[-1].lstrip("-")
        if LOOKUP_SEP not in last and last not in queryset.query.annotations:
            field = queryset.model._meta.get_field(last)
            if not (field.unique or field.primary_key):
                raise ImproperlyConfigured(
                    f"Keyset ordering must end in a unique column, not {last}."
                )
        return ordering

    @staticmethod
    def _position(row: Any, ordering: Sequence[str]) -> list[Any]:
        return [getattr(row, name.lstrip("-")) for name in ordering]

    @staticmethod
    def _restore(queryset: QuerySet, ordering: Sequence[str], values: Sequence[Any]) -> list[Any]:
        """Turn JSON values back into the column types (dates, decimals) they came from. An
        annotation (a search rank) is a number; anything else is an invalid cursor."""
        restored = []
        for name, value in zip(ordering, values, strict=True):
            column = name.lstrip("-")
            if value is None:
                pass
            elif column in queryset.query.annotations:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ValidationError("not a number", code="invalid")
            else:
                value = queryset.model._meta.get_field(column).to_python(value)
            restored.append(value)
        return restored

    # --- pagination ---------------------------------------------------------------------------
    def _fetch(self, ordered: QuerySet, view: Any) -> list[Any]:
        """The page plus one row. With ``keyset_ids_first`` on the view (and an ordering on
        stored columns), the ids come first, from a narrow query that an index covering the
        ordering and the filtered columns answers without reading the table, then the rows
        by id: a filtered list reads 21 rows, not the thousands its filters skip."""
        limit = self.page_size + 1
        annotated = any(name.lstrip("-") in ordered.query.annotations for name in self.ordering)
        if not getattr(view, "keyset_ids_first", False) or annotated:
            return list(ordered[:limit])
        ids = list(ordered.values_list("pk", flat=True)[:limit])
        by_id = {row.pk: row for row in ordered.order_by().filter(pk__in=ids)}
        return [by_id[pk] for pk in ids if pk in by_id]

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.page_size = self.get_page_size(request)
        ordering = self.get_ordering(queryset, view)
        self.ordering = ordering
        window = getattr(queryset, "ordered_window", None)
        cursor = self.decode_cursor(request, ordering)
        reverse = bool(cursor and cursor[1])
        if cursor is not None:
            try:
                values = self._restore(queryset, ordering, cursor[0])
            except ValidationError:
                raise self._invalid_cursor() from None
            queryset = queryset.filter(_after(ordering, values, reverse=reverse))
        order_by = (
            [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]
            if reverse
            else ordering
        )
        rows = None
        if isinstance(window, OrderedWindow) and len(ordering) == 2 and ordering[1] == "-id":
            ids, complete = window.page_ids(cursor[0] if cursor else None, reverse, self.page_size)
            rows = self._fetch(queryset.filter(pk__in=ids).order_by(*order_by), view)
            if len(rows) <= self.page_size and not complete:
                rows = None  # rows of the margin left the list since: read the whole window
        if rows is None:
            rows = self._fetch(queryset.order_by(*order_by), view)
        has_more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
            self.has_next, self.has_previous = True, has_more
        else:
            self.has_next, self.has_previous = has_more, cursor is not None
        self.rows = rows
        return rows

    def _link(self, *, reverse: bool) -> str | None:
        if not self.rows:
            return None
        anchor = self.rows[0] if reverse else self.rows[-1]
        cursor = self.encode_cursor(self._position(anchor, self.ordering), reverse=reverse)
        return replace_query_param(
            self.request.build_absolute_uri(), self.cursor_query_param, cursor
        )

    def get_next_link(self) -> str | None:
        return self._link(reverse=False) if self.has_next else None

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.rows:
            return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return self._link(reverse=True)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    # --- schema -----------------------------------------------------------------------------------
    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "Link to the next page; null on the last page. / 下一页链接。",
                    "example": "https://example.org/api/v1/ipc/?cursor=eyJ2IjpbIkgiXSwiciI6ZmFsc2V9",
                },
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "Link to the previous page; null on the first page. / 上一页链接。",
                    "example": None,
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Opaque position in the list, taken from a `next` or `previous` link. "
                    "分页游标：取自 next/previous 链接，请勿自行构造。"
                ),
                "schema": {"type": "string"},
                "example": "eyJ2IjpbIkgiXSwiciI6ZmFsc2V9",
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Rows per page, 1 to {self.max_page_size} (default {self.default_page_size}); "
                    f"other values are a 400. 每页条数，1 至 {self.max_page_size}。"
                ),
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.default_page_size,
                },
                "example": self.default_page_size,
            },
        ]


class CountedKeysetPagination(KeysetPagination):
    """Keyset pages that also say how many rows the list has in all (``count``), when the
    view can tell at no real cost (the search engine counts every match exactly); null
    otherwise. Never a COUNT(*) over the table."""

    count: int | None = None

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data = {"count": self.count, **response.data}
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        answer = super().get_paginated_response_schema(schema)
        answer["properties"] = {
            "count": {
                "type": "integer",
                "nullable": True,
                "description": (
                    "How many rows the list holds in all, over every page: exact, counted by "
                    "the search engine; null where the engine does not answer (a `number` "
                    "lookup, the engine turned off or not built yet). / 结果总数（精确）；"
                    "搜索引擎不可用时为 null。"
                ),
                "example": 1284,
            },
            **answer["properties"],
        }
        return answer
