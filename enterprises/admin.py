"""Admin of the demand side: enterprises (verify, size class with its rule), demands, matches
with explanations, inquiries with response times, deals with recordation deadlines.

Edits go through ``enterprises.services`` so the admin applies the API's rules; import and
export of enterprises use the same services (upsert on the credit code, all or nothing).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.results import Result, RowResult
from tablib import Dataset

from conversion_db.admin import ViewOnlyAdmin
from conversion_db.estimates import EstimatedCountPaginator
from conversion_db.history import HistoryAdmin
from conversion_db.services import StaleVersion, check_version
from conversion_db.tabular.report import ImportReport
from enterprises.models import (
    Deal,
    Designation,
    Enterprise,
    EnterpriseMembership,
    Inquiry,
    Match,
    SavedSearch,
    SizeStandard,
    TechnologyDemand,
)
from enterprises.selectors import deals_unrecorded, inquiries_unanswered
from enterprises.services.demands import demand_close
from enterprises.services.enterprises import (
    ENTERPRISE_FIELDS,
    check_unique_uscc,
    clean_enterprise_values,
    enterprise_create,
    enterprise_update,
    enterprises_verify,
)
from enterprises.services.inquiries import INQUIRY_REMINDER_DAYS
from patents.register.uscc import UsccError, normalise_uscc


class WaitingFilter(admin.SimpleListFilter):
    """Inquiries still unanswered after the reminder delay (the dashboard's queue)."""

    title = _("waiting")
    parameter_name = "waiting"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            (
                "overdue",
                _("unanswered for %(days)d days or more") % {"days": INQUIRY_REMINDER_DAYS},
            )
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() != "overdue":
            return queryset
        late = inquiries_unanswered(
            now=timezone.now(), after=datetime.timedelta(days=INQUIRY_REMINDER_DAYS)
        )
        return queryset.filter(pk__in=late.values("pk"))


class RecordationFilter(admin.SimpleListFilter):
    """Deals whose licence is not recorded: all of them, or those past the deadline."""

    title = _("recordation")
    parameter_name = "recordation"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("unrecorded", _("not recorded")), ("overdue", _("past the deadline"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() not in ("unrecorded", "overdue"):
            return queryset
        on = timezone.localdate() if self.value() == "overdue" else None
        return queryset.filter(pk__in=deals_unrecorded(past_due_on=on).values("pk"))


class ReadOnlyAdmin(HistoryAdmin):
    """Records written by the API's services (history per record), curated by actions."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # the changelist and its actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SizeStandard)
class SizeStandardAdmin(admin.ModelAdmin):
    """The SME size thresholds, versioned: a revised standard is a new row (valid_from)."""

    list_display = ["industry_group", "valid_from", "first_indicator", "second_indicator", "source"]
    list_filter = ["industry_group"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # rows in force stay as they were; add a new version instead

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


ENTERPRISE_ADMIN_FIELDS = [*ENTERPRISE_FIELDS, "version"]


class EnterpriseAdminForm(forms.ModelForm):
    """Runs the service's rules in the form, so they show next to each field."""

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_ADMIN_FIELDS
        widgets = {"version": forms.HiddenInput}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk:
            try:
                check_version(Enterprise.all_objects.get(pk=self.instance.pk), data.get("version"))
            except StaleVersion as exc:
                raise ValidationError(exc.message, code="stale_version") from None
        values = {name: data.get(name) for name in ENTERPRISE_FIELDS if name in data}
        region = values.get("region")
        if region is not None:
            values["region"] = region.code
        try:
            cleaned = clean_enterprise_values(values)
            if cleaned.get("uscc"):
                check_unique_uscc(cleaned["uscc"], exclude_pk=self.instance.pk)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


class DesignationInline(admin.TabularInline):
    model = Designation
    extra = 0
    fields = ["kind", "authority", "year", "valid_until", "registration_number", "source_url"]


class EnterpriseResource(resources.ModelResource):
    """Import and export of enterprises through ``enterprises.services``: upsert on the
    credit code, every row validated, all or nothing, errors by row and column."""

    COLUMNS = ("uscc", *[c for c in ENTERPRISE_FIELDS if c != "uscc"])

    class Meta:
        model = Enterprise
        fields: tuple[str, ...] = ()

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return list(self.COLUMNS)

    def get_user_visible_fields(self) -> list[Any]:
        return []

    def export(self, queryset: Any = None, **kwargs: Any) -> Dataset:
        dataset = Dataset(headers=list(self.COLUMNS))
        rows = queryset if queryset is not None else Enterprise.objects.all()
        for enterprise in rows.order_by("id").iterator(chunk_size=1000):
            dataset.append(
                [
                    "" if getattr(enterprise, f"{c}_id" if c == "region" else c) is None
                    else str(getattr(enterprise, f"{c}_id" if c == "region" else c))
                    for c in self.COLUMNS
                ]
            )  # fmt: skip
        return dataset

    def import_data(self, dataset: Dataset, dry_run: bool = False, **kwargs: Any) -> Result:
        result = Result()
        result.diff_headers = list(dataset.headers or [])
        result.total_rows = len(dataset)
        unknown = set(result.diff_headers) - set(self.COLUMNS)
        errors: dict[int, dict[str, list[str]]] = {}
        if unknown:
            errors[1] = {
                NON_FIELD_ERRORS: [_("Unknown columns: %(c)s") % {"c": ", ".join(sorted(unknown))}]
            }
        created = updated = 0
        user = kwargs.get("user")
        with transaction.atomic():
            for index, raw in enumerate(dataset.dict if not unknown else [], start=2):
                values = {k: (v if v not in ("", None) else None) for k, v in raw.items()}
                for text in (
                    "name_en",
                    "address",
                    "industry_code",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                ):
                    if text in values and values[text] is None:
                        values[text] = ""
                try:
                    try:
                        uscc = normalise_uscc(str(values.get("uscc") or ""))
                    except UsccError:
                        uscc = None
                    existing = Enterprise.objects.filter(uscc=uscc).first() if uscc else None
                    with transaction.atomic():
                        if existing is None:
                            enterprise_create(actor=user, values=values)
                            created += 1
                        else:
                            enterprise_update(
                                actor=user,
                                enterprise=existing,
                                values=values,
                                expected_version=None,
                            )
                            updated += 1
                except ValidationError as exc:
                    for field, messages_ in exc.message_dict.items():
                        errors.setdefault(index, {}).setdefault(field, []).extend(messages_)
            if dry_run or errors:
                transaction.set_rollback(True)
        result.totals[RowResult.IMPORT_TYPE_NEW] = created
        result.totals[RowResult.IMPORT_TYPE_UPDATE] = updated
        # the report the Import screen shows (admin/tabular/import.html): counts, errors
        report = ImportReport(batch=uuid.uuid4(), dry_run=dry_run, rows=len(dataset))
        report.created, report.updated = created, updated
        for row, found in sorted(errors.items()):
            for column, messages_ in found.items():
                report.add_row_errors(
                    row, {"" if column == NON_FIELD_ERRORS else column: messages_}
                )
        result.kind_report = report
        for row, found in sorted(errors.items()):
            values = (
                dict(zip(result.diff_headers, dataset[row - 2], strict=False)) if row >= 2 else {}
            )
            result.append_invalid_row(row, values, ValidationError(found))
        return result


@admin.register(Enterprise)
class EnterpriseAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [EnterpriseResource]
    import_template_name = "admin/tabular/import.html"  # columns, counts, legible errors

    def get_import_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_import_context_data(**kwargs)
        context["accepted_columns"] = [
            (name, str(getattr(Enterprise._meta.get_field(name), "verbose_name", "")))
            for name in EnterpriseResource.COLUMNS
        ]
        return context

    list_display = [
        "name",
        "uscc",
        "industry_code",
        "size_class",
        "region",
        "verified",
        "updated_at",
    ]
    list_filter = ["size_class", "verified"]
    list_select_related = ["region"]
    search_fields = ["name", "name_en", "uscc"]
    autocomplete_fields = ["region"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    form = EnterpriseAdminForm
    inlines = [DesignationInline]
    readonly_fields = [
        "size_class", "size_standard", "size_reason", "size_reason_zh", "holder", "created_at",
        "updated_at", "created_by", "updated_by",
    ]  # fmt: skip
    actions = ["mark_verified", "mark_unverified"]

    def save_model(self, request: HttpRequest, obj: Enterprise, form: Any, change: bool) -> None:
        data = {
            name: form.cleaned_data[name] for name in ENTERPRISE_FIELDS if name in form.cleaned_data
        }
        if data.get("region") is not None:
            data["region"] = data["region"].code
        try:
            if change:
                saved = enterprise_update(
                    actor=request.user,
                    enterprise=obj,
                    values=data,
                    expected_version=form.initial.get("version"),
                )
            else:
                saved = enterprise_create(actor=request.user, values=data)
        except (ValidationError, StaleVersion) as exc:
            raise ValidationError(str(exc)) from exc
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(description=_("Mark selected enterprises verified"))
    def mark_verified(self, request: HttpRequest, queryset: Any) -> None:
        count = enterprises_verify(
            actor=request.user, enterprise_ids=queryset.values_list("pk", flat=True)
        )
        self.message_user(request, _("%(count)d enterprises verified.") % {"count": count})

    @admin.action(description=_("Mark selected enterprises unverified"))
    def mark_unverified(self, request: HttpRequest, queryset: Any) -> None:
        count = enterprises_verify(
            actor=request.user,
            enterprise_ids=queryset.values_list("pk", flat=True),
            verified=False,
        )
        self.message_user(request, _("%(count)d enterprises marked unverified.") % {"count": count})


@admin.register(EnterpriseMembership)
class EnterpriseMembershipAdmin(HistoryAdmin):
    """Who acts for which enterprise."""

    list_display = ["user", "enterprise", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "enterprise"]
    search_fields = ["user__username", "user__email", "enterprise__name"]
    autocomplete_fields = ["enterprise", "user"]
    show_full_result_count = False


class DemandResource(resources.ModelResource):
    class Meta:
        model = TechnologyDemand
        fields = (
            "id", "enterprise__name", "title", "title_en", "keywords", "ipc_codes",
            "wanted_offer_types", "budget_min_cny", "budget_max_cny", "preferred_regions",
            "deadline", "status", "opened_at",
        )  # fmt: skip


@admin.register(TechnologyDemand)
class TechnologyDemandAdmin(ExportMixin, ReadOnlyAdmin):
    resource_classes = [DemandResource]
    list_display = ["title_display", "enterprise", "status", "deadline", "matched_at", "created_at"]
    list_filter = ["status"]
    list_select_related = ["enterprise"]
    search_fields = ["title", "title_en", "enterprise__name"]
    actions = ["close_demands"]

    class Media:
        css = {"all": ["enterprises/admin.css"]}  # the title column wide enough to read

    @admin.display(description=_("title"), ordering="title")
    def title_display(self, demand: TechnologyDemand) -> str:
        return str(demand)

    @admin.action(description=_("Close selected demands"))
    def close_demands(self, request: HttpRequest, queryset: Any) -> None:
        closed = 0
        for demand in queryset.exclude(status__in=["closed", "expired"]):
            demand_close(actor=request.user, demand=demand, expected_version=None)
            closed += 1
        self.message_user(request, _("%(count)d demands closed.") % {"count": closed})


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ["demand", "patent", "score", "state", "reason", "updated_at"]
    list_filter = ["state"]
    list_select_related = ["demand", "patent"]
    raw_id_fields = ["demand", "patent", "offer"]
    readonly_fields = ["components"]

    @admin.display(description=_("reason"))
    def reason(self, obj: Match) -> str:
        return str(obj.explanation.get("reason_zh") or obj.explanation.get("reason_en") or "")

    @admin.display(description=_("explanation"))
    def components(self, obj: Match) -> Any:
        return format_html_join(
            "\n",
            "<p><b>{}</b> × {}: {} — {} / {}</p>",
            (
                (
                    c.get("name"),
                    c.get("weight"),
                    c.get("value"),
                    c.get("reason_en"),
                    c.get("reason_zh"),
                )
                for c in obj.explanation.get("components", [])
            ),
        )


class InquiryResource(resources.ModelResource):
    class Meta:
        model = Inquiry
        fields = (
            "id", "enterprise__name", "holder__name", "patent__publication_number", "offer",
            "status", "decline_reason", "created_at", "responded_at", "response_seconds",
        )  # fmt: skip


@admin.register(Inquiry)
class InquiryAdmin(ExportMixin, ReadOnlyAdmin):
    resource_classes = [InquiryResource]
    list_display = ["id", "enterprise", "holder", "status", "created_at", "response_hours"]
    list_filter = [WaitingFilter, "status", "decline_reason"]
    list_select_related = ["enterprise", "holder"]
    search_fields = ["enterprise__name", "holder__name"]
    raw_id_fields = ["enterprise", "holder", "offer", "patent", "match"]

    @admin.display(description=_("first response (hours)"), ordering="response_seconds")
    def response_hours(self, obj: Inquiry) -> str:
        return "" if obj.response_seconds is None else f"{obj.response_seconds / 3600:.1f}"


class DealResource(resources.ModelResource):
    class Meta:
        model = Deal
        fields = (
            "id", "enterprise__name", "holder__name", "origin", "licence_record__kind",
            "licence_record__contract_date", "licence_record__recordation_number",
            "recordation_due", "created_at",
        )  # fmt: skip


@admin.register(Deal)
class DealAdmin(ExportMixin, ReadOnlyAdmin):
    resource_classes = [DealResource]
    list_display = ["id", "enterprise", "holder", "origin", "recordation_due", "recorded"]
    list_filter = [RecordationFilter, "origin"]
    list_select_related = ["enterprise", "holder", "licence_record"]
    search_fields = ["enterprise__name", "holder__name"]
    raw_id_fields = ["enterprise", "holder", "inquiry", "match", "offer", "licence_record"]

    @admin.display(description=_("recorded"), boolean=True)
    def recorded(self, obj: Deal) -> bool:
        return obj.licence_record.is_recorded


@admin.register(SavedSearch)
class SavedSearchAdmin(ViewOnlyAdmin, HistoryAdmin):
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
