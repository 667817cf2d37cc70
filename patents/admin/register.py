"""Admin of the register: holders, their members and patents, with history; every write
goes through ``patents.register.services``."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.forms import ExportForm

from conversion_db.admin import ViewOnlyAdmin
from conversion_db.estimates import EstimatedCountPaginator
from conversion_db.history import HistoryAdmin
from conversion_db.services import StaleVersion, check_version
from conversion_db.tabular.resources import KindAdminMixin
from patents.admin.resources import LegalEventResource, PatentResource
from patents.models import (
    Holder,
    HolderMembership,
    Holding,
    LegalStatus,
    LegalStatusEvent,
    Patent,
    Region,
)
from patents.register import coholders, numbers, services
from patents.register.selectors import current_holders, with_number
from patents.search.ranking import patent_text_search

HOLDER_ADMIN_FIELDS = [
    "name", "name_en", "kind", "uscc", "region", "address", "contact_name", "contact_email", "contact_phone",
    "verified", "version",
]  # fmt: skip


class HoldingInline(admin.TabularInline):
    """Every holding, the unconfirmed ones too (``confirmed`` says which: the action
    "Confirm the named holders" confirms them)."""

    model = Holding
    extra = 0
    fields = ["holder", "role", "order", "share", "since", "confirmed", "confirmed_by"]
    readonly_fields = ["holder", "role", "order", "share", "since", "confirmed", "confirmed_by"]
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return Holding.all_objects.select_related("holder", "confirmed_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


EVENT_FIELDS = [
    "event_date", "event_type", "source_words", "number", "details_text", "details", "legal_status",
    "effect", "licence_record", "pledge", "import_batch", "source", "created_at", "created_by",
]  # fmt: skip


class LegalEventInline(admin.TabularInline):
    """A patent's legal-status events, newest first (read-only: they come from imports)."""

    model = LegalStatusEvent
    extra = 0
    fields = ["event_date", "event_type", "source_words", "number", "effect"]
    readonly_fields = ["event_date", "event_type", "source_words", "number", "effect"]
    ordering = ["-event_date", "-id"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HolderAdminForm(forms.ModelForm):
    """Runs the service's rules in the form, so the admin shows them next to each field."""

    class Meta:
        model = Holder
        fields = HOLDER_ADMIN_FIELDS
        widgets = {"version": forms.HiddenInput}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk:
            try:
                check_version(Holder.all_objects.get(pk=self.instance.pk), data.get("version"))
            except StaleVersion:
                raise ValidationError(StaleVersion.message, code="stale_version") from None
        values = {name: data.get(name) for name in services.HOLDER_FIELDS if name in data}
        region = values.get("region")
        if isinstance(region, Region):
            values["region"] = region.code
        try:
            services.clean_holder_data(values)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(Holder)
class HolderAdmin(HistoryAdmin):
    list_display = ["name", "kind", "uscc", "region", "verified", "updated_at"]
    list_filter = ["kind", "verified"]
    list_select_related = ["region"]
    search_fields = ["name", "name_en", "uscc"]
    autocomplete_fields = ["region"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    form = HolderAdminForm
    readonly_fields = ["created_at", "updated_at", "created_by", "updated_by"]
    actions = ["mark_verified", "mark_unverified"]

    def save_model(self, request: HttpRequest, obj: Holder, form: Any, change: bool) -> None:
        data = {
            name: form.cleaned_data[name]
            for name in services.HOLDER_FIELDS
            if name in form.cleaned_data
        }
        verified = bool(form.cleaned_data.get("verified"))  # the operator's word
        try:
            if change:
                saved = services.holder_update(
                    actor=request.user,
                    holder=obj,
                    data=data,
                    expected_version=form.initial.get("version"),
                    verified=verified,
                )
            else:
                saved = services.holder_create(actor=request.user, data=data, verified=verified)
        except (ValidationError, StaleVersion) as exc:
            raise ValidationError(str(exc)) from exc
        obj.pk = saved.pk

    @admin.action(description=_("Mark selected holders verified"))
    def mark_verified(self, request: HttpRequest, queryset: Any) -> None:
        count = services.holders_verify(actor=request.user, holders=queryset, verified=True)
        self.message_user(request, _("%(count)d holders verified.") % {"count": count})

    @admin.action(description=_("Mark selected holders unverified"))
    def mark_unverified(self, request: HttpRequest, queryset: Any) -> None:
        count = services.holders_verify(actor=request.user, holders=queryset, verified=False)
        self.message_user(request, _("%(count)d holders marked unverified.") % {"count": count})


class LegalStatusForm(ActionForm):
    legal_status = forms.ChoiceField(
        label=_("legal status"), choices=[("", "---------"), *LegalStatus.choices], required=False
    )


@admin.register(HolderMembership)
class HolderMembershipAdmin(HistoryAdmin):
    """Who acts for which holder: a member writes that holder's patents and offers."""

    list_display = ["user", "holder", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "holder"]
    search_fields = ["user__username", "user__email", "holder__name"]
    autocomplete_fields = ["holder", "user"]
    show_full_result_count = False


@admin.register(Patent)
class PatentAdmin(KindAdminMixin, HistoryAdmin):
    """Browse, search and curate patents; every write goes through the services.

    Import (CSV, XLSX; dry-run preview, then confirm) and export (the filtered list, in the
    import columns) use ``patents.imports.patents``. The bulk action sets the legal status of the
    selected patents through ``patent_update``, one history entry each.
    """

    resource_classes = [PatentResource]
    paginator = EstimatedCountPaginator
    export_form_class = ExportForm  # always every import column, so exports re-import
    action_form = LegalStatusForm
    actions = ["set_legal_status", "confirm_named_holders"]

    list_display = [
        "__str__",
        "holders",
        "patent_type",
        "legal_status",
        "main_ipc",
        "filing_date",
        "is_high_value",
    ]
    list_filter = ["patent_type", "legal_status", "is_high_value", "has_offer"]
    list_select_related = ["region"]
    search_fields = ["title", "title_en"]
    show_full_result_count = False
    inlines = [HoldingInline, LegalEventInline]
    ordering = ["-filing_sort", "-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        """The page's current holders in one query (``current_holders``), not one per row."""
        return super().get_queryset(request).prefetch_related(current_holders())

    @admin.display(description=_("current holders"))
    def holders(self, patent: Patent) -> str:
        return "; ".join(h.holder.name for h in getattr(patent, "current_holdings", []))

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """A number in any spelling finds its patent; other text uses the search index
        (the API's bilingual full text), never a scan of the titles."""
        if not search_term.strip():
            return queryset, False
        try:
            return with_number(queryset, search_term), False
        except numbers.PatentNumberError:
            try:
                return patent_text_search(queryset, search_term), False
            except ValidationError:
                return queryset.none(), False

    @admin.action(description=_("Set the legal status of the selected patents"))
    def set_legal_status(self, request: HttpRequest, queryset: Any) -> None:
        status = request.POST.get("legal_status")
        if status not in LegalStatus.values:
            self.message_user(request, _("Choose a legal status first."), level=messages.ERROR)
            return
        try:
            count = services.patents_set_legal_status(
                actor=request.user, patents=queryset, legal_status=status
            )
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), level=messages.ERROR)
            return
        self.message_user(request, _("%(count)d patents changed.") % {"count": count})

    @admin.action(description=_("Confirm the holders named on the selected patents"))
    def confirm_named_holders(self, request: HttpRequest, queryset: Any) -> None:
        """An operator confirms the unconfirmed holdings (``patents.register.coholders``)."""
        count = 0
        pending = (
            Holding.all_objects.filter(patent__in=queryset, confirmed=False)
            .values_list("patent_id", "holder_id")
            .distinct()
        )
        for patent_id, holder_id in sorted(pending):
            coholders.holding_confirm(
                actor=request.user, patent_id=patent_id, holder_id=holder_id, expected_version=None
            )
            count += 1
        self.message_user(request, _("%(count)d named holders confirmed.") % {"count": count})


@admin.register(LegalStatusEvent)
class LegalStatusEventAdmin(ViewOnlyAdmin, KindAdminMixin, admin.ModelAdmin):
    """The imported legal-status events, read-only; Import runs ``patents.imports.events``
    (every event through the services, all or nothing), Export writes its columns."""

    resource_classes = [LegalEventResource]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_display = ["event_date", "patent", "event_type", "source_words", "number", "effect"]
    list_filter = ["event_type", "effect", "event_date"]
    list_select_related = ["patent"]
    search_fields = ["source_words", "number"]
    fields = ["patent", *EVENT_FIELDS]
    readonly_fields = ["patent", *EVENT_FIELDS]
    ordering = ["-event_date", "-id"]
