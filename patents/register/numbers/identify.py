"""The search box: which kind of number a typed text is (``identify_number``)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from patents.register.numbers.application import parse_application_number
from patents.register.numbers.common import (
    SEPARATORS,
    NumberKind,
    PatentNumberError,
    interpolate,
    is_blank,
    normalise,
)
from patents.register.numbers.international import (
    parse_pct_application_number,
    parse_wo_publication_number,
)
from patents.register.numbers.publication import parse_publication_number


def _closest_error(text: str) -> PatentNumberError | None:
    """The error of the family a text that parses as nothing most resembles."""
    cleaned = normalise(text)
    try:
        if cleaned.startswith("PCT"):
            parse_pct_application_number(text)
        elif cleaned.startswith("WO"):
            parse_wo_publication_number(text)
        elif re.fullmatch(r"CN(?:[0-9]{7}|[0-9]{9})", cleaned):
            # A publication number without its kind code, unless only the check is wrong.
            try:
                parse_application_number(text)
            except PatentNumberError as error:
                if error.code in ("invalid_check", "unexpected_check"):
                    return error
            parse_publication_number(text)
        elif re.fullmatch(r"(?:CN|ZL)?[0-9X" + SEPARATORS + "]+", cleaned):
            parse_application_number(text)
        elif re.fullmatch(r"[A-Z]{2}[0-9]+[A-Z]?[0-9]?", cleaned):
            parse_publication_number(text)
    except PatentNumberError as error:
        return error
    return None


def identify_number(text: str) -> tuple[NumberKind, str]:
    """Recognise a number typed into a search box: ``(kind, canonical)``.

    Tries, in order, an application number (strict; the ``ZL`` patent-number form and a
    number without its check character included), a publication number, a PCT application
    number and a WO publication number. When none parses, raises ``PatentNumberError`` with
    code ``unrecognised_number``; its ``closest`` attribute then holds the error of the
    family the text most resembles (e.g. ``invalid_check`` with the expected character), or
    None. Blank input raises code ``empty``.
    """
    if is_blank(text):
        raise PatentNumberError(
            "empty",
            _(
                "Enter a patent number, such as 201910209152.5, CN109918572B, "
                "PCT/CN2009/072663 or WO 2010/003367 A1."
            ),
        )
    try:
        return "application", parse_application_number(text).canonical
    except PatentNumberError:
        pass
    try:
        return "publication", parse_publication_number(text).canonical
    except PatentNumberError:
        pass
    try:
        return "pct", parse_pct_application_number(text).canonical
    except PatentNumberError:
        pass
    try:
        return "wo", parse_wo_publication_number(text).canonical
    except PatentNumberError:
        pass
    value = text.strip()
    params = {"value": value}
    raise PatentNumberError(
        "unrecognised_number",
        interpolate(
            _(
                "“%(value)s” is not an application, publication, PCT or WO number that we "
                "recognise."
            ),
            params,
        ),
        params,
        closest=_closest_error(text),
    )
