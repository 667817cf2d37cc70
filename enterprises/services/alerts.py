"""Saved-search alerts: tell each saved search's user what newly matches it, then advance
its watermarks.

One saved search is one unit of work (``alert_saved_search``): in its own transaction it
locks the search, reads what is new up to the run's watermarks (fixed when the run starts,
so what arrives during the run waits for the next one: ``enterprises.selectors``), tells
the user when there is something (``notifications.notify``: inbox and e-mail, in Chinese
and English, at most 50 results listed), and advances the watermarks, also when nothing
matched, so that the next run looks at less. A second run finds nothing new.

The schedule (``enterprises.tasks.send_alerts``) defers one job per saved search with
alerts on, so a search that fails is retried and reported on its own while the others
go on; ``manage.py send_alerts`` runs them all in one process (``send_alerts``), also
search by search, reporting the ones that failed.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conversion_db.i18n import lazy_format
from enterprises.models import SavedSearch
from enterprises.selectors import current_watermarks, result_item, saved_search_new_results
from notifications.kinds import Kind
from notifications.services import notify

logger = logging.getLogger(__name__)

MAX_ALERT_RESULTS = 50


@dataclass
class AlertOutcome:
    """What one saved search's alert found and did."""

    results: int = 0
    notified: bool = False
    without_email: bool = False


@dataclass
class AlertReport:
    checked: int = 0
    mailed: int = 0
    results: int = 0
    without_email: int = 0
    failed: list[int] = field(default_factory=list)


def _alert_text(saved_search_id: int, name: str, items: list[dict[str, Any]], more: bool) -> str:
    """The alert's text in the active language (English titles when English is active)."""
    english = (translation.get_language() or "").startswith("en")
    lines = [gettext("New results for your saved search “%(name)s”:") % {"name": name}, ""]
    for item in items:
        title = item["title_en"] if english and item["title_en"] else item["title"]
        lines.append(f"- {title or item['title_en']} ({', '.join(item['numbers'])}) {item['path']}")
    if more:
        lines += ["", gettext("There are more; open the search to see them all.")]
    stop = reverse("saved-search-detail", args=[saved_search_id])
    lines += [
        "",
        gettext("To stop these e-mails, turn alerts off for this saved search (%(path)s).")
        % {"path": stop},
    ]
    return "\n".join(lines)


_lazy_alert_text = lazy(_alert_text, str)


def enabled_saved_search_ids(chunk_size: int = 1000) -> Iterator[list[int]]:
    """The ids of saved searches with alerts on, a chunk at a time (index
    ``saved_search_alerts``)."""
    after = 0
    enabled = SavedSearch.objects.filter(alerts_enabled=True).order_by("id")
    while chunk := list(enabled.filter(id__gt=after).values_list("id", flat=True)[:chunk_size]):
        after = chunk[-1]
        yield chunk


def alert_saved_search(
    *,
    saved_search_id: int,
    until_id: int,
    until: datetime.datetime,
    limit: int = MAX_ALERT_RESULTS,
    dry_run: bool = False,
) -> AlertOutcome:
    """Alert one saved search of what is new up to ``until_id`` / ``until`` (see the module
    docstring); ``dry_run`` only counts. A search deleted or turned off meanwhile is
    skipped."""
    with transaction.atomic():
        enabled = SavedSearch.objects.filter(pk=saved_search_id, alerts_enabled=True)
        if not dry_run:
            enabled = enabled.select_for_update(of=("self",))
        search = enabled.select_related("user").first()
        if search is None:
            return AlertOutcome()
        found = saved_search_new_results(search, limit, until_id=until_id, until=until)
        outcome = AlertOutcome(
            results=len(found.rows),
            notified=bool(found.rows),
            without_email=bool(found.rows) and not search.user.email,
        )
        if dry_run:
            return outcome
        if found.rows:
            items = [result_item(search.target, row) for row in found.rows]
            notify(
                actor=None,
                kind=Kind.SAVED_SEARCH_ALERT,
                recipients=[search.user],
                about=search,
                link=reverse("saved-search-results", args=[search.pk]),
                title=lazy_format(
                    _("Saved search “%(name)s”: %(count)d new results"),
                    name=search.name,
                    count=len(items),
                ),
                body=_lazy_alert_text(search.pk, search.name, items, found.truncated),
            )
        SavedSearch.objects.filter(pk=search.pk).update(
            last_alerted_id=Greatest(F("last_alerted_id"), Value(until_id)),
            last_alerted_at=Greatest(F("last_alerted_at"), Value(until)),
        )
        return outcome


def send_alerts(*, dry_run: bool = False, limit: int = MAX_ALERT_RESULTS) -> AlertReport:
    """Alert every saved search with alerts on, one after the other in this process
    (``manage.py send_alerts``); a search that fails is logged and reported, the others
    go on."""
    until_id, until = current_watermarks()
    report = AlertReport()
    for chunk in enabled_saved_search_ids(chunk_size=200):
        for saved_search_id in chunk:
            report.checked += 1
            try:
                outcome = alert_saved_search(
                    saved_search_id=saved_search_id,
                    until_id=until_id,
                    until=until,
                    limit=limit,
                    dry_run=dry_run,
                )
            except Exception:  # one search's failure must not stop the others' alerts
                logger.exception("saved search %s: the alert failed", saved_search_id)
                report.failed.append(saved_search_id)
                continue
            report.results += outcome.results
            report.without_email += outcome.without_email
            report.mailed += outcome.notified and not outcome.without_email
    return report
