"""Legal-status events (法律状态事件): the words of the register and the platforms' exports,
and applying one event to a patent through the services (docs/domain/legal-status-events.md).

``event_type_of(words)`` reads an event as CNIPA's register or a platform words it
(专利权的终止, 专利实施许可合同备案的生效, 权利转移 ...) as an ``EventType``: first by code,
label or an exact word (``EVENT_WORDS``), then by the key words of a longer phrase
(``EVENT_KEYWORDS``, in order: a pledge's cancellation before a pledge, a term's expiry
before a termination). ``details_of(text)`` reads the labelled details a register entry
carries (变更后权利人：…  受让人：…  质权人：…).

``legal_event_apply`` stores one event and applies it, each kind through the service that
owns its rule, so an event that breaks a rule is refused with the rule's message:

- a status event sets the legal status with its date and the file's words
  (``patent_update``: only a granted patent can be in force ...); an event older than
  the patent's current status date (or, for an examination, than its grant) is stored
  without changing it; a grant also sets a missing grant date;
- a transfer records an assignment from the holders of record to the new holders
  (``licence_record_create`` with kind ``assignment``: the licensor must be a holder of
  record; the new holders become the current holders from the event date, with history);
- a licence recordation records a licence (``licence_record_create``: every recordation
  rule), its cancellation ends it (``licence_terminate``);
- a pledge registration records a pledge (``pledge_create``: every pledge rule), its
  cancellation cancels it (``pledge_cancel``);
- the other events (a change of a recordation or registration, a partial invalidation,
  a bibliographic change) are stored only.

The event's natural key is (patent, date, type, number); an event already stored is
``unchanged`` and applies nothing again.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, acting_user, locked
from patents.licensing import records
from patents.models import (
    EventEffect,
    EventType,
    Holder,
    Holding,
    LegalStatus,
    LegalStatusEvent,
    LicenceKind,
    LicenceRecord,
    Patent,
    Pledge,
    PledgeStatus,
)
from patents.register import services

ASSIGNEES_LENGTH: int = LicenceRecord._meta.get_field("licensee_name").max_length  # type: ignore[assignment]
# The legal status each status event means.
EVENT_STATUS: dict[str, str] = {
    EventType.GRANT: LegalStatus.IN_FORCE,
    EventType.EXAMINATION: LegalStatus.PENDING,
    EventType.LAPSE: LegalStatus.LAPSED,
    EventType.ABANDONMENT: LegalStatus.LAPSED,
    EventType.EXPIRY: LegalStatus.EXPIRED,
    EventType.INVALIDATION: LegalStatus.INVALIDATED,
    EventType.RESTORATION: LegalStatus.IN_FORCE,
    EventType.REJECTION: LegalStatus.REJECTED,
    EventType.WITHDRAWAL: LegalStatus.WITHDRAWN,
}
# Whole words of the register and the platforms (compared without spaces, NFKC, lower case).
EVENT_WORDS: dict[str, str] = {
    "授权": EventType.GRANT, "授权公告": EventType.GRANT, "专利权的授予": EventType.GRANT,
    "实质审查的生效": EventType.EXAMINATION, "实审": EventType.EXAMINATION,
    "专利权的终止": EventType.LAPSE, "未缴年费专利权终止": EventType.LAPSE, "未缴年费": EventType.LAPSE,
    "年费终止": EventType.LAPSE, "专利权终止": EventType.LAPSE,
    "放弃": EventType.ABANDONMENT, "避重放弃": EventType.ABANDONMENT,
    "专利权的主动放弃": EventType.ABANDONMENT,
    "期限届满": EventType.EXPIRY, "期满终止": EventType.EXPIRY, "专利权有效期届满": EventType.EXPIRY,
    "全部无效": EventType.INVALIDATION, "专利权全部无效": EventType.INVALIDATION,
    "部分无效": EventType.PARTIAL_INVALIDATION,
    "权利恢复": EventType.RESTORATION, "专利权的恢复": EventType.RESTORATION,
    "驳回": EventType.REJECTION, "撤回": EventType.WITHDRAWAL, "视为撤回": EventType.WITHDRAWAL,
    "权利转移": EventType.TRANSFER, "专利权的转移": EventType.TRANSFER, "转让": EventType.TRANSFER,
    "专利申请权、专利权的转移": EventType.TRANSFER,
    "许可": EventType.LICENCE_RECORDED, "质押": EventType.PLEDGE_REGISTERED,
    "著录事项变更": EventType.BIBLIOGRAPHIC_CHANGE,
}  # fmt: skip
# Key words of a longer phrase, in order: the first whose words all occur names the event.
EVENT_KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("质押", "注销"), EventType.PLEDGE_CANCELLED),
    (("质押", "解除"), EventType.PLEDGE_CANCELLED),
    (("质押", "变更"), EventType.PLEDGE_CHANGED),
    (("质押",), EventType.PLEDGE_REGISTERED),
    (("许可", "注销"), EventType.LICENCE_CANCELLED),
    (("许可", "解除"), EventType.LICENCE_CANCELLED),
    (("许可", "变更"), EventType.LICENCE_CHANGED),
    (("实施许可",), EventType.LICENCE_RECORDED),
    (("许可", "备案"), EventType.LICENCE_RECORDED),
    (("转移",), EventType.TRANSFER),
    (("转让",), EventType.TRANSFER),
    (("撤回",), EventType.WITHDRAWAL),
    (("视为放弃",), EventType.WITHDRAWAL),
    (("驳回",), EventType.REJECTION),
    (("部分无效",), EventType.PARTIAL_INVALIDATION),
    (("无效",), EventType.INVALIDATION),
    (("届满",), EventType.EXPIRY),
    (("年费",), EventType.LAPSE),
    (("终止",), EventType.LAPSE),
    (("放弃",), EventType.ABANDONMENT),
    (("恢复",), EventType.RESTORATION),
    (("授权",), EventType.GRANT),
    (("授予",), EventType.GRANT),
    (("实质审查",), EventType.EXAMINATION),
    (("著录事项",), EventType.BIBLIOGRAPHIC_CHANGE),
)
# Events of another procedure that share a key word above: not events of this kind.
NOT_EVENTS = ("开放许可",)
# Labels of a register entry's details, by what they give (the first label found wins).
DETAIL_LABELS: dict[str, tuple[str, ...]] = {
    "new_holders": ("变更后权利人", "变更后专利权人", "变更后申请人", "变更后的权利人", "新权利人"),
    "previous_holders": ("变更前权利人", "变更前专利权人", "变更前申请人", "变更前的权利人", "转让人"),
    "licensor": ("让与人", "许可人", "许可方"),
    "licensee": ("受让人", "被许可人", "被许可方"),
    "licence_kind": ("许可种类", "许可类型"),
    "number": ("合同备案号", "备案号", "质押合同登记号", "登记号", "登记编号"),
    "pledgor": ("出质人",),
    "pledgee": ("质权人",),
    "amount_cny": ("质押金额", "登记金额", "主债权金额", "担保金额"),
}  # fmt: skip
_KNOWN_LABELS = sorted(
    {label for labels in DETAIL_LABELS.values() for label in labels}, key=len, reverse=True
)
_LABEL = re.compile(r"([\u4e00-\u9fff（）()、]{2,12})[：:]")
# A licence's kind as records word it (独占许可, 排他实施许可 ...); unstated: ordinary (DOMAIN §8.1).
LICENCE_KIND_WORDS = (
    ("独占", LicenceKind.EXCLUSIVE),
    ("排他", LicenceKind.SOLE),
    ("普通", LicenceKind.ORDINARY),
    ("exclusive", LicenceKind.EXCLUSIVE),
    ("sole", LicenceKind.SOLE),
    ("ordinary", LicenceKind.ORDINARY),
)


def _key(words: str) -> str:
    return "".join(unicodedata.normalize("NFKC", words).split()).lower()


_CODES = {
    **{code: code for code in EventType.values},
    **{_key(str(label)): code for code, label in EventType.choices},
}
_WORDS = {_key(word): code for word, code in EVENT_WORDS.items()}


def event_type_of(words: str) -> str | None:
    """The event type ``words`` name (code, English label, or the register's words), or None."""
    key = _key(words)
    if not key:
        return None
    found = _CODES.get(key) or _WORDS.get(key)
    if found:
        return found
    if any(word in key for word in NOT_EVENTS):
        return None
    for keywords, event_type in EVENT_KEYWORDS:
        if all(word in key for word in keywords):
            return event_type
    return None


def details_of(text: str) -> dict[str, str]:
    """The labelled values of a register entry's details (``DETAIL_LABELS``'s keys)."""
    written = unicodedata.normalize("NFKC", text or "")
    labelled: dict[str, str] = {}
    matches = list(_LABEL.finditer(written))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(written)
        value = written[match.end() : end].strip(" \t\r\n;；,，")
        label = match.group(1)
        # A label run into the words before it (…的注销质押合同登记号：): its known tail.
        label = next((known for known in _KNOWN_LABELS if label.endswith(known)), label)
        labelled.setdefault(label, value)
    found: dict[str, str] = {}
    for name, labels in DETAIL_LABELS.items():
        for label in labels:
            if labelled.get(label):
                found[name] = labelled[label]
                break
    return found


def licence_kind_of(words: str | None) -> str:
    written = _key(words or "")
    for word, kind in LICENCE_KIND_WORDS:
        if word in written:
            return kind
    return LicenceKind.ORDINARY


@dataclass
class EventInput:
    """One event as a file gives it (names as written; the service finds the holders)."""

    event_date: datetime.date
    event_type: str
    source_words: str
    number: str = ""
    details_text: str = ""
    new_holders: list[str] = field(default_factory=list)
    previous_holders: list[str] = field(default_factory=list)
    licensor: str = ""
    licensee: str = ""
    licence_kind: str = ""
    pledgor: str = ""
    pledgee: str = ""
    amount_cny: Decimal | None = None
    debt_start: datetime.date | None = None
    debt_end: datetime.date | None = None

    def details(self) -> dict[str, Any]:
        """What was read, as stored on the event (blank parts left out)."""
        values: dict[str, Any] = {
            "new_holders": self.new_holders,
            "previous_holders": self.previous_holders,
            "licensor": self.licensor,
            "licensee": self.licensee,
            "licence_kind": self.licence_kind,
            "pledgor": self.pledgor,
            "pledgee": self.pledgee,
            "amount_cny": str(self.amount_cny) if self.amount_cny is not None else "",
            "debt_start": self.debt_start.isoformat() if self.debt_start else "",
            "debt_end": self.debt_end.isoformat() if self.debt_end else "",
        }
        return {key: value for key, value in values.items() if value}


def _error(key: str, message: Any, code: str) -> ValidationError:
    return ValidationError({key: ValidationError(message, code=code)})


def existing_event(patent: Patent, event: EventInput) -> LegalStatusEvent | None:
    return LegalStatusEvent.objects.filter(
        patent=patent,
        event_date=event.event_date,
        event_type=event.event_type,
        number=event.number,
    ).first()


@transaction.atomic
def legal_event_apply(
    *,
    actor: Actor,
    patent: Patent,
    event: EventInput,
    batch: uuid.UUID | None = None,
    source: str = "",
) -> tuple[LegalStatusEvent, Literal["created", "unchanged"]]:
    """Store ``event`` of ``patent`` and apply it (the module docstring); ``unchanged`` when
    it is stored already. Raises ``ValidationError`` by field (``event_date``,
    ``new_holders``, ``licensee``, ``number``, ... or a service's own fields)."""
    found = existing_event(patent, event)
    if found is not None:
        return found, "unchanged"
    current = locked(Patent.objects.all(), patent.pk)
    if event.event_date > timezone.localdate():
        raise _error("event_date", _("This date is in the future."), "future")
    if current.filing_date and event.event_date < current.filing_date:
        raise _error(
            "event_date",
            _("The event date is before the filing date (%(date)s).")
            % {"date": current.filing_date.isoformat()},
            "before_filing",
        )
    stored = LegalStatusEvent(
        patent=current,
        event_date=event.event_date,
        event_type=event.event_type,
        source_words=event.source_words[:200],
        number=event.number,
        details_text=event.details_text,
        details=event.details(),
        legal_status=EVENT_STATUS.get(event.event_type, ""),
        import_batch=batch,
        source=source[:200],
        created_by=acting_user(actor),
    )
    if event.event_type in EVENT_STATUS:
        stored.effect = _apply_status(actor, current, event, batch)
    elif event.event_type == EventType.TRANSFER:
        stored.effect, stored.licence_record = _apply_transfer(actor, current, event)
    elif event.event_type == EventType.LICENCE_RECORDED:
        stored.effect, stored.licence_record = _apply_licence(actor, current, event)
    elif event.event_type == EventType.LICENCE_CANCELLED:
        stored.effect, stored.licence_record = _cancel_licence(actor, current, event)
    elif event.event_type == EventType.PLEDGE_REGISTERED:
        stored.effect, stored.pledge = _apply_pledge(actor, current, event)
    elif event.event_type == EventType.PLEDGE_CANCELLED:
        stored.effect, stored.pledge = _cancel_pledge(actor, current, event)
    stored.full_clean()
    stored.save()
    return stored, "created"


def _apply_status(actor: Actor, patent: Patent, event: EventInput, batch: uuid.UUID | None) -> str:
    if patent.legal_status_date and event.event_date < patent.legal_status_date:
        return EventEffect.STATUS_KEPT
    if (
        EVENT_STATUS[event.event_type] == LegalStatus.PENDING
        and patent.grant_date
        and event.event_date < patent.grant_date
    ):
        return EventEffect.STATUS_KEPT  # the examination of a patent granted since
    values: dict[str, Any] = {
        "legal_status": EVENT_STATUS[event.event_type],
        "legal_status_date": event.event_date,
        "legal_status_source": event.source_words[:100],
    }
    if event.event_type == EventType.GRANT and patent.grant_date is None:
        values["grant_date"] = event.event_date
    if all(getattr(patent, key) == value for key, value in values.items()):
        return EventEffect.STATUS_KEPT
    services.patent_update(
        actor=actor,
        patent=patent,
        data=services.PatentInput(values=values),
        expected_version=None,
        batch=batch,
    )
    return EventEffect.STATUS_CHANGED


def _current_holders(patent: Patent) -> list[Holder]:
    return [
        h.holder
        for h in patent.holdings.filter(role=Holding.Role.CURRENT)
        .select_related("holder")
        .order_by("order", "id")
    ]


def _party(patent: Patent, name: str, column: str) -> Holder:
    """The holder of record a party names (its name as written), else the first holder of
    record when the file names none; the service then checks it is a holder of record."""
    holders = _current_holders(patent)
    if not name:
        if not holders:
            raise _error(
                column,
                _("The patent has no holder of record; name the %(party)s.") % {"party": column},
                "required",
            )
        return holders[0]
    for holder in holders:
        if holder.name == name:
            return holder
    found = Holder.objects.filter(name=name).order_by("id").first()
    if found is None:
        raise _error(
            column,
            _("“%(name)s” is not a holder of record of this patent.") % {"name": name},
            "not_holder",
        )
    return found


def _apply_transfer(
    actor: Actor, patent: Patent, event: EventInput
) -> tuple[str, LicenceRecord | None]:
    if not event.new_holders:
        raise _error(
            "new_holders",
            _("A transfer names the new holders (变更后权利人)."),
            "required",
        )
    holders = _current_holders(patent)
    if [h.name for h in holders] == event.new_holders:
        return EventEffect.HOLDERS_ALREADY, None
    if event.previous_holders and sorted(event.previous_holders) != sorted(h.name for h in holders):
        raise _error(
            "previous_holders",
            _("The holders before the transfer are not the holders of record (%(names)s).")
            % {"names": "；".join(h.name for h in holders) or "—"},
            "not_holder",
        )
    assignees = records.ASSIGNEE_SEPARATOR.join(event.new_holders)
    if len(assignees) > ASSIGNEES_LENGTH:
        raise _error(
            "new_holders",
            _("The new holders' names are longer than %(limit)d characters together.")
            % {"limit": ASSIGNEES_LENGTH},
            "max_length",
        )
    first = event.previous_holders[0] if event.previous_holders else ""
    licensor = _party(patent, first, "previous_holders")
    record, _warnings = records.licence_record_create(
        actor=actor,
        licensor=licensor,
        values={
            "licensee_name": assignees,
            "kind": LicenceKind.ASSIGNMENT,
            "recordation_number": event.number,
            "recordation_date": event.event_date,
            "source": event.source_words[:200],
        },
        patent_ids=[patent.pk],
    )
    return EventEffect.HOLDERS_CHANGED, record


def _apply_licence(
    actor: Actor, patent: Patent, event: EventInput
) -> tuple[str, LicenceRecord | None]:
    if not event.licensee:
        raise _error(
            "licensee", _("A licence recordation names the licensee (受让人)."), "required"
        )
    licensor = _party(patent, event.licensor, "licensor")
    record, _warnings = records.licence_record_create(
        actor=actor,
        licensor=licensor,
        values={
            "licensee_name": event.licensee[:200],
            "kind": licence_kind_of(event.licence_kind),
            "recordation_number": event.number,
            "recordation_date": event.event_date,
            "source": event.source_words[:200],
        },
        patent_ids=[patent.pk],
    )
    return EventEffect.LICENCE_RECORDED, record


def _apply_pledge(actor: Actor, patent: Patent, event: EventInput) -> tuple[str, Pledge | None]:
    missing = {
        "pledgee": (event.pledgee, _("A pledge registration names the pledgee (质权人).")),
        "amount_cny": (
            event.amount_cny,
            _("A pledge registration needs the secured amount (质押金额)."),
        ),
        "debt_end": (event.debt_end, _("A pledge registration needs the debt period's end.")),
    }
    errors = {
        key: ValidationError(message, code="required")
        for key, (value, message) in missing.items()
        if value in (None, "")
    }
    if errors:
        raise ValidationError(errors)
    pledgor = _party(patent, event.pledgor, "pledgor")
    pledge = records.pledge_create(
        actor=actor,
        pledgor=pledgor,
        values={
            "pledgee_name": event.pledgee[:200],
            "secured_amount_cny": event.amount_cny,
            "registration_number": event.number,
            "registration_date": event.event_date,
            "debt_start": event.debt_start,
            "debt_end": event.debt_end,
        },
        patent_ids=[patent.pk],
    )
    return EventEffect.PLEDGE_REGISTERED, pledge


def _number_required(event: EventInput, what: Any) -> None:
    if not event.number:
        raise _error(
            "number",
            _("Give the %(what)s number of the registration it cancels.") % {"what": what},
            "required",
        )


def _cancel_licence(
    actor: Actor, patent: Patent, event: EventInput
) -> tuple[str, LicenceRecord | None]:
    _number_required(event, _("recordation"))
    record = (
        LicenceRecord.objects.filter(patents=patent, recordation_number=event.number)
        .exclude(kind=LicenceKind.ASSIGNMENT)
        .order_by("id")
        .first()
    )
    if record is None:
        raise _error(
            "number",
            _("No licence of this patent is recorded under %(number)s.") % {"number": event.number},
            "unknown_record",
        )
    ended = records.licence_terminate(
        actor=actor, record=record, on=event.event_date, expected_version=None
    )
    return EventEffect.LICENCE_TERMINATED, ended


def _cancel_pledge(actor: Actor, patent: Patent, event: EventInput) -> tuple[str, Pledge | None]:
    _number_required(event, _("registration"))
    pledge = (
        Pledge.objects.filter(patents=patent, registration_number=event.number)
        .exclude(status=PledgeStatus.CANCELLED)
        .order_by("id")
        .first()
    )
    if pledge is None:
        raise _error(
            "number",
            _("No pledge of this patent is registered under %(number)s.")
            % {"number": event.number},
            "unknown_record",
        )
    cancelled = records.pledge_cancel(
        actor=actor, pledge=pledge, on=event.event_date, expected_version=None
    )
    return EventEffect.PLEDGE_CANCELLED, cancelled
