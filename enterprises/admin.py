"""Admin of the demand side."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from enterprises.models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(SimpleHistoryAdmin):
    """Users' saved searches, read-only: a user's own preference, changed through the API;
    operators see them, their alert progress and their history."""

    list_display = ["name", "user", "enterprise", "target", "alerts_enabled", "last_alerted_at"]
    list_filter = ["target", "alerts_enabled"]
    list_select_related = ["user", "enterprise"]
    search_fields = ["name", "user__username", "user__email"]
    show_full_result_count = False
    readonly_fields = [
        "enterprise",
        "user",
        "name",
        "target",
        "query",
        "alerts_enabled",
        "last_alerted_id",
        "last_alerted_at",
        "created_at",
        "updated_at",
        "version",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
