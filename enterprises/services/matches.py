"""Writes of matches: storing a demand's matches (again when it changes or a relevant
offer is published), and their state as the conversation with the holder progresses.

The matching engine (``enterprises.matching``) finds and explains; this module stores
what it found, keeping each match's state: suggested -> viewed -> contacted ->
negotiating -> concluded, or dismissed with a reason. Scores and explanations are the
engine's work: their history names no user (the system); a state change names the member
or holder whose action moved it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from conversion_db.services import Actor, locked, stamp
from enterprises.matching.matches import (
    ExplainedMatch,
    demand_query,
    find_matches,
    score_patents,
    with_suggestions,
)
from enterprises.models import DemandStatus, Match, MatchState, TechnologyDemand
from enterprises.selectors import live_demands
from enterprises.services.validation import field_error
from patents.models import LicensingOffer, Patent

MATCHES_PER_DEMAND = 20
MATCH_TRANSITIONS: dict[str, tuple[str, ...]] = {
    MatchState.SUGGESTED: (MatchState.VIEWED, MatchState.CONTACTED, MatchState.DISMISSED),
    MatchState.VIEWED: (MatchState.CONTACTED, MatchState.DISMISSED),
    MatchState.CONTACTED: (MatchState.NEGOTIATING, MatchState.DISMISSED),
    MatchState.NEGOTIATING: (MatchState.CONCLUDED, MatchState.DISMISSED),
    MatchState.CONCLUDED: (),
    MatchState.DISMISSED: (MatchState.VIEWED,),  # undo a dismissal
}
PROGRESS = (
    MatchState.SUGGESTED,
    MatchState.VIEWED,
    MatchState.CONTACTED,
    MatchState.NEGOTIATING,
    MatchState.CONCLUDED,
)


def refresh_matches(demand: TechnologyDemand) -> list[Match]:
    """Match the demand again: new patents are suggested, scores and explanations of the
    ones kept are renewed (their state stays), untouched suggestions that no longer rank
    are dropped. A demand with matches is ``matched``. Without IPC codes, its subclasses
    are suggested afresh from its text and kept (``suggested_ipc``) for the enterprise to
    accept and for re-matching on new offers."""
    query = with_suggestions(dataclasses.replace(demand_query(demand), suggested_ipc=None))
    found = find_matches(query, limit=MATCHES_PER_DEMAND)
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
            stamp(match, None, created=True)
            created.append(match)
        elif (match.offer_id, match.score, match.explanation) != (
            result.offer_id,
            score,
            explanation,
        ):
            match.offer_id, match.score, match.explanation = result.offer_id, score, explanation
            stamp(match, None)
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
    demand.suggested_ipc = [s.as_json() for s in query.suggested_ipc or ()]
    # Its topic, for re-matching on new offers: its own (or suggested) IPC and that of its
    # best matches.
    top = Patent.all_objects.filter(pk__in=[r.patent_id for r in found[:5]])
    demand.ipc_subclasses = sorted(
        {code[:4] for code in demand.ipc_codes}
        | {s.code for s in query.suggested_ipc or ()}
        | {codes[0][:4] for codes in top.values_list("ipc_codes", flat=True) if codes}
    )
    fields = ["matched_at", "ipc_subclasses", "suggested_ipc"]
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
    live = live_demands(on=timezone.localdate())
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
            stamp(match, None, created=True)
            existing[result.patent_id] = match
        elif match.pk:
            stamp(match, None)
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
    """A member moves the match along (``MATCH_TRANSITIONS``); dismissing needs a reason."""
    match = locked(Match.objects.all(), match.pk, expected_version)
    if state != match.state and state not in MATCH_TRANSITIONS[match.state]:
        raise field_error(
            "state",
            _("A match that is %(state)s cannot become %(target)s.")
            % {"state": match.get_state_display(), "target": MatchState(state).label},
            "invalid_transition",
        )
    if state == MatchState.DISMISSED and not dismissal_reason:
        raise field_error("dismissal_reason", _("Say why you dismiss this match."), "required")
    match.state = state
    match.dismissal_reason = dismissal_reason if state == MatchState.DISMISSED else ""
    stamp(match, actor)
    match.full_clean()
    match.save()
    return match


def match_advance(match: Match | None, to: str, actor: Actor) -> None:
    """Move a match forward along ``PROGRESS`` (never back) as the conversation with the
    holder progresses: an inquiry, a reply, a deal (inside their write's transaction)."""
    if match is None:
        return
    order: list[str] = list(PROGRESS)
    if match.state in order and order.index(match.state) < order.index(to):
        match.state = to
        match.dismissal_reason = ""
        stamp(match, actor)
        match.save()
