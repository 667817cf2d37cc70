"""Background exports and imports (``patents.filejobs``), read-only for operators: who asked,
what, its status, counts and error. The job queue's own view of the same work (attempts,
events, retry) is *Background jobs* (``conversion_db.admin``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from patents.models import FileJob


@admin.register(FileJob)
class FileJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "target",
        "requester",
        "status",
        "rows_done",
        "rows_total",
        "created_at",
        "finished_at",
        "expires_at",
    )
    list_filter = ("status", "kind", "target")
    list_select_related = ("requester",)
    search_fields = ("=id", "requester__username", "requester__email")
    show_full_result_count = False
    ordering = ("-id",)
    readonly_fields = tuple(field.name for field in FileJob._meta.fields)
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
