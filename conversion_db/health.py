"""``/healthz``: 200 when the database answers, 503 with a JSON reason when it does not."""

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # a health check must answer, whatever broke underneath
        logger.warning("health check failed: %s", exc)
        connection.close_if_unusable_or_obsolete()
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable", "reason": reason},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})
