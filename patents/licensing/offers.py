"""Writes and checks of licensing offers: the lifecycle and DOMAIN.md 7-9 on every path.

``draft -> pending_review -> published -> suspended | withdrawn | concluded | expired``;
a rejected offer goes back to ``draft`` with the reviewer's note. Submitting and approving
run the rules of ``patents.licensing.rules`` over the facts of every patent in the offer
(``licensing_facts``) and refuse with every blocking reason at once; warnings are kept for
the reviewer. The same functions serve the API, the admin and imports.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.services import (
    Actor,
    StaleVersion,
    acting_user,
    check_version,
    history_user,
    stamp,
)
from patents.licensing import rules as licensing
from patents.models import (
    Holder,
    HolderMembership,
    Holding,
    LegalStatus,
    LicenceKind,
    LicenceRecord,
    LicensingOffer,
    OfferPatent,
    OfferStatus,
    OfferType,
    Patent,
    Pledge,
    PledgeStatus,
)

OFFER_FIELDS = (
    "offer_type", "pricing_mode", "lump_sum_cny", "royalty_rate", "term_start", "term_end",
    "territory", "field_of_use", "sublicensing_allowed", "title", "title_en", "description",
    "description_en", "contact_name", "contact_email", "contact_phone", "pledgee_consent",
    "co_owners_consent", "evaluation_report",
)  # fmt: skip
EDITABLE_STATUSES = frozenset({OfferStatus.DRAFT})
TERMINATED_STATUSES = frozenset(
    {LegalStatus.LAPSED, LegalStatus.EXPIRED, LegalStatus.INVALIDATED, LegalStatus.WITHDRAWN}
)
RECORD_KINDS: dict[str, licensing.LicenceKind] = {
    LicenceKind.EXCLUSIVE: "exclusive",
    LicenceKind.SOLE: "sole",
    LicenceKind.ORDINARY: "ordinary",
}
LICENCE_KIND_OF_OFFER: dict[str, licensing.LicenceKind] = {
    OfferType.EXCLUSIVE: "exclusive",
    OfferType.SOLE: "sole",
    OfferType.ORDINARY: "ordinary",
    OfferType.OPEN_LICENCE: "ordinary",
}

# Sent once a published offer's transaction has committed (the demand side re-matches).
offer_published = Signal()


# --- Facts ------------------------------------------------------------------------------------
def licensing_facts(
    patent: Patent, *, offer: LicensingOffer | None = None, on: datetime.date | None = None
) -> licensing.PatentFacts:
    """What the licensing rules need to know of ``patent`` (three small queries)."""
    on = on or timezone.localdate()
    licences = [
        licensing.LicenceFact(
            kind=RECORD_KINDS[record.kind],
            period=licensing.Period(
                record.term_start or record.contract_date or on, record.term_end
            ),
            active=record.terminated_at is None or record.terminated_at > on,
        )
        for record in LicenceRecord.objects.filter(patents=patent).exclude(
            kind=LicenceKind.ASSIGNMENT
        )
    ]
    pledges = [
        licensing.PledgeFact(
            active=True,
            pledgee_consents_to_licensing=pledge.consents_to_licensing
            or bool(offer and offer.pledgee_consent),
        )
        for pledge in Pledge.objects.filter(patents=patent).exclude(status=PledgeStatus.CANCELLED)
    ]
    owners = Holding.objects.filter(patent=patent, role=Holding.Role.CURRENT).count() or 1
    open_licences = LicensingOffer.objects.filter(
        items__patent=patent, offer_type=OfferType.OPEN_LICENCE, status=OfferStatus.PUBLISHED
    )
    if offer is not None and offer.pk is not None:
        open_licences = open_licences.exclude(pk=offer.pk)
    open_licence = open_licences.exists()
    fee_status: licensing.FeeStatus = (
        "in_grace_period"
        if patent.legal_status == LegalStatus.IN_GRACE_PERIOD
        else "lapsed"
        if patent.legal_status == LegalStatus.LAPSED
        else "paid"
    )
    return licensing.PatentFacts(
        patent_type=patent.patent_type,
        granted=bool(patent.grant_date or patent.grant_number),
        expiry_date=patent.expiry_date,
        fee_status=fee_status,
        has_evaluation_report=bool(offer and offer.evaluation_report),
        licences=licences,
        pledges=pledges,
        co_owners=owners,
        co_owners_consenting=owners if (offer and offer.co_owners_consent) else 1,
        open_licence_in_force=open_licence,
        terminated=patent.legal_status in TERMINATED_STATUSES,
    )


@dataclass(frozen=True)
class PatentEligibility:
    patent: Patent
    result: licensing.CheckResult


def offer_eligibility(
    offer: LicensingOffer, *, on: datetime.date | None = None
) -> list[PatentEligibility]:
    """The rules' verdict for every patent of the offer, errors and warnings (no writes)."""
    on = on or timezone.localdate()
    verdicts = []
    period = (
        licensing.Period(offer.term_start or on, offer.term_end)
        if offer.term_start or offer.term_end
        else None
    )
    for patent in offer.patents.all().order_by("offer_items__order"):
        facts = licensing_facts(patent, offer=offer, on=on)
        if offer.offer_type == OfferType.OPEN_LICENCE:
            result = licensing.open_licence_eligibility(
                facts,
                licensing.OpenLicenceTerms(
                    pricing_mode=offer.pricing_mode,  # type: ignore[arg-type]
                    period=period,
                    fixed_fee=offer.lump_sum_cny,
                    royalty_rate=offer.royalty_rate,
                ),
                on=on,
            )
        elif offer.offer_type in LICENCE_KIND_OF_OFFER:
            result = _licence_offer_check(facts, offer, period, on)
        else:  # assignment, equity contribution: the right must exist and be unencumbered
            result = _transfer_offer_check(facts, offer, period)
        verdicts.append(PatentEligibility(patent, result))
    return verdicts


def _licence_offer_check(
    facts: licensing.PatentFacts,
    offer: LicensingOffer,
    period: licensing.Period | None,
    on: datetime.date,
) -> licensing.CheckResult:
    checked = licensing.new_licence_check(
        facts,
        LICENCE_KIND_OF_OFFER[offer.offer_type],
        period or licensing.Period(on, None),
        on=on,
    )
    extra = []
    if any(p.active and not p.pledgee_consents_to_licensing for p in facts.pledges):
        extra.append(
            licensing.Problem(
                "pledged_without_consent",
                "Recordation Measures 12 (9)",
                _("The patent is pledged and the pledgee's consent is not on file."),
            )
        )
    if facts.terminated:
        extra.append(
            licensing.Problem(
                "patent_terminated",
                "Recordation Measures 12 (1)",
                _("The patent has lapsed, expired or been invalidated."),
            )
        )
    return licensing.CheckResult(checked.errors + tuple(extra), checked.warnings)


def _transfer_offer_check(
    facts: licensing.PatentFacts, offer: LicensingOffer, period: licensing.Period | None
) -> licensing.CheckResult:
    errors = []
    if facts.terminated:
        errors.append(
            licensing.Problem(
                "patent_terminated",
                "Patent Law 10",
                _("The patent has lapsed, expired or been invalidated."),
            )
        )
    if any(p.active and not p.pledgee_consents_to_licensing for p in facts.pledges):
        errors.append(
            licensing.Problem(
                "pledged_without_consent",
                "Civil Code 444",
                _("The patent is pledged and the pledgee's consent is not on file."),
            )
        )
    return licensing.CheckResult(tuple(errors))


def _raise_if_ineligible(verdicts: Sequence[PatentEligibility]) -> None:
    errors = {
        f"patents[{verdict.patent.pk}]": [
            ValidationError(str(problem.message), code=problem.code)
            for problem in verdict.result.errors
        ]
        for verdict in verdicts
        if verdict.result.errors
    }
    if errors:
        raise ValidationError(errors)


# --- Reads ------------------------------------------------------------------------------------
def offered_patents_condition(user: Any) -> Q:
    """A condition on Patent: it is in an offer that ``user`` may read (for the public, a
    published one: ``has_offer``; for members, also their holders' other offers; for
    operators, any offer)."""
    from patents.permissions import is_operator, member_holder_ids

    if is_operator(user):
        return Q(Exists(OfferPatent.objects.filter(patent=OuterRef("pk"))))
    condition = Q(has_offer=True)
    holders = member_holder_ids(user)
    if holders:
        own = OfferPatent.objects.filter(patent=OuterRef("pk"), offer__holder_id__in=holders)
        condition |= Q(Exists(own))
    return condition


OFFERED_PATENT_DEFERRED = (
    *("search_document", "ipc_index", "abstract", "abstract_en", "keywords", "inventors"),
    "awards",
)


def offers_visible_to(user: Any) -> Any:
    """What ``user`` may read: published offers that the rules have not expired (even before
    ``expire_offers`` runs), plus every offer of the holders they act for; operators all.
    With the holder and the offered patents, in order (two queries for any page)."""
    from django.db.models import Prefetch

    from patents.permissions import is_operator, member_holder_ids

    today = timezone.localdate()
    # Per row, so that a page scanned in index order stops after 21 offers (a NOT IN over
    # every expired offer would be computed whole on each request).
    lapsed_patent = OfferPatent.objects.filter(
        offer=OuterRef("pk"), patent__legal_status__in=TERMINATED_STATUSES
    )
    visible: Q = Q(
        Q(status=OfferStatus.PUBLISHED),
        Q(term_end__isnull=True) | Q(term_end__gte=today),
        ~Exists(lapsed_patent),
    )
    if is_operator(user):
        visible = Q()
    elif getattr(user, "is_authenticated", False):
        visible |= Q(holder_id__in=member_holder_ids(user))
    # The offered patents without their long texts and search vector (stored out of line:
    # reading them for every listed patent would cost more than the rest of the page).
    items = (
        OfferPatent.objects.select_related("patent")
        .defer(*(f"patent__{name}" for name in OFFERED_PATENT_DEFERRED))
        .order_by("order", "id")
    )
    return (
        LicensingOffer.objects.filter(visible)
        .select_related("holder")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="ordered_items"))
    )


# --- Writes -----------------------------------------------------------------------------------
def _clean_offer_values(
    values: dict[str, Any], *, current: LicensingOffer | None
) -> dict[str, Any]:
    cleaned = {key: value for key, value in values.items() if key in OFFER_FIELDS}
    if "title" in cleaned or current is None:
        cleaned["title"] = " ".join(str(cleaned.get("title") or "").split())
    return cleaned


def _offer_patents(holder: Holder, patent_ids: Iterable[int]) -> list[Patent]:
    wanted = list(dict.fromkeys(patent_ids))
    if not wanted:
        raise ValidationError(
            {"patents": ValidationError(_("An offer needs at least one patent."), code="required")}
        )
    held = {
        patent.pk: patent
        for patent in Patent.objects.filter(
            pk__in=wanted, holdings__holder=holder, holdings__role=Holding.Role.CURRENT
        )
    }
    missing = [pk for pk in wanted if pk not in held]
    if missing:
        raise ValidationError(
            {
                "patents": ValidationError(
                    _("Not a patent of this holder: %(ids)s.")
                    % {"ids": ", ".join(map(str, missing))},
                    code="not_holders_patent",
                )
            }
        )
    return [held[pk] for pk in wanted]


def _check_term(offer: LicensingOffer, patents: Sequence[Patent]) -> None:
    """The licence term may not outlive any patent in the offer."""
    if offer.term_end is None:
        return
    too_long = [p for p in patents if p.expiry_date and offer.term_end > p.expiry_date]
    if too_long:
        first = min(too_long, key=lambda p: p.expiry_date or datetime.date.max)
        raise ValidationError(
            {
                "term_end": ValidationError(
                    _("The term ends after patent %(number)s expires on %(expiry)s.")
                    % {
                        "number": first.application_number or first.publication_number,
                        "expiry": first.expiry_date.isoformat() if first.expiry_date else "",
                    },
                    code="term_beyond_patent",
                )
            }
        )


def _set_items(offer: LicensingOffer, patents: Sequence[Patent], actor: Actor) -> None:
    wanted = {patent.pk: order for order, patent in enumerate(patents, start=1)}
    for item in list(offer.items.all()):
        if item.patent_id not in wanted:
            history_user(item, actor)
            item.delete()
    for patent_id, order in wanted.items():
        item, created = OfferPatent.objects.get_or_create(
            offer=offer, patent_id=patent_id, defaults={"order": order}
        )
        if not created and item.order != order:
            item.order = order
            history_user(item, actor)
            item.save()


@transaction.atomic
def offer_create(
    *, actor: Actor, holder: Holder, values: dict[str, Any], patent_ids: Iterable[int]
) -> LicensingOffer:
    """A draft offer of the holder's own patents."""
    patents = _offer_patents(holder, patent_ids)
    offer = LicensingOffer(holder=holder, **_clean_offer_values(values, current=None))
    stamp(offer, actor, created=True)
    offer.full_clean()
    _check_term(offer, patents)
    offer.save()
    _set_items(offer, patents, actor)
    return offer


@transaction.atomic
def offer_update(
    *,
    actor: Actor,
    offer: LicensingOffer,
    values: dict[str, Any],
    patent_ids: Iterable[int] | None,
    expected_version: int | None,
) -> LicensingOffer:
    """Change a draft (a submitted or published offer is withdrawn first)."""
    locked = LicensingOffer.objects.select_for_update().get(pk=offer.pk)
    check_version(locked, expected_version)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {
                "status": ValidationError(
                    _("Only a draft can be changed; this offer is %(status)s.")
                    % {"status": locked.get_status_display()},
                    code="not_editable",
                )
            }
        )
    for key, value in _clean_offer_values(values, current=locked).items():
        setattr(locked, key, value)
    patents = (
        _offer_patents(locked.holder, patent_ids)
        if patent_ids is not None
        else list(locked.patents.all())
    )
    stamp(locked, actor)
    locked.full_clean()
    _check_term(locked, patents)
    locked.save()
    if patent_ids is not None:
        _set_items(locked, patents, actor)
    return locked


def _transition(
    actor: Actor,
    offer: LicensingOffer,
    *,
    expected_version: int | None,
    allowed_from: Iterable[str],
    to: str,
    **changes: Any,
) -> LicensingOffer:
    locked = LicensingOffer.objects.select_for_update().get(pk=offer.pk)
    check_version(locked, expected_version)
    if locked.status not in set(allowed_from):
        raise ValidationError(
            {
                "status": ValidationError(
                    _("An offer that is %(status)s cannot become %(target)s.")
                    % {
                        "status": locked.get_status_display(),
                        "target": OfferStatus(to).label,
                    },
                    code="invalid_transition",
                )
            }
        )
    locked.status = to
    for key, value in changes.items():
        setattr(locked, key, value)
    stamp(locked, actor)
    locked.save()
    _refresh_has_offer(locked)
    return locked


def _refresh_has_offer(offer: LicensingOffer) -> None:
    """Keep ``Patent.has_offer`` (a list filter) in step with published offers."""
    patent_ids = list(offer.items.values_list("patent_id", flat=True))
    published = set(
        OfferPatent.objects.filter(
            patent_id__in=patent_ids, offer__status=OfferStatus.PUBLISHED
        ).values_list("patent_id", flat=True)
    )
    Patent.all_objects.filter(pk__in=published).exclude(has_offer=True).update(has_offer=True)
    Patent.all_objects.filter(pk__in=set(patent_ids) - published).exclude(has_offer=False).update(
        has_offer=False
    )


@transaction.atomic
def offer_submit(
    *, actor: Actor, offer: LicensingOffer, expected_version: int | None
) -> LicensingOffer:
    """Send a draft for review; refused with every blocking reason of every patent."""
    if offer.term_end and offer.term_end < timezone.localdate():
        raise ValidationError(
            {"term_end": ValidationError(_("The licence term has already ended."), code="past")}
        )
    _raise_if_ineligible(offer_eligibility(offer))
    return _transition(
        actor,
        offer,
        expected_version=expected_version,
        allowed_from=[OfferStatus.DRAFT],
        to=OfferStatus.PENDING_REVIEW,
        submitted_at=timezone.now(),
    )


@transaction.atomic
def offer_review(
    *,
    actor: Actor,
    offer: LicensingOffer,
    approve: bool,
    note: str,
    expected_version: int | None,
) -> LicensingOffer:
    """An operator publishes a pending offer (the rules are checked again) or sends it back
    to its holder as a draft with the reason."""
    now = timezone.now()
    if approve:
        _raise_if_ineligible(offer_eligibility(offer))
        published = _transition(
            actor,
            offer,
            expected_version=expected_version,
            allowed_from=[OfferStatus.PENDING_REVIEW],
            to=OfferStatus.PUBLISHED,
            reviewer=acting_user(actor),
            reviewed_at=now,
            review_note=note,
            published_at=now,
        )
        _notify_holder(published)
        transaction.on_commit(lambda: offer_published.send(sender=LicensingOffer, offer=published))
        return published
    if not note.strip():
        raise ValidationError(
            {"review_note": ValidationError(_("Say why the offer is rejected."), code="required")}
        )
    returned = _transition(
        actor,
        offer,
        expected_version=expected_version,
        allowed_from=[OfferStatus.PENDING_REVIEW],
        to=OfferStatus.DRAFT,
        reviewer=acting_user(actor),
        reviewed_at=now,
        review_note=note,
    )
    _notify_holder(returned)
    return returned


def _notify_holder(offer: LicensingOffer) -> None:
    """Email the holder's members the review's outcome, once the transaction commits."""
    recipients = sorted(
        {
            email
            for email in HolderMembership.objects.filter(holder_id=offer.holder_id).values_list(
                "user__email", flat=True
            )
            if email
        }
    )
    if not recipients:
        return
    if offer.status == OfferStatus.PUBLISHED:
        subject = _("Your offer “%(title)s” is published") % {"title": offer.title}
    else:
        subject = _("Your offer “%(title)s” needs changes") % {"title": offer.title}
    body = "\n\n".join(
        part
        for part in (
            str(subject),
            offer.review_note,
            str(
                _("Offer %(id)d, status: %(status)s.")
                % {"id": offer.pk, "status": offer.get_status_display()}
            ),
        )
        if part
    )
    transaction.on_commit(
        lambda: send_mail(str(subject), body, None, recipients, fail_silently=True)
    )


@transaction.atomic
def offer_withdraw(
    *, actor: Actor, offer: LicensingOffer, expected_version: int | None
) -> LicensingOffer:
    """The holder withdraws an offer; licences already granted under it stay (Art. 50)."""
    return _transition(
        actor,
        offer,
        expected_version=expected_version,
        allowed_from=[
            OfferStatus.DRAFT,
            OfferStatus.PENDING_REVIEW,
            OfferStatus.PUBLISHED,
            OfferStatus.SUSPENDED,
        ],
        to=OfferStatus.WITHDRAWN,
        closed_at=timezone.now(),
    )


@transaction.atomic
def offer_suspend(
    *, actor: Actor, offer: LicensingOffer, note: str, expected_version: int | None
) -> LicensingOffer:
    """An operator takes a published offer off the public list, with the reason."""
    return _transition(
        actor,
        offer,
        expected_version=expected_version,
        allowed_from=[OfferStatus.PUBLISHED],
        to=OfferStatus.SUSPENDED,
        review_note=note,
        reviewer=acting_user(actor),
        reviewed_at=timezone.now(),
    )


def offers_due_to_expire(on: datetime.date) -> Any:
    """Published offers whose term has ended or with a patent no longer in force."""
    return (
        LicensingOffer.objects.filter(status=OfferStatus.PUBLISHED)
        .filter(Q(term_end__lt=on) | Q(items__patent__legal_status__in=TERMINATED_STATUSES))
        .distinct()
    )


@transaction.atomic
def offers_expire(*, on: datetime.date | None = None) -> int:
    """Expire what ``offers_due_to_expire`` finds (run on a schedule; reads check too)."""
    on = on or timezone.localdate()
    count = 0
    due = list(offers_due_to_expire(on).values_list("pk", flat=True))
    for offer in LicensingOffer.objects.filter(pk__in=due).order_by("pk"):
        try:
            _transition(
                None,
                offer,
                expected_version=None,
                allowed_from=[OfferStatus.PUBLISHED],
                to=OfferStatus.EXPIRED,
                closed_at=timezone.now(),
            )
        except (ValidationError, StaleVersion):
            continue
        count += 1
    return count


OFFER_FACETS = {  # name: (the offers m or their patents mp, column, how it counts offers)
    "offer_type": ("m", "facet_offer_type", "count(*)"),
    "pricing_mode": ("m", "facet_pricing_mode", "count(*)"),
    "holder_kind": ("m", "facet_holder_kind", "count(*)"),
    "patent_type": ("mp", "patent_type", "count(DISTINCT mp.facet_offer)"),
    "ipc_section": ("mp", "ipc_section", "count(DISTINCT mp.facet_offer)"),
}


def offer_facets(queryset: Any) -> dict[str, Any]:
    """Counts over the filtered offers, in one statement: by type, pricing and holder kind,
    and by the offered patents' type and IPC section (an offer counts once per value).

    Like patent facets: exact up to ``OFFER_FACET_EXACT_LIMIT`` matching offers (the planner's
    estimate), above that counted on a sample of the offers' pages, scaled up, and marked
    ``approximate``."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import F

    from patents.selectors import facet_sample

    matches, percent = facet_sample(
        queryset.order_by().values(
            facet_offer=F("pk"),
            facet_offer_type=F("offer_type"),
            facet_pricing_mode=F("pricing_mode"),
            facet_holder_kind=F("holder__kind"),
        ),
        settings.OFFER_FACET_EXACT_LIMIT,
    )
    sql, params = matches.query.sql_with_params()
    items, patents = OfferPatent._meta.db_table, Patent._meta.db_table
    parts = [
        f"SELECT '{name}', {source}.{column}, {counted} FROM {source} "  # noqa: S608 - our SQL
        f"WHERE {source}.{column} IS NOT NULL GROUP BY 2"
        for name, (source, column, counted) in OFFER_FACETS.items()
    ]
    statement = (
        f"WITH m AS MATERIALIZED ({sql}), "  # noqa: S608 - our SQL, parameters apart
        "mp AS MATERIALIZED (SELECT m.facet_offer, p.patent_type, "
        "nullif(left(p.main_ipc, 1), '') AS ipc_section "
        f'FROM m JOIN "{items}" i ON i.offer_id = m.facet_offer '
        f'JOIN "{patents}" p ON p.id = i.patent_id) ' + " UNION ALL ".join(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    scale = 100.0 / percent
    grouped: dict[str, list[tuple[str, int]]] = {name: [] for name in OFFER_FACETS}
    for name, value, count in rows:
        grouped[name].append((value, round(count * scale)))
    result: dict[str, Any] = {"approximate": percent < 100.0}
    for name, values in grouped.items():
        values.sort(key=lambda item: (-item[1], str(item[0])))
        result[name] = [{"value": value, "count": count} for value, count in values]
    return result
