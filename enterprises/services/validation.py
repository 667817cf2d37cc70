"""How the demand side's services report a refused write: Django ``ValidationError`` with
field keys and stable codes, which the API renders as one 400 (``conversion_db.api.errors``).

A service collects every problem of a write it can find in ``{field: [ValidationError]}``
and raises them together (``raise_if_errors``), or stops at one (``field_error``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

FieldErrors = dict[str, list[ValidationError]]
"""Problems found so far, by field (``designations.0.year``, ``query.ipc`` ...)."""


def raise_if_errors(errors: FieldErrors) -> None:
    """Raise every problem collected, at once; nothing when there is none."""
    if errors:
        raise ValidationError(errors)


def field_error(field: str, message: Any, code: str) -> ValidationError:
    """One problem with one field, to raise."""
    return ValidationError({field: ValidationError(message, code=code)})
