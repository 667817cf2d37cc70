"""Reference figures for operators: resident populations, published figures and targets,
each with its source and reliability, and the history of every change. ``manage.py seed``
loads them (``indicators.seeding``); operators correct or add rows here. The snapshots the
dashboard reads are listed here too, and refreshed on request."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import PublishedFigure, ResidentPopulation, Snapshot, Target
from indicators.snapshots import snapshot_take


class ReferenceFigureAdmin(SimpleHistoryAdmin):
    # A source address typed without a scheme is read as https (Django 6's default).
    formfield_overrides: ClassVar[dict[type[models.Field], dict[str, Any]]] = {
        models.URLField: {"assume_scheme": "https"}
    }


@admin.register(ResidentPopulation)
class ResidentPopulationAdmin(ReferenceFigureAdmin):
    list_display = ["region", "year", "kind", "as_of", "population", "reliability"]
    list_filter = ["kind", "reliability"]
    list_select_related = ["region"]
    search_fields = ["region__code", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ReferenceFigureAdmin):
    list_display = [
        "region_name",
        "year",
        "name_as_published",
        "value_as_published",
        "unit_as_published",
        "indicator",
        "reliability",
    ]
    list_filter = ["indicator", "reliability", "year"]
    list_select_related = ["region"]
    search_fields = ["name_as_published", "region_name", "source_url"]
    autocomplete_fields = ["region"]


@admin.register(Target)
class TargetAdmin(ReferenceFigureAdmin):
    list_display = ["region", "indicator", "comparison", "value", "year", "deadline", "document"]
    list_filter = ["indicator"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """The indicators as computed at a time (``indicators.snapshots``), read-only; *Refresh*
    (on the dashboard, or the link here) computes a new one now."""

    list_display = ["taken_at", "trigger", "taken_by", "seconds", "value_count"]
    list_filter = ["trigger"]
    list_select_related = ["taken_by"]
    readonly_fields = ("taken_at", "trigger", "taken_by", "seconds", "value_count")
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Snapshot]:
        return super().get_queryset(request).annotate(value_total=Count("values"))

    @admin.display(description=_("values"))
    def value_count(self, snapshot: Snapshot) -> int:
        return getattr(snapshot, "value_total", 0)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        refresh = path(
            "refresh/",
            self.admin_site.admin_view(self.refresh_view),
            name="indicators_snapshot_refresh",
        )
        return [refresh, *super().get_urls()]

    def refresh_view(self, request: HttpRequest) -> HttpResponse:
        """POST: take a snapshot now, then back to the dashboard (or where ``next`` says)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("indicators.add_snapshot"):
            raise PermissionDenied
        snapshot = snapshot_take(trigger=Snapshot.Trigger.OPERATOR, actor=request.user)
        self.message_user(
            request,
            _("The indicators were computed again (%(seconds)s s).")
            % {"seconds": f"{snapshot.seconds:.1f}"},
            messages.SUCCESS,
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index")
        return HttpResponseRedirect(target)
