"""Writes of technology demands: post, change, open (publish and match), close, expire.

An open demand is matched at once and again whenever it changes
(``enterprises.services.matches.refresh_matches``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, locked, stamp
from enterprises.models import DemandStatus, Enterprise, TechnologyDemand
from enterprises.models.demands import LIVE_DEMAND_STATUSES
from enterprises.services.matches import refresh_matches
from enterprises.services.validation import FieldErrors, field_error, raise_if_errors
from patents.models import OfferType, Region
from patents.reference.ipc import IpcSymbolError, normalise_ipc

MAX_KEYWORDS = 20
MAX_IPC_CODES = 20
MAX_REGIONS = 20
DEMAND_FIELDS = (
    "title", "title_en", "description", "description_en", "keywords", "ipc_codes",
    "wanted_offer_types", "budget_min_cny", "budget_max_cny", "preferred_regions", "deadline",
)  # fmt: skip
EDITABLE_DEMAND = (DemandStatus.DRAFT, DemandStatus.OPEN, DemandStatus.MATCHED)


def _clean_list(values: Iterable[Any], limit: int, field: str, errors: FieldErrors) -> list[str]:
    items = list(dict.fromkeys(" ".join(str(v).split()) for v in values or [] if str(v).strip()))
    if len(items) > limit:
        errors[field] = [
            ValidationError(_("At most %(limit)s items.") % {"limit": limit}, code="too_many")
        ]
    return items


def _clean_demand(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v for k, v in values.items() if k in DEMAND_FIELDS}
    errors: FieldErrors = {}
    for key in ("title", "title_en"):
        if key in cleaned:
            cleaned[key] = " ".join(str(cleaned[key] or "").split())
    for key in ("description", "description_en"):
        if key in cleaned:
            cleaned[key] = str(cleaned[key] or "").strip()
    if "keywords" in cleaned:
        cleaned["keywords"] = _clean_list(cleaned["keywords"], MAX_KEYWORDS, "keywords", errors)
    if "ipc_codes" in cleaned:
        codes = _clean_list(cleaned["ipc_codes"], MAX_IPC_CODES, "ipc_codes", errors)
        normalised, bad = [], []
        for code in codes:
            try:
                normalised.append(normalise_ipc(code))
            except IpcSymbolError:
                bad.append(code)
        if bad:
            errors["ipc_codes"] = [
                ValidationError(
                    _("Not an IPC code: %(codes)s.") % {"codes": ", ".join(bad)},
                    code="invalid_ipc",
                )
            ]
        cleaned["ipc_codes"] = list(dict.fromkeys(normalised))
        cleaned["ipc_subclasses"] = sorted({code[:4] for code in cleaned["ipc_codes"]})
        if cleaned["ipc_codes"]:  # its own codes replace matching's suggestion
            cleaned["suggested_ipc"] = []
    if "wanted_offer_types" in cleaned:
        wanted = _clean_list(cleaned["wanted_offer_types"], 10, "wanted_offer_types", errors)
        unknown = [w for w in wanted if w not in OfferType.values]
        if unknown:
            errors["wanted_offer_types"] = [
                ValidationError(
                    _("Unknown offer type: %(types)s.") % {"types": ", ".join(unknown)},
                    code="invalid_choice",
                )
            ]
        cleaned["wanted_offer_types"] = wanted
    if "preferred_regions" in cleaned:
        codes = _clean_list(cleaned["preferred_regions"], MAX_REGIONS, "preferred_regions", errors)
        known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            errors["preferred_regions"] = [
                ValidationError(
                    _("No administrative division has the code %(code)s.")
                    % {"code": ", ".join(unknown)},
                    code="unknown_region",
                )
            ]
        cleaned["preferred_regions"] = codes
    for key in ("budget_min_cny", "budget_max_cny"):
        value = cleaned.get(key)
        if value is not None and Decimal(value) < 0:
            errors[key] = [ValidationError(_("A budget cannot be negative."), code="negative")]
    raise_if_errors(errors)
    return cleaned


def _check_demand(demand: TechnologyDemand, *, opening: bool) -> None:
    errors: FieldErrors = {}
    if not (demand.title or demand.title_en):
        errors["title"] = [
            ValidationError(_("Give a title in Chinese or in English."), code="required")
        ]
    low, high = demand.budget_min_cny, demand.budget_max_cny
    if low is not None and high is not None and low > high:
        errors["budget_max_cny"] = [
            ValidationError(
                _("The budget's upper bound is below its lower bound."), code="budget_order"
            )
        ]
    if opening and demand.deadline and demand.deadline < timezone.localdate():
        errors["deadline"] = [ValidationError(_("The deadline has already passed."), code="past")]
    raise_if_errors(errors)


@transaction.atomic
def demand_create(
    *, actor: Actor, enterprise: Enterprise, values: dict[str, Any], open_now: bool = False
) -> TechnologyDemand:
    """A draft demand (or an open one, matched at once, with ``open_now``)."""
    demand = TechnologyDemand(enterprise=enterprise, **_clean_demand(values))
    stamp(demand, actor, created=True)
    _check_demand(demand, opening=open_now)
    demand.full_clean()
    demand.save()
    if open_now:
        demand = demand_open(actor=actor, demand=demand, expected_version=demand.version)
    return demand


@transaction.atomic
def demand_update(
    *,
    actor: Actor,
    demand: TechnologyDemand,
    values: dict[str, Any],
    expected_version: int | None,
) -> TechnologyDemand:
    """Change a demand that is not closed; an open one is matched again."""
    demand = locked(TechnologyDemand.objects.all(), demand.pk, expected_version)
    if demand.status not in EDITABLE_DEMAND:
        raise field_error(
            "status",
            _("A demand that is %(status)s cannot be changed.")
            % {"status": demand.get_status_display()},
            "not_editable",
        )
    for key, value in _clean_demand(values).items():
        setattr(demand, key, value)
    live = demand.status in LIVE_DEMAND_STATUSES
    _check_demand(demand, opening=live and "deadline" in values)
    stamp(demand, actor)
    demand.full_clean()
    demand.save()
    if live:
        refresh_matches(demand)
    return demand


def _demand_transition(
    actor: Actor,
    demand: TechnologyDemand,
    *,
    expected_version: int | None,
    allowed_from: Sequence[str],
    to: str,
    **changes: Any,
) -> TechnologyDemand:
    demand = locked(TechnologyDemand.objects.all(), demand.pk, expected_version)
    if demand.status not in allowed_from:
        raise field_error(
            "status",
            _("A demand that is %(status)s cannot become %(target)s.")
            % {"status": demand.get_status_display(), "target": DemandStatus(to).label},
            "invalid_transition",
        )
    demand.status = to
    for key, value in changes.items():
        setattr(demand, key, value)
    stamp(demand, actor)
    demand.save()
    return demand


@transaction.atomic
def demand_open(
    *, actor: Actor, demand: TechnologyDemand, expected_version: int | None
) -> TechnologyDemand:
    """Publish a draft demand and match it."""
    _check_demand(demand, opening=True)
    opened = _demand_transition(
        actor,
        demand,
        expected_version=expected_version,
        allowed_from=[DemandStatus.DRAFT],
        to=DemandStatus.OPEN,
        opened_at=timezone.now(),
    )
    refresh_matches(opened)
    return opened


@transaction.atomic
def demand_close(
    *, actor: Actor, demand: TechnologyDemand, expected_version: int | None
) -> TechnologyDemand:
    return _demand_transition(
        actor,
        demand,
        expected_version=expected_version,
        allowed_from=[DemandStatus.DRAFT, *LIVE_DEMAND_STATUSES],
        to=DemandStatus.CLOSED,
        closed_at=timezone.now(),
    )


def demands_expire(*, on: datetime.date | None = None) -> int:
    """Open demands past their deadline become expired (run daily; reads show it at once:
    ``TechnologyDemand.is_past_deadline``)."""
    on = on or timezone.localdate()
    expired = 0
    due = TechnologyDemand.objects.filter(status__in=LIVE_DEMAND_STATUSES, deadline__lt=on)
    for pk in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            demand = locked(TechnologyDemand.objects.all(), pk)
            if demand.is_past_deadline(on):
                demand.status = DemandStatus.EXPIRED
                demand.closed_at = timezone.now()
                stamp(demand, None)
                demand.save()
                expired += 1
    return expired
