"""``{% operator_dashboard %}``: the dashboard at the top of the admin index
(``indicators.dashboard``)."""

from __future__ import annotations

from typing import Any

from django import template

from indicators.dashboard import recent_imports, targets_progress, work_waiting

register = template.Library()


@register.inclusion_tag("indicators/dashboard.html", takes_context=True)
def operator_dashboard(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    if not request.user.is_staff:
        return {"shown": False}
    board = targets_progress()
    return {
        "shown": True,
        "queues": work_waiting(),
        "targets": board.rows,
        "snapshot": board.snapshot,
        "imports": recent_imports(),
        "csrf_token": context.get("csrf_token"),
    }
