"""Writes of enterprises: registration and changes (with the size class computed again),
designations, verification by operators.

The size class follows docs/domain/enterprise-sizes.md: ``enterprises.sizes`` holds the rules, the
``SizeStandard`` rows the thresholds in force on a date (versioned data).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, acting_user, history_user, locked, stamp
from enterprises import sizes
from enterprises.models import (
    Designation,
    Enterprise,
    EnterpriseMembership,
    SizeClass,
    SizeStandard,
)
from enterprises.services.validation import FieldErrors, field_error, raise_if_errors
from patents.models import Holder, Region
from patents.register.uscc import UsccError, normalise_uscc

ENTERPRISE_FIELDS = (
    "name", "name_en", "uscc", "region", "address", "industry_code", "employees", "revenue_cny",
    "assets_cny", "contact_name", "contact_email", "contact_phone",
)  # fmt: skip
DESIGNATION_FIELDS = (
    "kind",
    "authority",
    "year",
    "valid_until",
    "registration_number",
    "source_url",
)


def clean_enterprise_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v for k, v in values.items() if k in ENTERPRISE_FIELDS}
    errors: FieldErrors = {}
    if "name" in cleaned:
        cleaned["name"] = " ".join(str(cleaned["name"] or "").split())
        if not cleaned["name"]:
            errors["name"] = [ValidationError(_("An enterprise needs a name."), code="required")]
    if "uscc" in cleaned:
        try:
            cleaned["uscc"] = normalise_uscc(str(cleaned["uscc"] or ""))
        except UsccError as exc:
            errors["uscc"] = [ValidationError(str(exc.message), code=exc.code)]
    if "region" in cleaned and not isinstance(cleaned["region"], Region):
        code = str(cleaned["region"] or "").strip()
        region = Region.objects.filter(code=code).first() if code else None
        if code and region is None:
            errors["region"] = [
                ValidationError(
                    _("No administrative division has the code %(code)s.") % {"code": code},
                    code="unknown_region",
                )
            ]
        cleaned["region"] = region
    if cleaned.get("industry_code"):
        try:
            cleaned["industry_code"] = sizes.normalise_industry_code(cleaned["industry_code"])
        except sizes.IndustryCodeError as exc:
            errors["industry_code"] = [ValidationError(exc.message, code=exc.code)]
    for key in ("revenue_cny", "assets_cny", "employees"):
        if key not in cleaned:  # a partial update changes only the fields it was given
            continue
        value = cleaned[key]
        if value is None or value == "":
            cleaned[key] = None
            continue
        try:
            number = Decimal(str(value).replace(",", "").strip())
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors[key] = [
                ValidationError(_("Not a number: %(value)s.") % {"value": value}, code="invalid")
            ]
            continue
        if number < 0:
            errors[key] = [ValidationError(_("An amount cannot be negative."), code="negative")]
        elif key == "employees" and number != number.to_integral_value():
            errors[key] = [ValidationError(_("A number of persons is whole."), code="invalid")]
        else:
            cleaned[key] = int(number) if key == "employees" else number.quantize(Decimal("0.01"))
    raise_if_errors(errors)
    return cleaned


def size_standard_in_force(group: str, on: datetime.date) -> SizeStandard | None:
    return (
        SizeStandard.objects.filter(industry_group=group, valid_from__lte=on)
        .order_by("-valid_from")
        .first()
    )


def size_rule(standard: SizeStandard) -> sizes.SizeRule:
    indicators = tuple(i for i in (standard.first_indicator, standard.second_indicator) if i)
    two = len(indicators) == 2

    def bounds(first: Decimal, second: Decimal | None) -> tuple[Decimal, ...]:
        return (first, second) if two and second is not None else (first,)

    return sizes.SizeRule(
        industry_group=standard.industry_group,
        valid_from=standard.valid_from,
        indicators=indicators,
        large=bounds(standard.large_first, standard.large_second),
        medium=bounds(standard.medium_first, standard.medium_second),
        small=bounds(standard.small_first, standard.small_second),
    )


def apply_size_class(enterprise: Enterprise, *, on: datetime.date | None = None) -> None:
    """Set the size class, the standard that produced it and the reason (not saved)."""
    on = on or timezone.localdate()
    enterprise.size_standard = None
    if not enterprise.industry_code:
        enterprise.size_class = SizeClass.UNKNOWN
        enterprise.size_reason, enterprise.size_reason_zh = sizes.in_both_languages(
            lambda: _("Needs an industry code (GB/T 4754).")
        )
        return
    group = sizes.industry_group(enterprise.industry_code)
    standard = size_standard_in_force(group, on) if group else None
    if standard is None:
        enterprise.size_class = SizeClass.UNKNOWN
        code = enterprise.industry_code
        enterprise.size_reason, enterprise.size_reason_zh = sizes.in_both_languages(
            lambda: (
                _(
                    "The industry code %(code)s is too coarse to choose a size standard; give the division."
                )
                % {"code": code}
            )
        )
        return
    verdict = sizes.classify(
        size_rule(standard),
        employees=enterprise.employees,
        revenue_cny=enterprise.revenue_cny,
        assets_cny=enterprise.assets_cny,
    )
    enterprise.size_standard = standard
    enterprise.size_class = verdict.size_class
    enterprise.size_reason, enterprise.size_reason_zh = verdict.reason_en, verdict.reason_zh


def _link_holder(enterprise: Enterprise) -> None:
    enterprise.holder = Holder.objects.filter(uscc=enterprise.uscc).first()


def check_unique_uscc(uscc: str, *, exclude_pk: int | None = None) -> None:
    others = Enterprise.objects.filter(uscc=uscc)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = others.exists()
    if taken:
        raise field_error(
            "uscc",
            _("Another enterprise has this unified social credit code."),
            "duplicate_uscc",
        )


@transaction.atomic
def enterprise_create(
    *,
    actor: Actor,
    values: dict[str, Any],
    designations: Sequence[dict[str, Any]] | None = None,
) -> Enterprise:
    """Register an enterprise; a non-operator who registers it becomes its administrator."""
    cleaned = clean_enterprise_values(values)
    for key in ("name", "uscc"):
        if not cleaned.get(key):
            raise field_error(key, _("This field is required."), "required")
    enterprise = Enterprise(**cleaned)
    stamp(enterprise, actor, created=True)
    apply_size_class(enterprise)
    _link_holder(enterprise)
    check_unique_uscc(enterprise.uscc, exclude_pk=enterprise.pk)
    enterprise.full_clean(exclude=["size_standard"])
    enterprise.save()
    if designations is not None:
        _set_designations(enterprise, designations, actor)
    user = acting_user(actor)
    if user is not None and not user.is_staff:
        membership = EnterpriseMembership(
            enterprise=enterprise, user=user, role=EnterpriseMembership.Role.ADMIN
        )
        history_user(membership, actor)
        membership.save()
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    actor: Actor,
    enterprise: Enterprise,
    values: dict[str, Any],
    expected_version: int | None,
    designations: Sequence[dict[str, Any]] | None = None,
) -> Enterprise:
    """Change an enterprise (its size class is computed again); ``designations``, when
    given, replace its designations. A new credit code needs an operator's check again."""
    enterprise = locked(Enterprise.objects.all(), enterprise.pk, expected_version)
    cleaned = clean_enterprise_values(values)
    for key in ("name", "uscc"):
        if key in cleaned and not cleaned[key]:
            raise field_error(key, _("This field is required."), "required")
    uscc_changed = "uscc" in cleaned and cleaned["uscc"] != enterprise.uscc
    for key, value in cleaned.items():
        setattr(enterprise, key, value)
    if uscc_changed:
        enterprise.verified = False  # a different legal entity: an operator checks again
        _link_holder(enterprise)
        check_unique_uscc(enterprise.uscc, exclude_pk=enterprise.pk)
    apply_size_class(enterprise)
    stamp(enterprise, actor)
    enterprise.full_clean(exclude=["size_standard"])
    enterprise.save()
    if designations is not None:
        _set_designations(enterprise, designations, actor)
    return enterprise


def _set_designations(
    enterprise: Enterprise, designations: Sequence[dict[str, Any]], actor: Actor
) -> None:
    """Replace the enterprise's designations (claims an operator verifies with the rest)."""
    errors: FieldErrors = {}
    seen: set[tuple[str, int]] = set()
    rows = []
    for index, item in enumerate(designations):
        row = Designation(
            enterprise=enterprise,
            **{k: item[k] for k in DESIGNATION_FIELDS if item.get(k) not in (None, "")},
        )
        key = (row.kind, row.year)
        if key in seen:
            errors.setdefault(f"designations.{index}", []).append(
                ValidationError(
                    _("This designation is already recorded for this year."), code="duplicate"
                )
            )
        seen.add(key)
        if row.valid_until and row.year and row.valid_until.year < row.year:
            errors.setdefault(f"designations.{index}", []).append(
                ValidationError(_("It cannot end before its year."), code="date_order")
            )
        try:
            row.full_clean(exclude=["enterprise"], validate_unique=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(f"designations.{index}.{field}", []).extend(
                    ValidationError(m, code="invalid") for m in messages
                )
        rows.append(row)
    raise_if_errors(errors)
    Designation.objects.filter(enterprise=enterprise).delete()
    for row in rows:
        history_user(row, actor)
        row.save()


@transaction.atomic
def enterprises_verify(
    *, actor: Actor, enterprise_ids: Iterable[int], verified: bool = True
) -> int:
    """Operators' bulk action: mark enterprises verified (history per enterprise)."""
    changed = 0
    for enterprise in Enterprise.objects.select_for_update().filter(pk__in=list(enterprise_ids)):
        if enterprise.verified == verified:
            continue
        enterprise.verified = verified
        stamp(enterprise, actor)
        enterprise.save()
        changed += 1
    return changed
