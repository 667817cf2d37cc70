"""Strict filter types shared by the apps' FilterSets.

django-filter's defaults are lenient in places: a boolean filter reads ``maybe`` as "no
filter", a number filter takes ``1.5`` for an integer. These refuse such values, so a
client's typo is a 400 naming the parameter rather than a silently wider result.
"""

from typing import Any

import django_filters
from django import forms

MAX_QUERY_LENGTH = 100


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


class SearchTextFilter(django_filters.CharFilter):
    """Free text, at most ``MAX_QUERY_LENGTH`` characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        super().__init__(*args, **kwargs)
