"""Jobs of the demand side (schedule and retry policy: ``conversion_db.jobs``).

- ``expire_demands`` (daily): demands past their deadline expire;
- ``send_reminders`` (daily): holders of unanswered inquiries, both parties of deals whose
  recordation is due;
- ``send_alerts`` (daily): fixes the watermarks and defers one ``send_alert`` job per
  saved search with alerts on, so that one failing search is retried and reported on its
  own while the others go out;
- ``rematch_offer``: deferred once an offer's publication commits (``apps.py``), scores
  its patents against the live demands outside the operator's request.

The management commands of the same names run the same services by hand.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.types import JSONDict

from conversion_db import jobs
from enterprises.selectors import current_watermarks
from enterprises.services.alerts import alert_saved_search, enabled_saved_search_ids
from enterprises.services.deals import DEAL_REMINDER_DAYS, send_deal_reminders
from enterprises.services.demands import demands_expire
from enterprises.services.inquiries import INQUIRY_REMINDER_DAYS, send_inquiry_reminders
from enterprises.services.matches import rematch_for_offer
from patents.models import LicensingOffer, OfferStatus

ALERT_CHUNK = 1000


@app.periodic(cron=jobs.cron("enterprises.expire_demands"))
@app.task(
    name="enterprises.expire_demands",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def expire_demands(timestamp: int) -> int:
    return await jobs.run_sync(demands_expire)


def send_reminders_now() -> tuple[int, int]:
    """Both reminders, as ``manage.py send_reminders`` sends them by default."""
    now = timezone.now()
    inquiries = send_inquiry_reminders(
        now=now, after=datetime.timedelta(days=INQUIRY_REMINDER_DAYS)
    )
    deals = send_deal_reminders(now=now, within=datetime.timedelta(days=DEAL_REMINDER_DAYS))
    return inquiries, deals


@app.periodic(cron=jobs.cron("enterprises.send_reminders"))
@app.task(
    name="enterprises.send_reminders",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def send_reminders(timestamp: int) -> list[int]:
    return list(await jobs.run_sync(send_reminders_now))


@app.periodic(cron=jobs.cron("enterprises.send_alerts"))
@app.task(
    name="enterprises.send_alerts",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def send_alerts(timestamp: int) -> int:
    """Defer one ``send_alert`` job per saved search with alerts on; returns how many."""
    until_id, until = await jobs.run_sync(current_watermarks)
    chunks = await jobs.run_sync(lambda: list(enabled_saved_search_ids(ALERT_CHUNK)))
    deferred = 0
    for chunk in chunks:
        arguments: list[JSONDict] = [
            {"saved_search_id": pk, "until_id": until_id, "until": until.isoformat()}
            for pk in chunk
        ]
        await send_alert.batch_defer_async(*arguments)
        deferred += len(chunk)
    return deferred


@app.task(
    name="enterprises.send_alert",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_BATCH,
    queue=jobs.QUEUE,
)
async def send_alert(saved_search_id: int, until_id: int, until: str) -> int:
    """Alert one saved search (``enterprises.services.alerts``); returns its new results."""
    outcome = await jobs.run_sync(
        alert_saved_search,
        saved_search_id=saved_search_id,
        until_id=until_id,
        until=datetime.datetime.fromisoformat(until),
    )
    return outcome.results


@app.task(
    name="enterprises.rematch_offer",
    retry=jobs.RETRY,
    priority=jobs.PRIORITY_WAITED_FOR,
    queue=jobs.QUEUE,
)
async def rematch_offer(offer_id: int) -> int:
    """Score a newly published offer's patents against the live demands; returns how many
    demands were looked at (none when the offer is gone or no longer published)."""
    return await jobs.run_sync(_rematch, offer_id)


def _rematch(offer_id: int) -> int:
    offer = LicensingOffer.objects.filter(pk=offer_id, status=OfferStatus.PUBLISHED).first()
    return rematch_for_offer(offer) if offer is not None else 0
