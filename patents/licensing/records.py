"""Recorded licences, assignments and pledges: writes with the rules of
docs/domain/licences-and-recordation.md, assignment.md and pledges.md.

- A licence record is refused for every patent where CNIPA would refuse it (terminated,
  fees unpaid, suspended, pledged without consent, period beyond the term, conflicting with
  a recorded exclusive or sole licence, an exclusive or sole licence under an open licence);
  a recordation more than 3 months after the contract took effect is accepted with a
  warning.
- An assignment changes the holder of record on its registration (recordation) date: the
  assignee becomes the current holder (co-assignees: names separated by
  ``ASSIGNEE_SEPARATOR``), the original applicants stay, history is written.
- A pledge is refused when the pledgor is not the holder of record, a patent is already
  pledged, fees are unpaid, or the debt period outlives a patent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, locked, stamp
from patents.licensing import rules
from patents.licensing.eligibility import licensing_facts
from patents.models import (
    Holder,
    Holding,
    LicenceKind,
    LicenceRecord,
    Patent,
    Pledge,
    PledgeStatus,
)
from patents.register import services
from patents.register.uscc import UsccError, normalise_uscc

LICENCE_FIELDS = (
    "licensee_name", "licensee_uscc", "kind", "term_start", "term_end", "contract_date",
    "recordation_number", "recordation_date", "under_open_licence", "amount_cny", "source",
)  # fmt: skip
# An assignment to several co-assignees names them in ``licensee_name`` separated by this
# full-width semicolon, which no organisation's name contains (a transfer event's new holders).
ASSIGNEE_SEPARATOR = "；"
PLEDGE_FIELDS = (
    "pledgee_name", "pledgee_uscc", "trademark_numbers", "secured_amount_cny",
    "registration_number", "registration_date", "debt_start", "debt_end", "consents_to_licensing",
)  # fmt: skip


def _patents(patent_ids: Iterable[int]) -> list[Patent]:
    wanted = list(dict.fromkeys(patent_ids))
    found = {p.pk: p for p in Patent.objects.filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if not wanted:
        raise ValidationError(
            {"patents": ValidationError(_("Name at least one patent."), code="required")}
        )
    if missing:
        raise ValidationError(
            {
                "patents": ValidationError(
                    _("No patent has the id %(ids)s.") % {"ids": ", ".join(map(str, missing))},
                    code="unknown_patent",
                )
            }
        )
    return [found[pk] for pk in wanted]


def _raise(problems: dict[str, list[rules.Problem]]) -> None:
    errors = {
        key: [ValidationError(str(p.message), code=p.code) for p in found]
        for key, found in problems.items()
        if found
    }
    if errors:
        raise ValidationError(errors)


def _clean_uscc(values: dict[str, Any], key: str) -> None:
    if values.get(key):
        try:
            values[key] = normalise_uscc(values[key])
        except UsccError as exc:
            raise ValidationError({key: ValidationError(str(exc.message), code=exc.code)}) from exc


@transaction.atomic
def licence_record_create(
    *, actor: Actor, licensor: Holder, values: dict[str, Any], patent_ids: Iterable[int]
) -> tuple[LicenceRecord, list[rules.Problem]]:
    """Record a licence or assignment; returns it with the warnings (a late recordation)."""
    cleaned = {k: v for k, v in values.items() if k in LICENCE_FIELDS}
    _clean_uscc(cleaned, "licensee_uscc")
    record = LicenceRecord(licensor=licensor, **cleaned)
    record.full_clean()
    patents = _patents(patent_ids)
    today = timezone.localdate()
    warnings: list[rules.Problem] = []
    problems: dict[str, list[rules.Problem]] = {}
    for patent in patents:
        holders = set(
            Holding.objects.filter(patent=patent, role=Holding.Role.CURRENT).values_list(
                "holder_id", flat=True
            )
        )
        found: list[rules.Problem] = []
        if licensor.pk not in holders:
            found.append(
                rules.Problem(
                    "licensor_not_holder",
                    "Recordation Measures 12 (2)",
                    _("The licensor is not the patentee of record."),
                )
            )
        if record.kind != LicenceKind.ASSIGNMENT:
            result = rules.recordation_check(
                licensing_facts(patent, on=today),
                record.kind,  # type: ignore[arg-type]
                rules.Period(record.term_start or record.contract_date or today, record.term_end),
                effective=record.contract_date or record.term_start or today,
                requested=record.recordation_date or today,
            )
            found.extend(result.errors)
            warnings.extend(result.warnings)
        problems[f"patents[{patent.pk}]"] = found
    _raise(problems)
    stamp(record, actor, created=True)
    record.save()
    record.patents.set(patents)
    if record.kind == LicenceKind.ASSIGNMENT:
        assignments_apply(actor=actor, on=today, records=[record])
    return record, warnings


@transaction.atomic
def licence_record_recordation(
    *,
    actor: Actor,
    record: LicenceRecord,
    recordation_number: str | None,
    recordation_date: datetime.date | None,
    expected_version: int | None,
) -> tuple[LicenceRecord, list[rules.Problem]]:
    """Enter the recordation number and date CNIPA gave a licence contract after the fact
    (or correct either: ``None`` keeps the recorded one), with the history of the change.
    A record ends up with both. Refused (400, by field) for a number not of the accepted
    form or already recorded for another contract (Recordation Measures 12 (8)), a date
    before the contract took effect or in the future; more than 3 months after the contract
    is accepted with a warning. An assignment takes effect on its
    registration date (docs/domain/assignment.md §1): the assignee becomes the holder of record."""
    current = locked(LicenceRecord.objects.all(), record.pk, expected_version)
    if recordation_number is None:
        recordation_number = current.recordation_number
    if recordation_date is None:
        recordation_date = current.recordation_date
    number = rules.normalise_recordation_number(recordation_number)
    today = timezone.localdate()
    effective = current.contract_date or current.term_start
    _raise(
        rules.recordation_details_check(number, recordation_date, effective=effective, today=today)
    )
    if LicenceRecord.objects.filter(recordation_number=number).exclude(pk=current.pk).exists():
        raise ValidationError(
            {
                "recordation_number": ValidationError(
                    _("Another licence record has this recordation number."),
                    code="duplicate_recordation",
                )
            }
        )
    assert recordation_date is not None  # checked above
    warnings: list[rules.Problem] = []
    if effective is not None and recordation_date > rules.recordation_deadline(effective):
        warnings.append(
            rules.Problem(
                "recordation_late",
                "Implementing Rules 15",
                _("Recorded more than 3 months after the contract took effect."),
            )
        )
    current.recordation_number = number
    current.recordation_date = recordation_date
    stamp(current, actor)
    current.full_clean()
    current.save()
    if current.kind == LicenceKind.ASSIGNMENT:
        assignments_apply(actor=actor, on=today, records=[current])
    return current, warnings


def assignments_apply(
    *, actor: Actor, on: datetime.date, records: Iterable[LicenceRecord] | None = None
) -> int:
    """Make assignees the holders of record from their registration date (Art. 10)."""
    due = (
        records
        if records is not None
        else LicenceRecord.objects.filter(
            kind=LicenceKind.ASSIGNMENT, recordation_date__lte=on, terminated_at__isnull=True
        )
    )
    count = 0
    for record in due:
        if record.recordation_date is None or record.recordation_date > on:
            continue
        assignees = [
            services.holder_get_or_create_by_name(actor=actor, name=name)
            for name in dict.fromkeys(record.licensee_name.split(ASSIGNEE_SEPARATOR))
            if name.strip()
        ]
        for patent in record.patents.all():
            current = list(patent.holdings.filter(role=Holding.Role.CURRENT))
            if [h.holder_id for h in current] == [assignee.pk for assignee in assignees]:
                continue
            applicants = [
                services.HoldingInput(
                    h.holder, role=Holding.Role.APPLICANT, share=h.share, confirmed=True
                )
                for h in patent.holdings.filter(role=Holding.Role.APPLICANT).select_related(
                    "holder"
                )
            ]
            if not applicants:  # keep who held it before as the original holder
                applicants = [
                    services.HoldingInput(h.holder, role=Holding.Role.APPLICANT, confirmed=True)
                    for h in current
                ]
            services.patent_update(
                actor=actor,
                patent=patent,
                data=services.PatentInput(
                    values={},
                    holdings=[
                        *applicants,
                        *(
                            # registered: the assignee is the holder of record
                            services.HoldingInput(
                                assignee, since=record.recordation_date, confirmed=True
                            )
                            for assignee in assignees
                        ),
                    ],
                ),
                expected_version=None,
            )
            count += 1
    return count


@transaction.atomic
def pledge_create(
    *, actor: Actor, pledgor: Holder, values: dict[str, Any], patent_ids: Iterable[int]
) -> Pledge:
    cleaned = {k: v for k, v in values.items() if k in PLEDGE_FIELDS}
    _clean_uscc(cleaned, "pledgee_uscc")
    pledge = Pledge(pledgor=pledgor, **cleaned)
    pledge.full_clean()
    if pledge.debt_end < (pledge.debt_start or pledge.registration_date):
        raise ValidationError(
            {
                "debt_end": ValidationError(
                    _("The debt period ends before it starts or before the registration."),
                    code="date_order",
                )
            }
        )
    patents = _patents(patent_ids)
    today = timezone.localdate()
    problems = {}
    for patent in patents:
        holders = set(
            Holding.objects.filter(patent=patent, role=Holding.Role.CURRENT).values_list(
                "holder_id", flat=True
            )
        )
        result = rules.pledge_check(
            licensing_facts(patent, on=today),
            debt_end=pledge.debt_end,
            pledgor_is_holder_of_record=pledgor.pk in holders,
        )
        problems[f"patents[{patent.pk}]"] = list(result.errors)
    _raise(problems)
    stamp(pledge, actor, created=True)
    pledge.save()
    pledge.patents.set(patents)
    return pledge


def _check_closing_date(on: datetime.date, since: datetime.date | None, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError(
            {field: ValidationError(_("This date is in the future."), code="future")}
        )
    if since and on < since:
        raise ValidationError(
            {field: ValidationError(_("This date is before the registration."), code="date_order")}
        )


@transaction.atomic
def pledge_cancel(
    *, actor: Actor, pledge: Pledge, on: datetime.date, expected_version: int | None
) -> Pledge:
    """Record the cancellation (注销) of a pledge's registration, e.g. once the debt is repaid:
    the patents are no longer pledged (docs/domain/pledges.md §2) and may be pledged again."""
    current = locked(Pledge.objects.all(), pledge.pk, expected_version)
    if current.status == PledgeStatus.CANCELLED:
        raise ValidationError(
            {"status": ValidationError(_("This pledge is already cancelled."), code="cancelled")}
        )
    _check_closing_date(on, current.registration_date, "cancellation_date")
    current.status = PledgeStatus.CANCELLED
    current.cancellation_date = on
    stamp(current, actor)
    current.save()
    return current


@transaction.atomic
def licence_terminate(
    *, actor: Actor, record: LicenceRecord, on: datetime.date, expected_version: int | None
) -> LicenceRecord:
    """Record that a licence ended early (terminated or its recordation cancelled): from that
    date it no longer blocks other licences or an open licence
    (docs/domain/licences-and-recordation.md §1)."""
    current = locked(LicenceRecord.objects.all(), record.pk, expected_version)
    if current.kind == LicenceKind.ASSIGNMENT:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _("An assignment is not terminated; record a new one."), code="assignment"
                )
            }
        )
    if current.terminated_at is not None:
        raise ValidationError(
            {
                "terminated_at": ValidationError(
                    _("This licence has already ended."), code="terminated"
                )
            }
        )
    _check_closing_date(on, current.contract_date or current.term_start, "terminated_at")
    current.terminated_at = on
    stamp(current, actor)
    current.save()
    return current
