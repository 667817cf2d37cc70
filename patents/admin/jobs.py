"""Background exports and imports (``patents.filejobs``), read-only for operators: who asked,
what, its status, counts and error. The job queue's own view of the same work (attempts,
events, retry) is *Background jobs* (``conversion_db.admin``)."""

from __future__ import annotations

from django.contrib import admin

from conversion_db.admin import ViewOnlyAdmin
from patents.models import FileJob


@admin.register(FileJob)
class FileJobAdmin(ViewOnlyAdmin, admin.ModelAdmin):
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
