"""Serializer fields every app's API uses instead of DRF's own where DRF's answer is too
thin.

- ``ChoiceField`` (also as a ListField's child): an invalid choice names the valid codes,
  ``“foo” is not a valid choice; valid: too_early, benefit_unclear, price …`` (zh-hans:
  ``“foo”不是有效选项；可选：…``), so a client learns the vocabulary from the error. The
  strict FilterSet base (``conversion_db.api.filters.FilterSet``) gives choice filters the
  same message (``invalid_choice_message``).
- ``ModelSerializer``: the base of every model serializer; its choice fields are the
  ``ChoiceField`` above (``serializer_choice_field``).
- ``money_field``: an amount in CNY, always a decimal string with two places
  (``"300000.00"``), never a JSON number (``tests/api/test_write_contract.py`` walks the schema).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

INVALID_CHOICE = _("“%(value)s” is not a valid choice; valid: %(valid)s.")


def _invalid_choice_message(valid: str) -> str:
    # %(value)s stays for the field to fill; the valid codes are filled in now.
    return str(INVALID_CHOICE).replace("%(valid)s", valid)


def invalid_choice_message(codes: Iterable[Any]) -> str | Promise:
    """The invalid-choice message of a field whose valid codes are ``codes``, translated
    when read, with ``%(value)s`` left for the field to fill in."""
    valid = ", ".join(str(code) for code in codes if code not in ("", None))
    return _lazy_invalid_choice(valid)


_lazy_invalid_choice = lazy(_invalid_choice_message, str)


class ChoiceField(serializers.ChoiceField):
    """DRF's ChoiceField whose invalid-choice error lists the valid codes."""

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[str(data)]
        except KeyError:
            self.fail_invalid(data)

    def fail_invalid(self, data: Any) -> None:
        message = str(invalid_choice_message(self.choice_strings_to_values)) % {
            "value": str(data)[:100]
        }
        raise serializers.ValidationError(message, code="invalid_choice")


class ModelSerializer(serializers.ModelSerializer):
    """The project's model serializer: model choices become the ``ChoiceField`` above."""

    serializer_choice_field = ChoiceField


def money_field(**kwargs: Any) -> serializers.DecimalField:
    """An amount in CNY: a decimal string with two places in JSON (``"300000.00"``)."""
    kwargs.setdefault("max_digits", 16)
    kwargs.setdefault("decimal_places", 2)
    return serializers.DecimalField(coerce_to_string=True, **kwargs)


def money(value: Decimal | int | str | None) -> str | None:
    """An amount as the API writes it: ``"300000.00"``, or ``None``."""
    if value is None:
        return None
    return format(Decimal(value).quantize(Decimal("0.01")), "f")
