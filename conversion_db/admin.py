"""Background jobs in the admin, for operators: every job of the queue with its status,
attempts and events, in Chinese or English; failed jobs can be run again.

This replaces procrastinate's own job admin (English only, labels not translatable) with
the same read-only view of the same table through the proxy model ``conversion_db.Job``,
so it is listed in the admin index as *Background jobs* / *后台任务*. What the jobs are,
their schedule and their retry policy: ``conversion_db.jobs``.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from procrastinate import utils
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob

from conversion_db.estimates import EstimatedCountPaginator
from conversion_db.models import ImportRun, Job

admin.site.unregister(ProcrastinateJob)


class ViewOnlyAdmin:
    """An admin whose records are read, never added, edited or deleted there: logs, jobs,
    reference schemes, records the services write. Put it first among the bases."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


STATUSES = {
    "todo": _("waiting"),
    "doing": _("running"),
    "succeeded": _("succeeded"),
    "failed": _("failed"),
    "cancelled": _("cancelled"),
    "aborted": _("aborted"),
}
EVENTS = {
    "deferred": _("deferred"),
    "started": _("started"),
    "deferred_for_retry": _("to be retried"),
    "failed": _("failed"),
    "succeeded": _("succeeded"),
    "cancelled": _("cancelled"),
    "abort_requested": _("abort requested"),
    "aborted": _("aborted"),
    "scheduled": _("scheduled"),
}
TASKS = {
    "patents.expire_offers": _("expire offers"),
    "enterprises.expire_demands": _("expire demands"),
    "enterprises.send_alerts": _("saved-search alerts (all)"),
    "enterprises.send_alert": _("saved-search alert (one search)"),
    "enterprises.send_reminders": _("reminders"),
    "enterprises.rematch_offer": _("re-match a published offer"),
    "notifications.send_mail": _("send a notification's e-mail again"),
    "notifications.send_unsent_mail": _("send e-mails left unsent"),
    "conversion_db.remove_old_jobs": _("remove old jobs"),
    "conversion_db.expire_idempotency_keys": _("expire idempotency keys"),
    "patents.run_file_job": _("background export or import"),
    "patents.expire_job_files": _("delete expired export files"),
}


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(STATUSES.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[Job]) -> QuerySet[Job]:
        return queryset.filter(status=self.value()) if self.value() else queryset


class TaskFilter(admin.SimpleListFilter):
    title = _("task")
    parameter_name = "task"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(name, f"{label} ({name})") for name, label in TASKS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Job]) -> QuerySet[Job]:
        return queryset.filter(task_name=self.value()) if self.value() else queryset


@admin.register(Job)
class JobAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    list_display = [
        "id",
        "task",
        "status_label",
        "attempts",
        "scheduled",
        "last_event",
        "arguments",
    ]
    list_filter = [StatusFilter, TaskFilter]
    readonly_fields = (
        "id",
        "task",
        "status_label",
        "queue_name",
        "priority",
        "attempts",
        "scheduled",
        "lock",
        "queueing_lock",
        "arguments",
        "events",
    )
    fields = readonly_fields
    actions = ["retry", "cancel"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Job]:
        events = ProcrastinateEvent.objects.order_by("-at", "-id")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("procrastinateevent_set", queryset=events))
        )

    @admin.display(description=_("task"), ordering="task_name")
    def task(self, job: Job) -> str:
        label = TASKS.get(job.task_name)
        return f"{label} ({job.task_name})" if label else job.task_name

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, job: Job) -> str:
        return str(STATUSES.get(job.status, job.status))

    @admin.display(description=_("scheduled for"), ordering="scheduled_at")
    def scheduled(self, job: Job) -> Any:
        if job.scheduled_at is None:
            return "-"
        return timezone.localtime(job.scheduled_at).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("arguments"))
    def arguments(self, job: Job) -> str:
        text = json.dumps(job.args, ensure_ascii=False)
        return format_html("<code>{}</code>", text if len(text) <= 300 else text[:300] + "…")

    @admin.display(description=_("last event"))
    def last_event(self, job: Job) -> str:
        events = list(job.procrastinateevent_set.all())
        if not events:
            return "-"
        return self._event(events[0])

    @admin.display(description=_("events"))
    def events(self, job: Job) -> str:
        rows = [(self._event(event),) for event in job.procrastinateevent_set.all()]
        return format_html_join("", "<div>{}</div>", rows) or "-"

    @staticmethod
    def _event(event: ProcrastinateEvent) -> str:
        when = timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S") if event.at else ""
        return f"{EVENTS.get(event.type, event.type)} {when}".strip()

    @admin.action(description=_("Retry the selected failed jobs"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        retried = 0
        for job in queryset.filter(status__in=("failed", "doing")):
            app.job_manager.retry_job_by_id(
                job.id, utils.utcnow(), job.priority, job.queue_name, job.lock
            )
            retried += 1
        self.message_user(
            request,
            gettext("Jobs that will run again: %(count)d.") % {"count": retried},
            messages.SUCCESS if retried else messages.WARNING,
        )

    @admin.action(description=_("Cancel the selected waiting jobs"))
    def cancel(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        cancelled = 0
        for job in queryset.filter(status="todo"):
            cancelled += bool(app.job_manager.cancel_job_by_id(job.id, abort=False))
        self.message_user(
            request,
            gettext("Jobs cancelled: %(count)d.") % {"count": cancelled},
            messages.SUCCESS if cancelled else messages.WARNING,
        )


@admin.register(ImportRun)
class ImportRunAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Every import that was not a dry run, read-only: counts, or the first errors with
    their row and column; the batch id finds what it wrote in each record's history."""

    list_display = ["finished_at", "kind", "actor", "written", "rows", "counted", "error_count"]
    list_filter = ["kind", "written"]
    list_select_related = ["actor"]
    search_fields = ["=batch", "source"]
    readonly_fields = (
        "batch",
        "kind",
        "source",
        "actor",
        "finished_at",
        "written",
        "rows",
        "counted",
        "error_count",
        "error_list",
    )
    fields = readonly_fields
    list_per_page = 50

    @admin.display(description=_("counts"))
    def counted(self, run: ImportRun) -> str:
        return import_counts(run)

    @admin.display(description=_("first errors"))
    def error_list(self, run: ImportRun) -> str:
        if not run.errors:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((import_error(e),) for e in run.errors)),
        )


def import_counts(run: ImportRun) -> str:
    """ "created 2, updated 0, unchanged 1", in the admin's language."""
    labels = {
        "created": pgettext("import count", "created"),
        "updated": pgettext("import count", "updated"),
        "unchanged": pgettext("import count", "unchanged"),
        "holders_created": pgettext("import count", "new holders"),
    }
    return ", ".join(
        f"{labels.get(name, name)} {count}" for name, count in (run.counts or {}).items()
    )


def import_error(error: dict[str, Any]) -> str:
    """ "Row 3, column filing_date: message" (the row and column when the error has them)."""
    where = []
    if error.get("row") is not None:
        where.append(gettext("row %(row)s") % {"row": error["row"]})
    if error.get("column"):
        where.append(gettext("column %(column)s") % {"column": error["column"]})
    prefix = ", ".join(where)
    return f"{prefix}: {error['message']}" if prefix else str(error["message"])
