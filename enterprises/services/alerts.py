"""Saved-search alerts (``manage.py send_alerts``): e-mail each saved search's user what
newly matches it, then advance its watermarks.

What is new is read by ``enterprises.selectors.saved_search_new_results``; a message is in
the user's language when the account records one, otherwise in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from enterprises.models import SavedSearch
from enterprises.selectors import (
    NewResults,
    current_watermarks,
    result_item,
    saved_search_new_results,
)

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
