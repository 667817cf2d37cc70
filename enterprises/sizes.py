"""SME size classes (docs/domain/enterprise-sizes.md §1): pure rules over versioned thresholds.

``industry_group`` maps a GB/T 4754-2017 industry code to the standard's industry group;
``classify`` applies one ``SizeStandard`` row (amounts in 10,000 CNY) to an enterprise's
employees, revenue and assets and says which bound decided. The thresholds are data
(migration ``0002_size_standard_2011`` loads the 2011 standard into ``SizeStandard``), so
a revised standard is a new row with a later ``valid_from``, not a code change.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from enterprises.models.enterprises import Indicator, IndustryGroup, SizeClass

# GB/T 4754-2017 divisions (two digits) to sections (letters).
_SECTIONS = (
    ("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50), ("F", 51, 52),
    ("G", 53, 60), ("H", 61, 62), ("I", 63, 65), ("J", 66, 69), ("K", 70, 70), ("L", 71, 72),
    ("M", 73, 75), ("N", 76, 79), ("O", 80, 82), ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90),
    ("S", 91, 96), ("T", 97, 97),
)  # fmt: skip
_CODE = re.compile(r"^(?P<section>[A-T])?(?P<digits>\d{2,4})?$")


class IndustryCodeError(ValueError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def section_of(division: int) -> str | None:
    for letter, first, last in _SECTIONS:
        if first <= division <= last:
            return letter
    return None


def normalise_industry_code(raw: str) -> str:
    """``c 3841`` -> ``C3841``; the section letter is added when only digits are given."""
    text = "".join(str(raw).split()).upper()
    match = _CODE.match(text)
    if not text or match is None or not (match["section"] or match["digits"]):
        raise IndustryCodeError(
            _("An industry code is a GB/T 4754 section letter and/or 2 to 4 digits, e.g. C3841."),
            "invalid_industry",
        )
    digits = match["digits"] or ""
    section = match["section"]
    if digits:
        expected = section_of(int(digits[:2]))
        if expected is None:
            raise IndustryCodeError(
                _("GB/T 4754 has no division %(division)s.") % {"division": digits[:2]},
                "unknown_industry",
            )
        if section and section != expected:
            raise IndustryCodeError(
                _("Division %(division)s belongs to section %(section)s, not %(given)s.")
                % {"division": digits[:2], "section": expected, "given": section},
                "industry_section_mismatch",
            )
        section = expected
    return f"{section}{digits}"


def industry_group(code: str) -> str | None:
    """The standard's industry group of a normalised code; None when the code is too
    coarse to tell (section F is wholesale or retail, G and H and I and K split too)."""
    section, digits = code[0], code[1:]
    division = int(digits[:2]) if len(digits) >= 2 else None
    if section == "A":
        return IndustryGroup.AGRICULTURE
    if section in "BCD":
        return IndustryGroup.INDUSTRY
    if section == "E":
        return IndustryGroup.CONSTRUCTION
    if section == "L":
        return IndustryGroup.LEASING_BUSINESS
    by_division = {
        51: IndustryGroup.WHOLESALE,
        52: IndustryGroup.RETAIL,
        59: IndustryGroup.WAREHOUSING,
        60: IndustryGroup.POSTAL,
        61: IndustryGroup.ACCOMMODATION,
        62: IndustryGroup.CATERING,
        63: IndustryGroup.INFORMATION_TRANSMISSION,
        64: IndustryGroup.INFORMATION_TRANSMISSION,
        65: IndustryGroup.SOFTWARE_IT,
    }
    if section in "FGHI":
        if division is None:
            return None
        return by_division.get(division, IndustryGroup.TRANSPORT)  # G53-58
    if section == "K":
        if len(digits) < 4:
            return None if len(digits) >= 2 else IndustryGroup.OTHER
        return {
            "7010": IndustryGroup.REAL_ESTATE_DEVELOPMENT,
            "7020": IndustryGroup.PROPERTY_MANAGEMENT,
        }.get(digits[:4], IndustryGroup.OTHER)
    return IndustryGroup.OTHER


@dataclass(frozen=True)
class SizeRule:
    """One row of the standard: the indicators and each class's bounds (10,000 CNY)."""

    industry_group: str
    valid_from: datetime.date
    indicators: tuple[str, ...]
    large: tuple[Decimal, ...]
    medium: tuple[Decimal, ...]
    small: tuple[Decimal, ...]


@dataclass(frozen=True)
class SizeVerdict:
    size_class: str
    reason_en: str
    reason_zh: str


_WAN = Decimal(10_000)


def _label(indicator: str) -> str:
    return {
        Indicator.EMPLOYEES: _("employees"),
        Indicator.REVENUE: _("revenue (10,000 CNY)"),
        Indicator.ASSETS: _("assets (10,000 CNY)"),
    }[Indicator(indicator)]


def in_both_languages(build: Callable[[], object]) -> tuple[str, str]:
    """A message built in English and in Chinese (stored side by side, e.g. a reason)."""
    texts = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            texts.append(str(build()))
    return texts[0], texts[1]


def classify(
    rule: SizeRule,
    *,
    employees: int | None,
    revenue_cny: Decimal | None,
    assets_cny: Decimal | None,
) -> SizeVerdict:
    """Large if every indicator reaches the large bound; otherwise the highest class whose
    every lower bound is met; otherwise micro. Missing figures give ``unknown``."""
    values = {
        Indicator.EMPLOYEES: Decimal(employees) if employees is not None else None,
        Indicator.REVENUE: revenue_cny / _WAN if revenue_cny is not None else None,
        Indicator.ASSETS: assets_cny / _WAN if assets_cny is not None else None,
    }
    figures = [values[Indicator(i)] for i in rule.indicators]
    missing = [i for i, v in zip(rule.indicators, figures, strict=True) if v is None]
    if missing:
        return SizeVerdict(
            SizeClass.UNKNOWN,
            *in_both_languages(
                lambda: (
                    _("Needs %(figures)s for this industry.")
                    % {"figures": ", ".join(_label(i) for i in missing)}
                )
            ),
        )

    known = [v for v in figures if v is not None]

    def shown(bounds: tuple[Decimal, ...], relation: str) -> str:
        return "; ".join(
            f"{_label(i)} {v.normalize():f} {relation} {b.normalize():f}"
            for i, v, b in zip(rule.indicators, known, bounds, strict=True)
        )

    reached = next(
        (
            (size_class, bounds)
            for size_class, bounds in (
                (SizeClass.LARGE, rule.large),
                (SizeClass.MEDIUM, rule.medium),
                (SizeClass.SMALL, rule.small),
            )
            if all(v >= b for v, b in zip(known, bounds, strict=True))
        ),
        None,
    )
    if reached is not None:
        size_class, met = reached

        def reason() -> str:
            return _("%(size)s: every bound met (%(figures)s).") % {
                "size": SizeClass(size_class).label,
                "figures": shown(met, "≥"),
            }

        return SizeVerdict(size_class, *in_both_languages(reason))
    return SizeVerdict(
        SizeClass.MICRO,
        *in_both_languages(
            lambda: (
                _("micro: below a small-enterprise bound (%(figures)s).")
                % {"figures": shown(rule.small, "vs")}
            )
        ),
    )
