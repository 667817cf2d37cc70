"""Strict filter types shared by the apps' FilterSets, and a filter backend that refuses
parameters nobody reads.

django-filter's defaults are lenient in places: a boolean filter reads ``maybe`` as "no
filter", a number filter takes ``1.5`` for an integer, and a misspelt parameter
(``offer_typ=``) is simply ignored, so the client gets every row. These refuse such values
and names, so a client's typo is a 400 naming the parameter (and listing the accepted
ones) rather than a silently wider result.

What an operation accepts is its FilterSet's filters, its paginator's cursor and page size
(lists), and what the view declares in ``extra_query_parameters`` per action (an export's
``file_format``); the schema declares the same (``tests/support/contract.py`` checks it).
"""

import copy
import datetime
from collections.abc import Iterable
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from conversion_db.api.fields import invalid_choice_message

MAX_QUERY_LENGTH = 100


def form_error(message: Any, code: str) -> forms.ValidationError:
    """A form error from an already formatted message (it may echo the user's input).

    django-filter formats every message with ``%`` once more; escape the ``%`` signs a
    user typed so that input such as ``%Ý`` is reported, not a crash.
    """
    return forms.ValidationError(str(message).replace("%", "%%"), code=code)


class StrictBooleanField(forms.TypedChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["choices"] = [("", ""), ("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")]
        kwargs["coerce"] = lambda value: value in ("true", "1")
        kwargs["empty_value"] = None
        super().__init__(*args, **kwargs)


class BooleanFilter(django_filters.BooleanFilter):
    """``true``/``false`` (or 1/0); anything else is a 400."""

    field_class = StrictBooleanField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, passed on in UTC.

    ISO 8601 (and Python) allow UTC offsets up to 23:59, PostgreSQL up to 15:59: a value
    such as ``2026-03-01T00:00:00+21:30`` is a real instant, and in UTC the database takes
    it. An instant outside the years 1 to 9999 once in UTC is a 400.
    """

    def to_python(self, value: Any) -> datetime.datetime | None:
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(_("This time is out of range."), code="out_of_range") from None


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 times with any UTC offset (see UtcIsoDateTimeField)."""

    field_class = UtcIsoDateTimeField


class SearchTextFilter(django_filters.CharFilter):
    """Free text, at most ``MAX_QUERY_LENGTH`` characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet without its per-request ``deepcopy`` of every filter, and
    with an example per filter for the OpenAPI schema (``examples``: filter name to value).

    The deep copy (filters, their form fields, choices, widgets) costs about 2 ms a request,
    more than a lookup by number takes in PostgreSQL. A shallow copy per filter is enough:
    what a request changes on a filter is ``model``, ``parent`` and the bound ``method``, set
    on the copy, and
    the form built from the filters deep-copies its fields itself (Django's Form does).
    """

    def __init__(
        self,
        data: Any = None,
        queryset: Any = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                filter_.method = filter_.method  # rebinds its FilterMethod to this copy

    #: An example value per filter, shown in the schema (conversion_db.api.schema).
    examples: ClassVar[dict[str, Any]] = {}

    _form_classes: dict[type, type] = {}

    def get_form_class(self) -> type:
        """The form class, built once per FilterSet class (django-filter builds a new class,
        and new fields, on every request; each form instance deep-copies its fields anyway)."""
        cls = type(self)
        if cls not in FilterSet._form_classes:
            form_class = super().get_form_class()
            for field in form_class.base_fields.values():
                if isinstance(field, forms.ChoiceField):
                    # As the API's ChoiceField: the error names the valid codes.
                    codes = [value for value, _label in field.choices]  # type: ignore[union-attr,misc]
                    field.error_messages["invalid_choice"] = invalid_choice_message(codes)  # type: ignore[assignment]
            FilterSet._form_classes[cls] = form_class
        return FilterSet._form_classes[cls]


def accepted_query_parameters(
    view: Any, filterset_class: type[django_filters.FilterSet] | None
) -> set[str]:
    """The query parameters an operation reads (see the module docstring)."""
    names = set(filterset_class.base_filters) if filterset_class is not None else set()
    action = getattr(view, "action", None)
    paginator = getattr(view, "paginator", None) if action == "list" else None
    if paginator is not None and hasattr(paginator, "query_parameters"):
        names |= set(paginator.query_parameters())
    names |= set(getattr(view, "extra_query_parameters", {}).get(action, ()))
    return names


def unknown_parameters_error(unknown: Iterable[str], accepted: Iterable[str]) -> ValidationError:
    """One 400 entry per parameter nobody reads, each listing the accepted ones."""
    listed = ", ".join(sorted(accepted)) or "-"
    return ValidationError(
        {
            name: ValidationError(
                _("Unknown parameter “%(name)s”; this operation accepts: %(accepted)s.")
                % {"name": name, "accepted": listed},
                code="unknown_parameter",
            )
            for name in sorted(unknown)
        }
    )


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing query parameters the operation does not read."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        accepted = accepted_query_parameters(view, self.get_filterset_class(view, queryset))
        unknown = set(request.query_params) - accepted
        if unknown:
            raise unknown_parameters_error(unknown, accepted)
        return super().filter_queryset(request, queryset, view)


class StrictQuerySerializer(serializers.Serializer):
    """The query parameters of an operation without filters (a suggestion, a similarity
    search): a name it has no field for is a 400, as in a filtered list.

    ``examples`` (field name to value) are shown in the schema, as a FilterSet's are."""

    examples: ClassVar[dict[str, Any]] = {}

    def to_internal_value(self, data: Any) -> Any:
        unknown = set(data) - set(self.fields)
        if unknown:
            raise unknown_parameters_error(unknown, self.fields)
        return super().to_internal_value(data)
