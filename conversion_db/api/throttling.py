"""Throttles whose rates are read from settings on every request.

DRF's own classes copy ``DEFAULT_THROTTLE_RATES`` into a class attribute at import time,
so a changed setting (an override in a test, a reload) would be ignored. These read the
current value. Rates come from ``THROTTLE_ANON_RATE`` and ``THROTTLE_USER_RATE``, and for
anonymous exports (a file of up to ``EXPORT_SYNC_MAX_ROWS`` records each, far dearer than a
page) from ``THROTTLE_ANON_EXPORT_RATE``, counted apart: ``AnonymousExportThrottle`` is
added to the default ones by the export actions (``patents.api.bulk_views``).
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _CurrentRateMixin:
    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(getattr(self, "scope", ""))
        return str(rate) if rate is not None else None


class AnonymousRateThrottle(_CurrentRateMixin, throttling.AnonRateThrottle):
    """Requests without a signed-in user, counted per client IP address."""


class UserRateThrottle(_CurrentRateMixin, throttling.UserRateThrottle):
    """Requests of a signed-in user, counted per user."""


class AnonymousExportThrottle(AnonymousRateThrottle):
    """Exports without a signed-in user, per client IP address, on their own (stricter) rate."""

    scope = "anon_export"
