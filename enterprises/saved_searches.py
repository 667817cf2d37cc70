"""Saved searches: writes, the query check, and what newly matches (for the API and
``send_alerts``).

A saved search stores the query string of ``/api/v1/patents/`` or ``/api/v1/offers/`` as
``{parameter: [values]}``. It is checked by the list's own FilterSet, and re-run through
that FilterSet, so what it finds is what the list shows for the same parameters.

"New" is measured from watermarks set when the search is saved and advanced by each alert
run: for patents the highest patent id already seen (``last_alerted_id``), for offers the
publication time already seen (``last_alerted_at``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Max, QuerySet, Value
from django.db.models.functions import Greatest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conversion_db.services import Actor, acting_user, check_version, history_user, stamp
from enterprises.models import Enterprise, SavedSearch
from patents.licensing.filtersets import OFFER_ORDERINGS
from patents.licensing.selectors import offers_visible_to
from patents.models import LicensingOffer, Patent
from patents.register.filtersets import PATENT_ORDERINGS
from patents.register.selectors import patent_list_for_api
from patents.search.ranking import Orderings

MAX_PARAMETERS = 30
MAX_VALUES = 50
MAX_VALUE_LENGTH = 500
MAX_RESULTS = 100
SAVED_SEARCH_FIELDS = ("name", "target", "query", "alerts_enabled")

ORDERINGS: dict[str, Orderings] = {
    SavedSearch.Target.PATENTS: PATENT_ORDERINGS,
    SavedSearch.Target.OFFERS: OFFER_ORDERINGS,
}


def accepted_parameters(target: str) -> list[str]:
    """The query parameters the target list accepts (its filters, including q and ordering)."""
    return sorted(set(ORDERINGS[target].filterset.base_filters) | {"q", "ordering"})


def _query_error(param: str, message: Any, code: str) -> ValidationError:
    return ValidationError({f"query.{param}": ValidationError(message, code=code)})


def _values(param: str, raw: Any) -> list[str]:
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _query_error(
            param, _("Give a parameter's values as a string or a list of strings."), "invalid"
        )
    if len(values) > MAX_VALUES:
        raise _query_error(
            param, _("At most %(limit)d values per parameter.") % {"limit": MAX_VALUES}, "too_many"
        )
    if any(len(v) > MAX_VALUE_LENGTH for v in values):
        raise _query_error(
            param,
            _("A value is at most %(limit)d characters long.") % {"limit": MAX_VALUE_LENGTH},
            "too_long",
        )
    return values


def _as_query_dict(query: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for param, values in query.items():
        data.setlist(param, values)
    return data


def _ordering(target: str, params: QueryDict) -> list[str]:
    return ORDERINGS[target].keyset(params)


def clean_query(target: str, query: Any) -> dict[str, list[str]]:
    """``query`` as ``{parameter: [values]}``, checked by the target list's FilterSet; a bad
    parameter or value is an error under ``query.<parameter>`` with the list's message."""
    if not isinstance(query, dict):
        raise ValidationError(
            {
                "query": ValidationError(
                    _("Give the parameters as an object of name to values."), code="invalid"
                )
            }
        )
    if len(query) > MAX_PARAMETERS:
        raise ValidationError(
            {
                "query": ValidationError(
                    _("At most %(limit)d parameters.") % {"limit": MAX_PARAMETERS},
                    code="too_many",
                )
            }
        )
    accepted = accepted_parameters(target)
    cleaned: dict[str, list[str]] = {}
    for param, raw in query.items():
        if param not in accepted:
            raise _query_error(
                str(param),
                _("The %(target)s list has no parameter %(param)s; it accepts: %(accepted)s.")
                % {"target": target, "param": param, "accepted": ", ".join(accepted)},
                "unknown_parameter",
            )
        values = [v for v in _values(param, raw) if v.strip()]
        if values:
            cleaned[param] = values
    data = _as_query_dict(cleaned)
    filterset = ORDERINGS[target].filterset(data=data, queryset=_model(target).objects.none())
    if not filterset.is_valid():
        raise ValidationError(
            {f"query.{param}": errors for param, errors in filterset.form.errors.as_data().items()}
        )
    try:
        if data.get("ordering") == "relevance" and not data.get("q"):
            raise ValidationError(
                {
                    "ordering": ValidationError(
                        _("Ordering by relevance needs a search text (q)."), code="invalid"
                    )
                }
            )
        filterset.filter_queryset(filterset.queryset)  # method filters check their input too
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {f"query.{param}": errors for param, errors in exc.error_dict.items()}
        ) from None
    return cleaned


def _model(target: str) -> type[Patent] | type[LicensingOffer]:
    return Patent if target == SavedSearch.Target.PATENTS else LicensingOffer


def current_watermarks() -> tuple[int, datetime.datetime]:
    """The newest patent id and the time: what counts as seen from now on."""
    newest = Patent.all_objects.aggregate(newest=Max("id"))["newest"] or 0
    return newest, timezone.now()


def _clean(values: dict[str, Any], *, target: str) -> dict[str, Any]:
    cleaned = {k: v for k, v in values.items() if k in SAVED_SEARCH_FIELDS}
    if "name" in cleaned:
        cleaned["name"] = " ".join(str(cleaned["name"] or "").split())
        if not cleaned["name"]:
            raise ValidationError(
                {"name": ValidationError(_("Give the search a name."), code="required")}
            )
    if "query" in cleaned:
        cleaned["query"] = clean_query(target, cleaned["query"])
    return cleaned


@transaction.atomic
def saved_search_create(
    *, actor: Actor, enterprise: Enterprise, values: dict[str, Any]
) -> SavedSearch:
    """Save a search for ``actor``; the first alert holds only what is new after now."""
    target = values.get("target")
    if target not in SavedSearch.Target.values:
        raise ValidationError(
            {"target": ValidationError(_("Choose patents or offers."), code="required")}
        )
    cleaned = _clean({"query": {}, **values}, target=target)
    if "name" not in cleaned:
        raise ValidationError(
            {"name": ValidationError(_("Give the search a name."), code="required")}
        )
    newest_id, now = current_watermarks()
    search = SavedSearch(
        enterprise=enterprise,
        user=acting_user(actor),
        last_alerted_id=newest_id,
        last_alerted_at=now,
        **cleaned,
    )
    history_user(search, actor)
    search.full_clean()
    search.save()
    return search


@transaction.atomic
def saved_search_update(
    *,
    actor: Actor,
    saved_search: SavedSearch,
    values: dict[str, Any],
    expected_version: int | None,
) -> SavedSearch:
    """Rename it, change its parameters or turn alerts on or off (the target stays)."""
    locked = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    check_version(locked, expected_version)
    if "target" in values and values["target"] != locked.target:
        raise ValidationError(
            {
                "target": ValidationError(
                    _("A saved search keeps its target; save a new one instead."),
                    code="immutable",
                )
            }
        )
    for key, value in _clean(values, target=locked.target).items():
        setattr(locked, key, value)
    stamp(locked, actor)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def saved_search_delete(
    *, actor: Actor, saved_search: SavedSearch, expected_version: int | None = None
) -> None:
    """Delete it (a user's own preference; its history keeps the record)."""
    locked = SavedSearch.objects.select_for_update().get(pk=saved_search.pk)
    check_version(locked, expected_version)
    history_user(locked, actor)
    locked.delete()


# --- Reads ------------------------------------------------------------------------------
@dataclass(frozen=True)
class NewResults:
    """What newly matches a saved search, in the list's order, at most ``limit`` of it."""

    rows: list[Any]
    truncated: bool


def saved_search_new_results(
    saved_search: SavedSearch,
    limit: int = 20,
    *,
    until_id: int | None = None,
    until: datetime.datetime | None = None,
) -> NewResults:
    """Patents registered (id above the watermark) or offers published (after the watermark)
    since the last alert that the list would show for the saved parameters.

    ``until_id``/``until`` cap what counts as new (an alert run fixes them when it starts,
    so that what arrives during the run is left for the next one). One query for patents
    plus their holders; one for offers plus their patents."""
    limit = max(1, min(limit, MAX_RESULTS))
    target = saved_search.target
    params = _as_query_dict(saved_search.query or {})
    queryset: QuerySet[Any]
    if target == SavedSearch.Target.PATENTS:
        queryset = patent_list_for_api().filter(id__gt=saved_search.last_alerted_id)
        if until_id is not None:
            queryset = queryset.filter(id__lte=until_id)
    else:
        queryset = offers_visible_to(AnonymousUser())
        if saved_search.last_alerted_at is not None:
            queryset = queryset.filter(published_at__gt=saved_search.last_alerted_at)
        if until is not None:
            queryset = queryset.filter(published_at__lte=until)
    filterset = ORDERINGS[target].filterset_for(params)(data=params, queryset=queryset)
    if not filterset.is_valid():  # the parameters were valid when saved; no longer
        return NewResults(rows=[], truncated=False)
    queryset = filterset.filter_queryset(queryset)
    rows = list(queryset.order_by(*_ordering(target, params))[: limit + 1])
    return NewResults(rows=rows[:limit], truncated=len(rows) > limit)


def patent_number(patent: Patent) -> str:
    return patent.application_number or patent.grant_number or patent.publication_number or ""


def result_item(target: str, row: Any) -> dict[str, Any]:
    """One new result as the API and the alert e-mail show it: title, numbers, API path."""
    if target == SavedSearch.Target.PATENTS:
        numbers = [patent_number(row)]
        path = reverse("patent-detail", args=[row.pk])
    else:
        numbers = [patent_number(item.patent) for item in getattr(row, "ordered_items", [])]
        path = reverse("offer-detail", args=[row.pk])
    return {
        "id": row.pk,
        "title": row.title,
        "title_en": row.title_en,
        "numbers": [n for n in numbers if n],
        "path": path,
    }


# --- Alerts -----------------------------------------------------------------------------
MAX_ALERT_RESULTS = 50
ALERT_LANGUAGES = ("zh-hans", "en")


@dataclass
class AlertReport:
    checked: int = 0
    mailed: int = 0
    results: int = 0
    without_email: int = 0


def _languages(user: Any) -> tuple[str, ...]:
    """The user's language when the account records one; otherwise Chinese and English."""
    language = getattr(user, "language", "")
    return (language,) if language in ALERT_LANGUAGES else ALERT_LANGUAGES


def alert_message(search: SavedSearch, found: NewResults) -> EmailMessage:
    items = [result_item(search.target, row) for row in found.rows]
    subjects, parts = [], []
    for language in _languages(search.user):
        with translation.override(language):
            subjects.append(
                gettext("Saved search “%(name)s”: %(count)d new results")
                % {"name": search.name, "count": len(items)}
            )
            lines = [
                gettext("New results for your saved search “%(name)s”:") % {"name": search.name},
                "",
            ]
            for item in items:
                title = item["title"] or item["title_en"]
                if language == "en" and item["title_en"]:
                    title = item["title_en"]
                lines.append(f"- {title} ({', '.join(item['numbers'])}) {item['path']}")
            if found.truncated:
                lines += ["", gettext("There are more; open the search to see them all.")]
            lines += [
                "",
                gettext("To stop these e-mails, turn alerts off for this saved search (%(path)s).")
                % {"path": reverse("saved-search-detail", args=[search.pk])},
            ]
            parts.append("\n".join(lines))
    return EmailMessage(
        " / ".join(subjects),
        "\n\n----\n\n".join(parts),
        settings.DEFAULT_FROM_EMAIL,
        [search.user.email],
    )


def send_alerts(
    *, dry_run: bool = False, chunk_size: int = 200, limit: int = MAX_ALERT_RESULTS
) -> AlertReport:
    """E-mail each saved search with alerts on what newly matches it, then advance its
    watermarks (also when nothing matched, so the next run looks at less). A second run
    finds nothing new. What arrives during the run waits for the next run.

    Saved searches are read in chunks by id; each costs its one results query (two for
    offers); the mails and the watermarks go out once per chunk."""
    until_id, until = current_watermarks()
    report = AlertReport()
    after = 0
    enabled = SavedSearch.objects.filter(alerts_enabled=True).select_related("user").order_by("id")
    while chunk := list(enabled.filter(id__gt=after)[:chunk_size]):
        after = chunk[-1].pk
        messages = []
        for search in chunk:
            report.checked += 1
            found = saved_search_new_results(search, limit, until_id=until_id, until=until)
            if not found.rows:
                continue
            report.results += len(found.rows)
            if not search.user.email:
                report.without_email += 1
                continue
            messages.append(alert_message(search, found))
        report.mailed += len(messages)
        if dry_run:
            continue
        if messages:
            get_connection().send_messages(messages)
        SavedSearch.objects.filter(pk__in=[s.pk for s in chunk]).update(
            last_alerted_id=Greatest(F("last_alerted_id"), Value(until_id)),
            last_alerted_at=Greatest(F("last_alerted_at"), Value(until)),
        )
    return report
