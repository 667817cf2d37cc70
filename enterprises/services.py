"""Writes of the demand side: every rule about enterprises, demands, matches, inquiries and
deals lives here.

Each write is one service call in one transaction with the acting user; the API, the
admin, ``seed`` and the commands call these functions. Errors are Django
``ValidationError`` with field keys and stable codes (400), ``StaleVersion`` (412) when the
caller's version is not the current one. A deal records its licence through
``patents.licensing.records.licence_record_create``, so every rule of DOMAIN.md 7 and 8 applies.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from conversion_db.services import Actor, acting_user, check_version, stamp
from enterprises import sizes
from enterprises.matching.matches import ExplainedMatch, demand_query, find_matches, score_patents
from enterprises.models import (
    Deal,
    DeclineReason,
    DemandStatus,
    Designation,
    Enterprise,
    EnterpriseMembership,
    Inquiry,
    InquiryStatus,
    Match,
    MatchState,
    SizeClass,
    SizeStandard,
    TechnologyDemand,
)
from patents.licensing import records
from patents.models import (
    Holder,
    HolderMembership,
    Holding,
    LicenceKind,
    LicensingOffer,
    OfferStatus,
    OfferType,
    Patent,
    Region,
)
from patents.reference.ipc import IpcSymbolError, normalise_ipc
from patents.register.terms import add_months
from patents.register.uscc import UsccError, normalise_uscc

logger = logging.getLogger(__name__)


RECORDATION_MONTHS = 3  # DOMAIN.md 8: record within 3 months of the contract taking effect
MAX_KEYWORDS = 20
MAX_IPC_CODES = 20
MAX_REGIONS = 20


def _errors(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)


def _error(field: str, message: Any, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# --- Enterprises ------------------------------------------------------------------------
ENTERPRISE_FIELDS = (
    "name", "name_en", "uscc", "region", "address", "industry_code", "employees", "revenue_cny",
    "assets_cny", "contact_name", "contact_email", "contact_phone",
)  # fmt: skip


def clean_enterprise_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v for k, v in values.items() if k in ENTERPRISE_FIELDS}
    errors: dict[str, list[ValidationError]] = {}
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
        value = cleaned.get(key)
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
    _errors(errors)
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
        raise _error(
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
            raise _error(key, _("This field is required."), "required")
    enterprise = Enterprise(**cleaned)
    stamp(enterprise, actor, created=True)
    apply_size_class(enterprise)
    _link_holder(enterprise)
    check_unique_uscc(enterprise.uscc, exclude_pk=enterprise.pk)
    enterprise.full_clean(exclude=["size_standard"])
    enterprise.save()
    if designations is not None:
        _set_designations(enterprise, designations)
    user = acting_user(actor)
    if user is not None and not user.is_staff:
        EnterpriseMembership.objects.create(
            enterprise=enterprise, user=user, role=EnterpriseMembership.Role.ADMIN
        )
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
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    check_version(locked, expected_version)
    cleaned = clean_enterprise_values(values)
    for key in ("name", "uscc"):
        if key in cleaned and not cleaned[key]:
            raise _error(key, _("This field is required."), "required")
    uscc_changed = "uscc" in cleaned and cleaned["uscc"] != locked.uscc
    for key, value in cleaned.items():
        setattr(locked, key, value)
    if uscc_changed:
        locked.verified = False  # a different legal entity: an operator checks again
        _link_holder(locked)
        check_unique_uscc(locked.uscc, exclude_pk=locked.pk)
    apply_size_class(locked)
    stamp(locked, actor)
    locked.full_clean(exclude=["size_standard"])
    locked.save()
    if designations is not None:
        _set_designations(locked, designations)
    return locked


def _set_designations(enterprise: Enterprise, designations: Sequence[dict[str, Any]]) -> None:
    """Replace the enterprise's designations (claims an operator verifies with the rest)."""
    errors: dict[str, list[ValidationError]] = {}
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
    _errors(errors)
    Designation.objects.filter(enterprise=enterprise).delete()
    for row in rows:
        row.save()


DESIGNATION_FIELDS = (
    "kind",
    "authority",
    "year",
    "valid_until",
    "registration_number",
    "source_url",
)


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


# --- Demands ----------------------------------------------------------------------------
DEMAND_FIELDS = (
    "title", "title_en", "description", "description_en", "keywords", "ipc_codes",
    "wanted_offer_types", "budget_min_cny", "budget_max_cny", "preferred_regions", "deadline",
)  # fmt: skip
EDITABLE_DEMAND = (DemandStatus.DRAFT, DemandStatus.OPEN, DemandStatus.MATCHED)
LIVE_DEMAND = (DemandStatus.OPEN, DemandStatus.MATCHED)


def _clean_list(values: Iterable[Any], limit: int, field: str, errors: dict[str, Any]) -> list[str]:
    items = list(dict.fromkeys(" ".join(str(v).split()) for v in values or [] if str(v).strip()))
    if len(items) > limit:
        errors[field] = [
            ValidationError(_("At most %(limit)s items.") % {"limit": limit}, code="too_many")
        ]
    return items


def _clean_demand(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v for k, v in values.items() if k in DEMAND_FIELDS}
    errors: dict[str, list[ValidationError]] = {}
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
    _errors(errors)
    return cleaned


def _check_demand(demand: TechnologyDemand, *, opening: bool) -> None:
    errors: dict[str, list[ValidationError]] = {}
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
    _errors(errors)


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
    locked = TechnologyDemand.objects.select_for_update().get(pk=demand.pk)
    check_version(locked, expected_version)
    if locked.status not in EDITABLE_DEMAND:
        raise _error(
            "status",
            _("A demand that is %(status)s cannot be changed.")
            % {"status": locked.get_status_display()},
            "not_editable",
        )
    for key, value in _clean_demand(values).items():
        setattr(locked, key, value)
    _check_demand(locked, opening=locked.status in LIVE_DEMAND and "deadline" in values)
    stamp(locked, actor)
    locked.full_clean()
    locked.save()
    if locked.status in LIVE_DEMAND:
        refresh_matches(locked)
    return locked


def _demand_transition(
    actor: Actor,
    demand: TechnologyDemand,
    *,
    expected_version: int | None,
    allowed_from: Sequence[str],
    to: str,
    **changes: Any,
) -> TechnologyDemand:
    locked = TechnologyDemand.objects.select_for_update().get(pk=demand.pk)
    check_version(locked, expected_version)
    if locked.status not in allowed_from:
        raise _error(
            "status",
            _("A demand that is %(status)s cannot become %(target)s.")
            % {"status": locked.get_status_display(), "target": DemandStatus(to).label},
            "invalid_transition",
        )
    locked.status = to
    for key, value in changes.items():
        setattr(locked, key, value)
    stamp(locked, actor)
    locked.save()
    return locked


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
        allowed_from=[DemandStatus.DRAFT, *LIVE_DEMAND],
        to=DemandStatus.CLOSED,
        closed_at=timezone.now(),
    )


def demands_expire(*, on: datetime.date | None = None) -> int:
    """Open demands past their deadline become expired (run daily; also checked on read)."""
    on = on or timezone.localdate()
    expired = 0
    due = TechnologyDemand.objects.filter(status__in=LIVE_DEMAND, deadline__lt=on)
    for pk in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            demand = TechnologyDemand.objects.select_for_update().get(pk=pk)
            if demand.status in LIVE_DEMAND and demand.deadline and demand.deadline < on:
                demand.status = DemandStatus.EXPIRED
                demand.closed_at = timezone.now()
                stamp(demand, None)
                demand.save()
                expired += 1
    return expired


# --- Matches ----------------------------------------------------------------------------
MATCHES_PER_DEMAND = 20
MATCH_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MatchState.SUGGESTED: (MatchState.VIEWED, MatchState.CONTACTED, MatchState.DISMISSED),
    MatchState.VIEWED: (MatchState.CONTACTED, MatchState.DISMISSED),
    MatchState.CONTACTED: (MatchState.NEGOTIATING, MatchState.DISMISSED),
    MatchState.NEGOTIATING: (MatchState.CONCLUDED, MatchState.DISMISSED),
    MatchState.CONCLUDED: (),
    MatchState.DISMISSED: (MatchState.VIEWED,),  # undo a dismissal
}


def refresh_matches(demand: TechnologyDemand) -> list[Match]:
    """Match the demand again: new patents are suggested, scores and explanations of the
    ones kept are renewed (their state stays), untouched suggestions that no longer rank
    are dropped. A demand with matches is ``matched``."""
    found = find_matches(demand_query(demand), limit=MATCHES_PER_DEMAND)
    existing = {m.patent_id: m for m in Match.objects.filter(demand=demand)}
    kept: list[Match] = []
    created: list[Match] = []
    updated: list[Match] = []
    now = timezone.now()
    for result in found:
        score = Decimal(str(round(result.score, 2)))
        explanation = result.as_json()
        match = existing.pop(result.patent_id, None)
        if match is None:
            match = Match(
                demand=demand,
                patent_id=result.patent_id,
                offer_id=result.offer_id,
                score=score,
                explanation=explanation,
                created_at=now,
                updated_at=now,
            )
            created.append(match)
        elif (match.offer_id, match.score, match.explanation) != (
            result.offer_id,
            score,
            explanation,
        ):
            match.offer_id, match.score, match.explanation = result.offer_id, score, explanation
            match.version += 1
            match.updated_at = now
            updated.append(match)
        kept.append(match)
    # In bulk, with a history row each: one statement per kind, whatever the count.
    if created:
        bulk_create_with_history(created, Match, batch_size=MATCHES_PER_DEMAND)
    if updated:
        bulk_update_with_history(
            updated,
            Match,
            ["offer", "score", "explanation", "version", "updated_at"],
            batch_size=MATCHES_PER_DEMAND,
        )
    stale = [m.pk for m in existing.values() if m.state == MatchState.SUGGESTED]
    Match.objects.filter(pk__in=stale).delete()
    demand.matched_at = now
    # Its topic, for re-matching on new offers: its own IPC and that of its best matches.
    top = Patent.all_objects.filter(pk__in=[r.patent_id for r in found[:5]])
    demand.ipc_subclasses = sorted(
        {code[:4] for code in demand.ipc_codes}
        | {codes[0][:4] for codes in top.values_list("ipc_codes", flat=True) if codes}
    )
    fields = ["matched_at", "ipc_subclasses"]
    if demand.status == DemandStatus.OPEN and (kept or len(existing) > len(stale)):
        demand.status = DemandStatus.MATCHED
        fields.append("status")
    TechnologyDemand.objects.filter(pk=demand.pk).update(**{f: getattr(demand, f) for f in fields})
    return kept


def rematch_for_offer(offer: LicensingOffer) -> int:
    """A newly published offer can enter live demands' matches (DESIGN.md 5).

    The demands concerned are the live ones that already match one of its patents (their
    match now shows the offer) and those whose topic (``ipc_subclasses``: their own IPC
    codes and their best matches') shares a subclass with its patents. For each, only the
    offer's patents are scored (``matching.score_patents``: no search): an existing match
    is renewed; a new one enters when the demand has room or it beats the weakest
    untouched suggestion, which then leaves. Returns how many demands were looked at.
    """
    patent_ids = list(offer.items.values_list("patent_id", flat=True))
    subclasses = sorted(
        {
            code[:4]
            for codes in Patent.objects.filter(pk__in=patent_ids).values_list(
                "ipc_codes", flat=True
            )
            for code in codes or []
        }
    )
    live = TechnologyDemand.objects.filter(status__in=LIVE_DEMAND).exclude(
        deadline__lt=timezone.localdate()
    )
    demand_ids = set(
        Match.objects.filter(patent_id__in=patent_ids, demand__in=live).values_list(
            "demand_id", flat=True
        )
    )
    if subclasses:
        demand_ids |= set(
            live.filter(ipc_subclasses__overlap=subclasses).values_list("pk", flat=True)
        )
    for demand in live.filter(pk__in=demand_ids).iterator(chunk_size=500):
        results = score_patents(demand_query(demand), patent_ids)
        if results:
            with transaction.atomic():
                _merge_matches(demand, results)
    return len(demand_ids)


def _merge_matches(demand: TechnologyDemand, results: Sequence[ExplainedMatch]) -> None:
    existing = {m.patent_id: m for m in Match.objects.filter(demand=demand)}
    for result in results:
        score = Decimal(str(round(result.score, 2)))
        match = existing.get(result.patent_id)
        if match is None:
            suggested = sorted(
                (m for m in existing.values() if m.state == MatchState.SUGGESTED),
                key=lambda m: (m.score, -m.pk),
            )
            if len(existing) >= MATCHES_PER_DEMAND:
                if not suggested or suggested[0].score >= score:
                    continue
                weakest = suggested[0]
                existing.pop(weakest.patent_id)
                weakest.delete()
            match = Match(demand=demand, patent_id=result.patent_id)
            existing[result.patent_id] = match
        elif match.pk:
            match.version += 1
        match.offer_id = result.offer_id
        match.score = score
        match.explanation = result.as_json()
        match.save()
    if demand.status == DemandStatus.OPEN:
        TechnologyDemand.objects.filter(pk=demand.pk).update(status=DemandStatus.MATCHED)


@transaction.atomic
def match_set_state(
    *,
    actor: Actor,
    match: Match,
    state: str,
    dismissal_reason: str = "",
    expected_version: int | None,
) -> Match:
    locked = Match.objects.select_for_update().get(pk=match.pk)
    check_version(locked, expected_version)
    if state != locked.state and state not in MATCH_TRANSITIONS[locked.state]:
        raise _error(
            "state",
            _("A match that is %(state)s cannot become %(target)s.")
            % {"state": locked.get_state_display(), "target": MatchState(state).label},
            "invalid_transition",
        )
    if state == MatchState.DISMISSED and not dismissal_reason:
        raise _error("dismissal_reason", _("Say why you dismiss this match."), "required")
    locked.state = state
    locked.dismissal_reason = dismissal_reason if state == MatchState.DISMISSED else ""
    stamp(locked, actor)
    locked.full_clean()
    locked.save()
    return locked


def _advance_match(match: Match | None, to: str, actor: Actor) -> None:
    """Move a match forward (never back) as the conversation progresses."""
    if match is None:
        return
    order: list[str] = [
        MatchState.SUGGESTED,
        MatchState.VIEWED,
        MatchState.CONTACTED,
        MatchState.NEGOTIATING,
        MatchState.CONCLUDED,
    ]
    if match.state in order and order.index(match.state) < order.index(to):
        match.state = to
        match.dismissal_reason = ""
        stamp(match, actor)
        match.save()


# --- Inquiries --------------------------------------------------------------------------
def _current_holder(patent: Patent) -> Holder | None:
    holding = (
        Holding.objects.filter(patent=patent, role=Holding.Role.CURRENT)
        .select_related("holder")
        .order_by("order", "id")
        .first()
    )
    return holding.holder if holding else None


def _holder_emails(holder: Holder) -> list[str]:
    return [
        email
        for email in HolderMembership.objects.filter(holder=holder).values_list(
            "user__email", flat=True
        )
        if email
    ]


def _mail(subject: str, body: str, recipients: list[str]) -> None:
    if recipients:
        send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)])


@transaction.atomic
def inquiry_create(
    *,
    actor: Actor,
    enterprise: Enterprise,
    message: str,
    offer_id: int | None = None,
    patent_id: int | None = None,
    match_id: int | None = None,
) -> Inquiry:
    """Ask a holder about a published offer or a patent (or a match's patent and offer).

    The inquiry goes to the offer's holder, or to the patent's first current holder; the
    holder's members are told by e-mail. A match of the enterprise becomes ``contacted``."""
    message = str(message or "").strip()
    if not message:
        raise _error("message", _("Write a message."), "required")
    match = None
    if match_id is not None:
        match = (
            Match.objects.select_related("demand")
            .filter(pk=match_id, demand__enterprise=enterprise)
            .first()
        )
        if match is None:
            raise _error("match", _("Your enterprise has no match with this id."), "unknown_match")
        patent_id = patent_id or match.patent_id
        offer_id = offer_id or match.offer_id
    offer = None
    if offer_id is not None:
        offer = LicensingOffer.objects.filter(pk=offer_id, status=OfferStatus.PUBLISHED).first()
        if offer is None:
            raise _error("offer", _("No published offer has this id."), "unknown_offer")
        offered = list(offer.items.order_by("order", "id").values_list("patent_id", flat=True))
        if patent_id is None:
            patent_id = offered[0] if offered else None
        elif patent_id not in offered:
            raise _error("patent", _("This patent is not part of the offer."), "not_in_offer")
    if patent_id is None:
        raise _error("patent", _("Name an offer, a patent or a match."), "required")
    patent = Patent.objects.filter(pk=patent_id).first()
    if patent is None:
        raise _error("patent", _("No patent has this id."), "unknown_patent")
    holder = offer.holder if offer is not None else _current_holder(patent)
    if holder is None:
        raise _error("patent", _("This patent has no holder of record to ask."), "no_holder")
    inquiry = Inquiry(
        enterprise=enterprise,
        sender=acting_user(actor),
        holder=holder,
        offer=offer,
        patent=patent,
        match=match,
        message=message,
    )
    stamp(inquiry, actor, created=True)
    inquiry.full_clean()
    inquiry.save()
    _advance_match(match, MatchState.CONTACTED, actor)
    recipients = _holder_emails(holder)
    transaction.on_commit(
        lambda: _mail(
            gettext("New inquiry about %(patent)s") % {"patent": patent.title},
            gettext("%(enterprise)s asks:\n\n%(message)s")
            % {"enterprise": enterprise.name, "message": message},
            recipients,
        )
    )
    return inquiry


def _locked_open_inquiry(inquiry: Inquiry, expected_version: int | None) -> Inquiry:
    locked = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    check_version(locked, expected_version)
    if locked.status not in (InquiryStatus.OPEN, InquiryStatus.REPLIED):
        raise _error(
            "status",
            _("This inquiry is %(status)s; it takes no more answers.")
            % {"status": locked.get_status_display()},
            "not_open",
        )
    return locked


def _first_response(inquiry: Inquiry, actor: Actor) -> None:
    if inquiry.responded_at is None:
        inquiry.responded_at = timezone.now()
        inquiry.responded_by = acting_user(actor)
        inquiry.response_seconds = max(
            0, int((inquiry.responded_at - inquiry.created_at).total_seconds())
        )


@transaction.atomic
def inquiry_reply(
    *, actor: Actor, inquiry: Inquiry, reply: str, expected_version: int | None
) -> Inquiry:
    """The holder answers; the first answer fixes the response time."""
    reply = str(reply or "").strip()
    if not reply:
        raise _error("reply", _("Write a reply."), "required")
    locked = _locked_open_inquiry(inquiry, expected_version)
    locked.reply = reply
    locked.status = InquiryStatus.REPLIED
    _first_response(locked, actor)
    stamp(locked, actor)
    locked.save()
    _advance_match(locked.match, MatchState.NEGOTIATING, actor)
    return locked


@transaction.atomic
def inquiry_decline(
    *,
    actor: Actor,
    inquiry: Inquiry,
    reason: str,
    reply: str = "",
    expected_version: int | None,
) -> Inquiry:
    """The holder declines with a structured reason (and optionally a message)."""
    if reason not in DeclineReason.values:
        raise _error("reason", _("Choose a reason for declining."), "required")
    locked = _locked_open_inquiry(inquiry, expected_version)
    locked.status = InquiryStatus.DECLINED
    locked.decline_reason = reason
    if reply:
        locked.reply = str(reply).strip()
    _first_response(locked, actor)
    stamp(locked, actor)
    locked.full_clean()
    locked.save()
    return locked


def inquiries_due_reminder(*, now: datetime.datetime, after: datetime.timedelta) -> Any:
    """Unanswered inquiries older than ``after`` not reminded within ``after``."""
    cutoff = now - after
    return (
        Inquiry.objects.filter(status=InquiryStatus.OPEN, created_at__lt=cutoff)
        .exclude(reminded_at__gte=cutoff)
        .select_related("holder", "patent", "enterprise")
        .order_by("created_at", "id")
    )


def send_inquiry_reminders(*, now: datetime.datetime, after: datetime.timedelta) -> int:
    sent = 0
    for inquiry in inquiries_due_reminder(now=now, after=after).iterator(chunk_size=500):
        _mail(
            gettext("Unanswered inquiry about %(patent)s") % {"patent": inquiry.patent.title},
            gettext("%(enterprise)s has been waiting since %(date)s for your answer.")
            % {"enterprise": inquiry.enterprise.name, "date": f"{inquiry.created_at:%Y-%m-%d}"},
            _holder_emails(inquiry.holder),
        )
        Inquiry.objects.filter(pk=inquiry.pk).update(
            reminded_at=now, reminders_sent=inquiry.reminders_sent + 1
        )
        sent += 1
    return sent


# --- Deals ------------------------------------------------------------------------------
DEAL_VALUES = (
    "kind", "term_start", "term_end", "contract_date", "amount_cny", "recordation_number",
    "recordation_date",
)  # fmt: skip


def _create_deal(
    *,
    actor: Actor,
    enterprise: Enterprise,
    holder: Holder,
    origin: str,
    values: dict[str, Any],
    patent_ids: Sequence[int],
    inquiry: Inquiry | None = None,
    match: Match | None = None,
    offer: LicensingOffer | None = None,
    under_open_licence: bool = False,
    notice_date: datetime.date | None = None,
    payment_evidence: str = "",
) -> tuple[Deal, list[Any]]:
    licence_values = {k: v for k, v in values.items() if k in DEAL_VALUES and v is not None}
    licence_values.update(
        licensee_name=enterprise.name,
        licensee_uscc=enterprise.uscc,
        under_open_licence=under_open_licence,
        source="deal",
    )
    record, warnings = records.licence_record_create(
        actor=actor, licensor=holder, values=licence_values, patent_ids=patent_ids
    )
    effective = record.contract_date or record.term_start or timezone.localdate()
    deal = Deal(
        enterprise=enterprise,
        holder=holder,
        origin=origin,
        inquiry=inquiry,
        match=match,
        offer=offer,
        licence_record=record,
        notice_date=notice_date,
        payment_evidence=payment_evidence,
        recordation_due=add_months(effective, RECORDATION_MONTHS),
    )
    stamp(deal, actor, created=True)
    deal.full_clean()
    deal.save()
    _advance_match(match, MatchState.CONCLUDED, actor)
    if inquiry is not None and inquiry.status != InquiryStatus.CLOSED:
        inquiry.status = InquiryStatus.CLOSED
        _first_response(inquiry, actor)
        stamp(inquiry, actor)
        inquiry.save()
    return deal, warnings


@transaction.atomic
def deal_conclude(
    *,
    actor: Actor,
    holder: Holder,
    inquiry: Inquiry,
    values: dict[str, Any],
    patent_ids: Sequence[int] | None = None,
) -> tuple[Deal, list[Any]]:
    """The licensor's member records the licence or assignment agreed through an inquiry
    (its match, offer and enterprise carry over)."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.holder_id != holder.pk:
        raise _error("inquiry", _("This inquiry was not addressed to your holder."), "not_yours")
    if inquiry.status == InquiryStatus.DECLINED:
        raise _error("inquiry", _("This inquiry was declined."), "declined")
    if values.get("kind") not in LicenceKind.values:
        raise _error("kind", _("Choose the kind of licence or assignment."), "required")
    patents = list(patent_ids or [inquiry.patent_id])
    return _create_deal(
        actor=actor,
        enterprise=inquiry.enterprise,
        holder=holder,
        origin=Deal.Origin.MATCH if inquiry.match_id else Deal.Origin.INQUIRY,
        values=values,
        patent_ids=patents,
        inquiry=inquiry,
        match=inquiry.match,
        offer=inquiry.offer,
    )


@transaction.atomic
def deal_accept_open_licence(
    *,
    actor: Actor,
    enterprise: Enterprise,
    offer: LicensingOffer,
    notice_date: datetime.date,
    payment_evidence: str,
    patent_ids: Sequence[int] | None = None,
    match_id: int | None = None,
) -> tuple[Deal, list[Any]]:
    """Take an open licence (Patent Law Art. 51): written notice plus payment grant an
    ordinary licence at once, for the announced term; it is recorded like any licence."""
    if offer.status != OfferStatus.PUBLISHED or offer.offer_type != OfferType.OPEN_LICENCE:
        raise _error("offer", _("This is not a published open licence."), "not_open_licence")
    payment_evidence = str(payment_evidence or "").strip()
    errors: dict[str, list[ValidationError]] = {}
    if not payment_evidence:
        errors["payment_evidence"] = [
            ValidationError(
                _("An open licence is taken by paying as announced: give the payment's reference."),
                code="required",
            )
        ]
    today = timezone.localdate()
    if notice_date is None or notice_date > today:
        errors["notice_date"] = [
            ValidationError(
                _("Give the date of your written notice to the patentee (not in the future)."),
                code="invalid",
            )
        ]
    _errors(errors)
    offered = list(offer.items.order_by("order", "id").values_list("patent_id", flat=True))
    wanted = list(patent_ids or offered)
    outside = [pk for pk in wanted if pk not in offered]
    if outside:
        raise _error("patents", _("These patents are not part of the offer."), "not_in_offer")
    match = (
        Match.objects.filter(pk=match_id, demand__enterprise=enterprise).first()
        if match_id
        else None
    )
    start = max(notice_date, offer.term_start or notice_date)
    return _create_deal(
        actor=actor,
        enterprise=enterprise,
        holder=offer.holder,
        origin=Deal.Origin.OPEN_LICENCE,
        values={
            "kind": LicenceKind.ORDINARY,
            "contract_date": notice_date,
            "term_start": start,
            "term_end": offer.term_end,
        },
        patent_ids=wanted,
        match=match,
        offer=offer,
        under_open_licence=True,
        notice_date=notice_date,
        payment_evidence=payment_evidence,
    )


def deals_due_reminder(*, on: datetime.date, within: datetime.timedelta) -> Any:
    """Deals whose licence is not yet recorded, due within ``within`` (or overdue)."""
    return (
        Deal.objects.filter(recordation_due__lte=on + within, licence_record__recordation_number="")
        .select_related("holder", "enterprise", "licence_record")
        .order_by("recordation_due", "id")
    )


def send_deal_reminders(*, now: datetime.datetime, within: datetime.timedelta) -> int:
    sent = 0
    today = timezone.localdate(now)
    for deal in deals_due_reminder(on=today, within=within).iterator(chunk_size=500):
        if deal.reminded_at and deal.reminded_at.date() == today:
            continue
        recipients = _holder_emails(deal.holder) + [
            e
            for e in EnterpriseMembership.objects.filter(enterprise=deal.enterprise).values_list(
                "user__email", flat=True
            )
            if e
        ]
        _mail(
            gettext("Record the licence with CNIPA by %(date)s") % {"date": deal.recordation_due},
            gettext(
                "The licence between %(licensor)s and %(licensee)s is not recorded yet; "
                "recordation is due by %(date)s."
            )
            % {
                "licensor": deal.holder.name,
                "licensee": deal.enterprise.name,
                "date": deal.recordation_due,
            },
            recipients,
        )
        Deal.objects.filter(pk=deal.pk).update(reminded_at=now)
        sent += 1
    return sent
