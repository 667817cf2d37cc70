"""Writes of the register: every rule about holders and patents lives here.

Each write is one service call, in one transaction, with the acting user: the API,
the admin, imports and ``seed`` all call these functions (many patents at once:
``patents.register.bulk``, with the same cleaning and computed fields). Errors are Django
``ValidationError`` with field keys and stable codes (rendered as 400 by the API), and
``conversion_db.services.StaleVersion`` (412) when the caller's version is not the current one.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversion_db.models import current_import_batch, import_batch
from conversion_db.services import Actor, acting_user, history_user, locked, stamp
from patents.models import Holder, Holding, IpcClass, LegalStatus, Patent, PatentType, Region
from patents.reference.ipc import IpcSymbolError, parse_ipc, symbol_from_key
from patents.register import coholders, numbers
from patents.register.high_value import HighValueFacts, HighValueResult, evaluate_high_value
from patents.register.terms import termination_date
from patents.register.uscc import UsccError, normalise_uscc
from patents.search.text import Field, document_vector, english_vector_sql

# --- Holders ------------------------------------------------------------------------------
# Sent inside the transaction with the holders an operator has just verified (whichever way:
# the holder's form, the list action, a registration request's approval), so that what waits
# on a verification closes with it (accounts: the holder's pending registration requests).
holders_verified = Signal()

HOLDER_FIELDS = (
    "name", "name_en", "kind", "uscc", "region", "address", "contact_name", "contact_email", "contact_phone",
)  # fmt: skip


def clean_holder_data(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[ValidationError]] = {}
    cleaned = dict(data)
    if "name" in cleaned:
        cleaned["name"] = " ".join(str(cleaned["name"] or "").split())
        if not cleaned["name"]:
            errors["name"] = [ValidationError(_("A holder needs a name."), code="required")]
    region = cleaned.get("region")
    if isinstance(region, str) or region is None:
        if region:
            found = Region.objects.filter(code=region.strip()).first()
            if found is None:
                errors["region"] = [
                    ValidationError(
                        _("No region has the code “%(code)s”.") % {"code": region},
                        code="unknown_region",
                    )
                ]
            cleaned["region"] = found
        elif "region" in cleaned:
            cleaned["region"] = None
    if cleaned.get("uscc"):
        try:
            cleaned["uscc"] = normalise_uscc(cleaned["uscc"])
        except UsccError as exc:
            errors["uscc"] = [ValidationError(str(exc.message), code=exc.code)]
    elif "uscc" in cleaned:
        cleaned["uscc"] = None
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def holder_create(*, actor: Actor, data: dict[str, Any], verified: bool = False) -> Holder:
    """A new holder; ``verified`` is an operator's word only (the admin), never a member's."""
    cleaned = clean_holder_data(data)
    cleaned.setdefault("kind", holder_kind_from_name(cleaned.get("name", "")))
    holder = Holder(**{k: v for k, v in cleaned.items() if k in HOLDER_FIELDS})
    holder.verified = verified
    stamp(holder, actor, created=True)
    holder.full_clean()
    holder.save()
    if verified:
        holders_verified.send(Holder, holders=[holder], actor=actor)
    return holder


@transaction.atomic
def holder_update(
    *,
    actor: Actor,
    holder: Holder,
    data: dict[str, Any],
    expected_version: int | None,
    verified: bool | None = None,
) -> Holder:
    """Change a holder's fields, and with ``verified`` (an operator's edit) whether it is
    verified: one version, one history entry."""
    current = locked(Holder.objects.all(), holder.pk, expected_version)
    for key, value in clean_holder_data(data).items():
        if key in HOLDER_FIELDS:
            setattr(current, key, value)
    newly_verified = verified is True and not current.verified
    if verified is not None:
        current.verified = verified
    stamp(current, actor)
    current.full_clean()
    current.save()
    _refresh_holder_denormalisations(current)
    if newly_verified:
        holders_verified.send(Holder, holders=[current], actor=actor)
    return current


@transaction.atomic
def holders_verify(*, actor: Actor, holders: Iterable[Holder], verified: bool = True) -> int:
    """Mark holders verified (or not), one history entry each."""
    changed = []
    for holder in Holder.objects.select_for_update().filter(pk__in=[h.pk for h in holders]):
        if holder.verified == verified:
            continue
        holder.verified = verified
        stamp(holder, actor)
        holder.save(update_fields=["verified", "version", "updated_by", "updated_at"])
        changed.append(holder)
    if verified and changed:
        holders_verified.send(Holder, holders=changed, actor=actor)
    return len(changed)


def holder_get_or_create_by_name(*, actor: Actor, name: str, kind: str | None = None) -> Holder:
    """An existing holder with exactly this name, or a new unverified one."""
    cleaned = " ".join(name.split())
    found = Holder.objects.filter(name=cleaned).order_by("id").first()
    if found is not None:
        return found
    return holder_create(
        actor=actor, data={"name": cleaned, "kind": kind or holder_kind_from_name(cleaned)}
    )


# The organisation form a Chinese name states, as it states it: at the end of the name
# (中国科学院上海技术物理研究所 is an institute of the Academy, 复旦大学附属中山医院 a
# hospital of the university, 江苏环保产业技术研究院股份公司 a company). The word that ends
# last wins; of two ending at the same place the longer (科学院 over 学院).
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("大学", Holder.Kind.UNIVERSITY),
    ("学院", Holder.Kind.UNIVERSITY),
    ("学校", Holder.Kind.UNIVERSITY),
    ("University", Holder.Kind.UNIVERSITY),
    ("College", Holder.Kind.UNIVERSITY),
    ("研究所", Holder.Kind.RESEARCH_INSTITUTE),
    ("研究院", Holder.Kind.RESEARCH_INSTITUTE),
    ("研究中心", Holder.Kind.RESEARCH_INSTITUTE),
    ("研究总院", Holder.Kind.RESEARCH_INSTITUTE),
    ("科学院", Holder.Kind.RESEARCH_INSTITUTE),
    ("中国科学院", Holder.Kind.RESEARCH_INSTITUTE),
    ("工程院", Holder.Kind.RESEARCH_INSTITUTE),
    ("实验室", Holder.Kind.RESEARCH_INSTITUTE),
    ("设计院", Holder.Kind.RESEARCH_INSTITUTE),
    ("Institute", Holder.Kind.RESEARCH_INSTITUTE),
    ("Academy", Holder.Kind.RESEARCH_INSTITUTE),
    ("医院", Holder.Kind.MEDICAL_INSTITUTION),
    ("卫生院", Holder.Kind.MEDICAL_INSTITUTION),
    ("Hospital", Holder.Kind.MEDICAL_INSTITUTION),
    ("公司", Holder.Kind.ENTERPRISE),
    ("有限公司", Holder.Kind.ENTERPRISE),
    ("股份", Holder.Kind.ENTERPRISE),
    ("集团", Holder.Kind.ENTERPRISE),
    ("株式会社", Holder.Kind.ENTERPRISE),
    ("厂", Holder.Kind.ENTERPRISE),
    ("Co.", Holder.Kind.ENTERPRISE),
    ("Ltd", Holder.Kind.ENTERPRISE),
    ("Inc", Holder.Kind.ENTERPRISE),
)


def holder_kind_from_name(name: str) -> str:
    """A holder's kind as its name states it, else ``other``; the one rule for the seed,
    imports and new holders (operators correct it when verifying).

    大学, 学院 → university; 研究所, 研究院, 研究中心, (中国)科学院 … → research institute;
    医院 → medical institution; 公司, 股份, 集团, 厂 → enterprise. When a name has several,
    the organisation form is the one that ends last (see ``_KIND_WORDS``)."""
    best: tuple[int, int, str] | None = None
    for word, kind in _KIND_WORDS:
        start = name.rfind(word)
        if start < 0:
            continue
        candidate = (start + len(word), len(word), kind)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best is not None else Holder.Kind.OTHER


def _refresh_holder_denormalisations(holder: Holder) -> None:
    patents = Patent.all_objects.filter(holdings__holder=holder).distinct()
    for patent in patents:
        _refresh_holder_fields(patent)
        _write_search_document(patent)


# --- Patents --------------------------------------------------------------------------------
@dataclass
class HoldingInput:
    holder: Holder
    role: str = Holding.Role.CURRENT
    share: Decimal | None = None
    since: datetime.date | None = None
    # True: confirmed whoever writes it, because the caller has the ground (a recorded
    # assignment's registration); None: by the writer (``coholders``).
    confirmed: bool | None = None


@dataclass
class PatentInput:
    """What a caller may set on a patent; numbers and IPC symbols in any accepted spelling."""

    values: dict[str, Any]
    holdings: list[HoldingInput] | None = None  # None: leave holdings as they are
    errors: dict[str, list[ValidationError]] = field(default_factory=dict)


PATENT_FIELDS = (
    "jurisdiction", "application_number", "publication_number", "grant_number", "patent_type", "title",
    "title_en", "abstract", "abstract_en", "keywords", "ipc_codes", "filing_date", "publication_date",
    "grant_date", "legal_status", "legal_status_date", "legal_status_source", "term_extension_days",
    "pct_application_number", "wo_publication_number", "foreign_family", "has_foreign_grant", "awards",
    "inventors", "source",
)  # fmt: skip


def _add_error(errors: dict[str, list[ValidationError]], key: str, message: Any, code: str) -> None:
    errors.setdefault(key, []).append(ValidationError(str(message), code=code))


def clean_patent_values(values: dict[str, Any], *, current: Patent | None = None) -> dict[str, Any]:
    """Normalise and check patent values; raise one ValidationError with every field's problems."""
    errors: dict[str, list[ValidationError]] = {}
    cleaned = {k: v for k, v in values.items() if k in PATENT_FIELDS}
    jurisdiction = str(
        cleaned.get("jurisdiction") or (current.jurisdiction if current else "CN")
    ).upper()
    cleaned["jurisdiction"] = jurisdiction
    derived_types: list[tuple[str, str]] = []

    def parse(key: str, parser: Any) -> Any:
        raw = cleaned.get(key)
        if raw in (None, ""):
            if key in cleaned:
                cleaned[key] = None if key == "application_number" else ""
            return None
        try:
            parsed = parser(str(raw))
        except numbers.PatentNumberError as exc:
            _add_error(errors, key, exc.message, exc.code)
            return None
        cleaned[key] = parsed.canonical
        return parsed

    if jurisdiction == "CN":
        application = parse("application_number", numbers.parse_application_number)
        if application is not None:
            derived_types.append(("application_number", application.patent_type))
        publication = parse("publication_number", numbers.parse_publication_number)
        if publication is not None:
            derived_types.append(("publication_number", publication.patent_type))
        grant = parse("grant_number", numbers.parse_publication_number)
        if grant is not None:
            derived_types.append(("grant_number", grant.patent_type))
            if not grant.is_grant:
                _add_error(
                    errors, "grant_number", _("This number is not a grant document."), "not_a_grant"
                )
    parse("pct_application_number", numbers.parse_pct_application_number)
    parse("wo_publication_number", numbers.parse_wo_publication_number)

    # Type: given, or derived from the numbers; numbers and type must agree.
    given_type = cleaned.get("patent_type") or (current.patent_type if current else None)
    for key, derived in derived_types:
        if given_type and derived != given_type:
            _add_error(
                errors,
                key,
                _("This number is for a %(number_type)s, not a %(given_type)s.")
                % {
                    "number_type": PatentType(derived).label,
                    "given_type": PatentType(given_type).label,
                },
                "type_mismatch",
            )
        given_type = given_type or derived
    has_application = cleaned.get("application_number") or (
        current.application_number if current and "application_number" not in cleaned else None
    )
    has_publication = cleaned.get("publication_number") or (
        current.publication_number if current and "publication_number" not in cleaned else ""
    )
    if given_type:
        cleaned["patent_type"] = given_type
    elif current is None and not errors and (has_application or has_publication):
        # (a bad or missing number already says why)
        _add_error(
            errors,
            "patent_type",
            _("Give the patent type, or a number it can be read from."),
            "required",
        )
    if not has_application and not has_publication and "application_number" not in errors:
        _add_error(
            errors,
            "application_number",
            _("A patent needs an application number or a publication number."),
            "number_required",
        )

    _clean_foreign_family(cleaned, current, errors)

    if "ipc_codes" in cleaned:
        codes: list[str] = []
        raw_codes = cleaned["ipc_codes"] or []
        if isinstance(raw_codes, str):
            raw_codes = [raw_codes]
        for raw in raw_codes:
            try:
                symbol = parse_ipc(str(raw)).symbol
            except IpcSymbolError as exc:
                _add_error(errors, "ipc_codes", exc.message, exc.code)
                continue
            if symbol not in codes:
                codes.append(symbol)
        cleaned["ipc_codes"] = codes

    for key in ("title",):
        if key in cleaned or current is None:
            cleaned[key] = " ".join(str(cleaned.get(key) or "").split())
            if not cleaned[key]:
                _add_error(errors, key, _("A patent needs a title."), "required")

    dates = {
        key: cleaned.get(key, getattr(current, key, None))
        for key in ("filing_date", "publication_date", "grant_date")
    }
    if dates["filing_date"] and dates["grant_date"] and dates["grant_date"] < dates["filing_date"]:
        _add_error(
            errors, "grant_date", _("The grant date is before the filing date."), "date_order"
        )
    if (
        dates["filing_date"]
        and dates["publication_date"]
        and dates["publication_date"] < dates["filing_date"]
    ):
        _add_error(
            errors,
            "publication_date",
            _("The publication date is before the filing date."),
            "date_order",
        )

    status = cleaned.get("legal_status", getattr(current, "legal_status", None))
    if status in (LegalStatus.IN_FORCE, LegalStatus.IN_GRACE_PERIOD) and not (
        dates["grant_date"] or cleaned.get("grant_number") or getattr(current, "grant_number", "")
    ):
        _add_error(
            errors,
            "legal_status",
            _("Only a granted patent can be in force; give its grant date."),
            "not_granted",
        )

    _check_lengths(cleaned, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def granted_family_members(members: Iterable[str]) -> list[str]:
    """The granted ones among stored family members abroad (``numbers.family.GRANT_KINDS``)."""
    granted = []
    for member in members:
        try:
            if numbers.parse_family_member(member).is_grant:
                granted.append(member)
        except numbers.PatentNumberError:
            continue
    return granted


def _clean_foreign_family(
    cleaned: dict[str, Any], current: Patent | None, errors: dict[str, list[ValidationError]]
) -> None:
    """Family members abroad in canonical form, and ``has_foreign_grant`` kept true to them
    (docs/domain/high-value-patents.md §2): a granted member sets it; without one it is what
    the caller states (a grant abroad known but not listed), and listing new members leaves
    such a statement alone; it cannot be cleared while a granted member is listed."""
    if "foreign_family" in cleaned:
        raw = cleaned["foreign_family"] or []
        members: list[str] = []
        for item in [raw] if isinstance(raw, str) else raw:
            try:
                member = numbers.parse_family_member(str(item))
            except numbers.PatentNumberError as exc:
                _add_error(errors, "foreign_family", exc.message, exc.code)
                continue
            if member.canonical not in members:
                members.append(member.canonical)
        cleaned["foreign_family"] = members
        granted = granted_family_members(members)
        if "has_foreign_grant" not in cleaned:
            before = list(current.foreign_family) if current else []
            stated = bool(current and current.has_foreign_grant) and not granted_family_members(
                before
            )
            cleaned["has_foreign_grant"] = bool(granted) or stated
    else:
        granted = granted_family_members(current.foreign_family) if current else []
    if cleaned.get("has_foreign_grant") is False and granted:
        _add_error(
            errors,
            "has_foreign_grant",
            _(
                "A granted family member abroad is listed (%(members)s); remove it from "
                "foreign_family first."
            )
            % {"members": ", ".join(granted)},
            "granted_member_listed",
        )


def _check_lengths(cleaned: dict[str, Any], errors: dict[str, list[ValidationError]]) -> None:
    """Text and list items no longer than their columns (bulk writes skip full_clean)."""
    for key, value in cleaned.items():
        field_ = Patent._meta.get_field(key)
        limit = getattr(getattr(field_, "base_field", field_), "max_length", None)
        if not limit or value is None:
            continue
        items = value if isinstance(value, list) else [value]
        if any(len(str(item)) > limit for item in items):
            _add_error(
                errors,
                key,
                _("At most %(limit)d characters (per item, for a list).") % {"limit": limit},
                "max_length",
            )


def ipc_levels(code_lists: Iterable[Sequence[str]]) -> dict[str, list[str]]:
    """Every symbol each IPC code of these patents falls under (syntactic levels plus the
    scheme's dot ancestors), by code, with one query for the scheme ancestors."""
    keys = {parse_ipc(code).key for codes in code_lists for code in codes}
    ancestors = dict(IpcClass.objects.filter(key__in=keys).values_list("key", "ancestors"))
    cache: dict[str, list[str]] = {}
    for key in keys:
        symbol = parse_ipc(symbol_from_key(key)) if len(key) == 14 else parse_ipc(key)
        levels = [symbol.section, symbol.class_code, symbol.subclass]
        if symbol.main_group is not None:
            levels.append(f"{symbol.subclass} {symbol.main_group}/00")
        levels.append(symbol.symbol)
        levels.extend(symbol_from_key(k) for k in ancestors.get(key, []))
        cache[symbol.symbol] = levels
    return cache


def _ipc_index(codes: Sequence[str]) -> list[str]:
    """Every symbol the codes fall under: syntactic levels plus the scheme's dot ancestors."""
    levels = ipc_levels([codes])
    return sorted({symbol for code in codes for symbol in levels[code]})


def apply_computed(
    patent: Patent,
    *,
    on: datetime.date | None = None,
    ipc_levels: dict[str, list[str]] | None = None,
) -> None:
    """Main IPC, IPC index, expiry and high-value flags (``ipc_levels``: a bulk write's cache)."""
    on = on or timezone.localdate()
    patent.main_ipc = patent.ipc_codes[0] if patent.ipc_codes else ""
    if ipc_levels is None:
        patent.ipc_index = _ipc_index(patent.ipc_codes)
    else:
        patent.ipc_index = sorted(
            {symbol for code in patent.ipc_codes for symbol in ipc_levels[code]}
        )
    patent.expiry_date = (
        termination_date(patent.patent_type, patent.filing_date, patent.term_extension_days)
        if patent.filing_date
        else None
    )
    result = high_value_of(patent, on=on)
    patent.hv_strategic_emerging = result.strategic_emerging_industry
    patent.hv_foreign_grant = result.foreign_family_grant
    patent.hv_maintained_10_years = result.maintained_over_10_years
    patent.hv_high_pledge = result.high_pledge_amount
    patent.hv_award = result.award
    patent.is_high_value = result.is_high_value


def high_value_of(patent: Patent, *, on: datetime.date | None = None) -> HighValueResult:
    """The high-value categories a patent meets, with their reasons
    (docs/domain/high-value-patents.md §1)."""
    if patent.filing_date is None:
        return HighValueResult()
    return evaluate_high_value(
        HighValueFacts(
            patent_type=patent.patent_type,
            legal_status=patent.legal_status,
            filing_date=patent.filing_date,
            ipc_codes=tuple(patent.ipc_codes),
            has_foreign_grant=patent.has_foreign_grant,
            has_award=bool(patent.awards),
            max_pledge_amount=None,
        ),
        on=on or timezone.localdate(),
        pledge_threshold=settings.HIGH_VALUE_PLEDGE_THRESHOLD,
        sei_ipc_prefixes=frozenset(),
    )


def _refresh_holder_fields(patent: Patent) -> None:
    holdings = list(patent.holdings.select_related("holder").order_by("role", "order", "id"))
    current = [h for h in holdings if h.role == Holding.Role.CURRENT] or [
        h for h in holdings if h.role == Holding.Role.APPLICANT
    ]
    region_id = next((h.holder.region_id for h in current if h.holder.region_id), None)
    kinds = sorted({h.holder.kind for h in current})
    Patent.all_objects.filter(pk=patent.pk).update(region_id=region_id, holder_kinds=kinds)
    patent.region_id, patent.holder_kinds = region_id, kinds


def chinese_search_document(
    *, title: str, keywords: Sequence[str], abstract: str, holder_names: Iterable[str]
) -> str:
    """The Chinese part of a patent's ``search_document`` (a ``tsvector`` literal): title A,
    keywords B, abstract C, holder names D. Pure, so an import can build it ahead in a
    helper thread."""
    return document_vector(
        [
            Field(title, "A"),
            Field(" ".join(keywords), "B"),
            Field(abstract, "C"),
            Field(" ".join(dict.fromkeys(holder_names)), "D"),
        ]
    )


def _write_search_document(patent: Patent) -> None:
    chinese = chinese_search_document(
        title=patent.title,
        keywords=patent.keywords,
        abstract=patent.abstract,
        holder_names=Holding.objects.filter(patent=patent)
        .order_by("-role", "order", "id")
        .values_list("holder__name", flat=True),
    )
    english_sql, english_params = english_vector_sql(patent.title_en, patent.abstract_en)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE patents_patent SET search_document = %s::tsvector || {english_sql} WHERE id = %s",  # noqa: S608
            [chinese, *english_params, patent.pk],
        )


def _set_holdings(patent: Patent, holdings: list[HoldingInput], actor: Actor) -> list[Holding]:
    """Make the patent's holdings these; a new holding of a holder the writer does not act
    for is unconfirmed (``coholders``). Returns the unconfirmed ones written now."""
    wanted = {(h.holder.pk, h.role): h for h in holdings}
    existing: dict[tuple[int, str], Holding] = {}
    for holding in Holding.all_objects.filter(patent=patent):
        if (holding.holder_id, holding.role) not in wanted:
            history_user(holding, actor)
            holding.delete()
        else:
            existing[(holding.holder_id, holding.role)] = holding
    confirms = coholders.confirmed_by_writer(actor, {h.holder.pk for h in holdings})
    confirms |= {h.holder.pk for h in holdings if h.confirmed}
    pending: list[Holding] = []
    order: dict[str, int] = {}
    for item in holdings:
        order[item.role] = order.get(item.role, 0) + 1
        found = existing.get((item.holder.pk, item.role))
        changed = found is None
        if found is None:
            holding = Holding(patent=patent, holder=item.holder, role=item.role)
            coholders.mark([holding], actor, confirmed=confirms)
            if not holding.confirmed:
                pending.append(holding)
        else:
            holding = found
        if not changed and not holding.confirmed and item.holder.pk in confirms:
            # named again by someone who may confirm it: confirmed now
            holding.confirmed, changed = True, True
            holding.confirmed_by, holding.confirmed_at = acting_user(actor), timezone.now()
        values = (order[item.role], item.share, item.since)
        if changed or (holding.order, holding.share, holding.since) != values:
            holding.order, holding.share, holding.since = values
            history_user(holding, actor)
            holding.full_clean()
            holding.save()
    return pending


def refresh_after_holdings(patent_id: int) -> None:
    """What a patent shows of its holders, again after its holdings changed
    (denormalised region and kinds, the search document)."""
    patent = Patent.all_objects.get(pk=patent_id)
    _refresh_holder_fields(patent)
    _write_search_document(patent)


@transaction.atomic
def patent_create(*, actor: Actor, data: PatentInput, batch: uuid.UUID | None = None) -> Patent:
    cleaned = clean_patent_values(data.values)
    with import_batch(batch or current_import_batch()):  # inside an import: its batch
        patent = Patent(**cleaned)
        patent.import_batch = batch
        stamp(patent, actor, created=True)
        apply_computed(patent)
        patent.full_clean()
        patent.save()
        if data.holdings:
            coholders.tell_named(_set_holdings(patent, data.holdings, actor), actor=actor)
        _refresh_holder_fields(patent)
        _write_search_document(patent)
    return patent


@transaction.atomic
def patent_update(
    *,
    actor: Actor,
    patent: Patent,
    data: PatentInput,
    expected_version: int | None,
    batch: uuid.UUID | None = None,
    restore: bool = False,
) -> Patent:
    """Change a patent; ``restore`` also brings back a soft-deleted one (an import of it)."""
    manager = Patent.all_objects if restore else Patent.objects
    current = locked(manager.all(), patent.pk, expected_version)
    cleaned = clean_patent_values(data.values, current=current)
    with import_batch(batch or current_import_batch()):  # inside an import: its batch
        for key, value in cleaned.items():
            setattr(current, key, value)
        current.deleted_at = None
        if batch is not None:
            current.import_batch = batch
        stamp(current, actor)
        apply_computed(current)
        current.full_clean()
        current.save()
        if data.holdings is not None:
            coholders.tell_named(_set_holdings(current, data.holdings, actor), actor=actor)
        _refresh_holder_fields(current)
        _write_search_document(current)
    return current


@transaction.atomic
def patent_delete(*, actor: Actor, patent: Patent, expected_version: int | None) -> None:
    """Soft delete: the record leaves every list but stays, with its history."""
    current = locked(Patent.objects.all(), patent.pk, expected_version)
    current.deleted_at = timezone.now()
    stamp(current, actor)
    current.save(update_fields=["deleted_at", "version", "updated_by", "updated_at"])


@transaction.atomic
def patents_set_legal_status(*, actor: Actor, patents: Iterable[Patent], legal_status: str) -> int:
    """Set the legal status of many patents (an admin bulk action), with every patent's
    rules and a history entry each; if one cannot take it, none changes."""
    count = 0
    errors: dict[str, Any] = {}
    for patent in patents:
        if patent.legal_status == legal_status:
            continue
        try:
            patent_update(
                actor=actor,
                patent=patent,
                data=PatentInput(values={"legal_status": legal_status}),
                expected_version=None,
            )
        except ValidationError as exc:
            errors[str(patent)] = exc.messages
            continue
        count += 1
    if errors:
        raise ValidationError([f"{name}: {' '.join(m)}" for name, m in errors.items()])
    return count
