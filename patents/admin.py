"""Admin: reference schemes (read-only, loaded by seed), holders and patents with history."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm
from simple_history.admin import SimpleHistoryAdmin

from conversion_db.estimates import EstimatedCountPaginator
from conversion_db.services import StaleVersion
from conversion_db.tabular.resources import KindResource
from patents import selectors
from patents.imports.offers import OfferImport
from patents.imports.patents import PatentImport
from patents.imports.registrations import LicenceImport, PledgeImport
from patents.licensing import offers, records
from patents.models import (
    Holder,
    HolderMembership,
    Holding,
    IpcClass,
    LegalStatus,
    LicenceRecord,
    LicensingOffer,
    OfferPatent,
    Patent,
    Pledge,
    Region,
    TechField,
)
from patents.register import numbers, services
from patents.register import selectors as register_selectors


class ReferenceDataAdmin(admin.ModelAdmin):
    """Reference data comes from seeds/ through ``manage.py seed``: no edits by hand."""

    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TechField)
class TechFieldAdmin(ReferenceDataAdmin):
    list_display = ["number", "name_zh", "name_en", "sector_zh", "sector_en"]


@admin.register(IpcClass)
class IpcClassAdmin(ReferenceDataAdmin):
    list_display = ["symbol", "level", "title_zh", "title_en", "tech_field"]
    list_filter = ["level"]
    list_select_related = ["tech_field"]
    search_fields = ["symbol", "title_zh", "title_en"]
    ordering = ["key"]


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):  # also serves the holders' region autocomplete
    list_display = ["code", "name", "name_en", "level", "parent", "is_current"]
    list_filter = ["level", "is_current"]
    list_select_related = ["parent"]
    search_fields = ["code", "name", "name_en"]


HOLDER_ADMIN_FIELDS = [
    "name", "name_en", "kind", "uscc", "region", "address", "contact_name", "contact_email", "contact_phone",
    "verified", "version",
]  # fmt: skip


class HoldingInline(admin.TabularInline):
    model = Holding
    extra = 0
    fields = ["holder", "role", "order", "share", "since"]
    readonly_fields = ["holder", "role", "order", "share", "since"]
    can_delete = False

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
        if (
            self.instance.pk
            and data.get("version") != Holder.all_objects.get(pk=self.instance.pk).version
        ):
            raise ValidationError(StaleVersion.message, code="stale_version")
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
class HolderAdmin(SimpleHistoryAdmin):
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
        try:
            if change:
                saved = services.holder_update(
                    actor=request.user,
                    holder=obj,
                    data=data,
                    expected_version=form.initial.get("version"),
                )
            else:
                saved = services.holder_create(actor=request.user, data=data)
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


class PatentResource(KindResource):
    """The admin's Import and Export of patents over ``patents.imports.patents``: the same
    columns and rules as the API and ``manage.py import_patents`` (upsert, all or nothing,
    batch id)."""

    kind = PatentImport

    class Meta(KindResource.Meta):
        model = Patent


class OfferResource(KindResource):
    """Offers, licence records and pledges over ``patents.imports``: the API's columns,
    services and rules (all or nothing, batch id in the history); every column is
    exported, and rows name their holder."""

    kind = OfferImport

    class Meta(KindResource.Meta):
        model = LicensingOffer


class LicenceResource(KindResource):
    kind = LicenceImport

    class Meta(KindResource.Meta):
        model = LicenceRecord


class PledgeResource(KindResource):
    kind = PledgeImport

    class Meta(KindResource.Meta):
        model = Pledge


class LegalStatusForm(ActionForm):
    legal_status = forms.ChoiceField(
        label=_("legal status"), choices=[("", "---------"), *LegalStatus.choices], required=False
    )


@admin.register(HolderMembership)
class HolderMembershipAdmin(SimpleHistoryAdmin):
    """Who acts for which holder: a member writes that holder's patents and offers."""

    list_display = ["user", "holder", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "holder"]
    search_fields = ["user__username", "user__email", "holder__name"]
    autocomplete_fields = ["holder", "user"]
    show_full_result_count = False


@admin.register(Patent)
class PatentAdmin(ImportExportMixin, SimpleHistoryAdmin):
    """Browse, search and curate patents; every write goes through the services.

    Import (CSV, XLSX; dry-run preview, then confirm) and export (the filtered list, in the
    import columns) use ``patents.imports.patents``. The bulk action sets the legal status of the
    selected patents through ``patent_update``, one history entry each.
    """

    resource_classes = [PatentResource]
    paginator = EstimatedCountPaginator
    formats = [base_formats.CSV, base_formats.XLSX]
    export_form_class = ExportForm  # always every import column, so exports re-import
    action_form = LegalStatusForm
    actions = ["set_legal_status"]

    list_display = [
        "__str__",
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
    inlines = [HoldingInline]
    ordering = ["-filing_sort", "-id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_search_results(self, request: HttpRequest, queryset: Any, search_term: str) -> Any:
        """A number in any spelling finds its patent; other text uses the search index
        (the API's bilingual full text), never a scan of the titles."""
        if not search_term.strip():
            return queryset, False
        try:
            return register_selectors.with_number(queryset, search_term), False
        except numbers.PatentNumberError:
            try:
                return selectors.patent_text_search(queryset, search_term), False
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


class OfferPatentInline(admin.TabularInline):
    model = OfferPatent
    extra = 0
    fields = ["patent", "order"]
    readonly_fields = ["patent", "order"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewNoteForm(ActionForm):
    review_note = forms.CharField(label=_("review note"), required=False)


@admin.register(LicensingOffer)
class LicensingOfferAdmin(ImportExportMixin, SimpleHistoryAdmin):
    """The review queue: pending offers with the rules' verdict for each patent.

    Offers are written by their holders (API); operators approve, reject (with a note)
    or suspend here, through ``patents.licensing.offers``, so the rules are checked again. Import
    and export (dry-run preview, then confirm) go through ``patents.imports.records``.
    """

    resource_classes = [OfferResource]
    formats = [base_formats.CSV, base_formats.XLSX]
    export_form_class = ExportForm  # always every import column, so exports re-import

    list_display = ["title", "holder", "offer_type", "pricing_mode", "status", "submitted_at"]
    list_filter = ["status", "offer_type", "pricing_mode"]
    list_select_related = ["holder"]
    search_fields = ["title", "title_en", "holder__name"]
    autocomplete_fields = ["holder"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [OfferPatentInline]
    readonly_fields = ["eligibility"]
    action_form = ReviewNoteForm
    actions = ["approve", "reject", "suspend"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # the changelist and its actions; no direct edits

    @admin.display(description=_("eligibility"))
    def eligibility(self, offer: LicensingOffer) -> str:
        lines = []
        for verdict in offers.offer_eligibility(offer):
            number = verdict.patent.application_number or verdict.patent.publication_number
            problems = [f"✗ {p.message} ({p.basis})" for p in verdict.result.errors]
            problems += [f"! {p.message} ({p.basis})" for p in verdict.result.warnings]
            lines.append(f"{number}: " + ("; ".join(map(str, problems)) or "✓"))
        return "\n".join(lines)

    def _each(self, request: HttpRequest, queryset: Any, call: Any, done: Any) -> None:
        count = 0
        for offer in queryset:
            try:
                call(offer)
            except (ValidationError, StaleVersion) as exc:
                messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                self.message_user(request, f"{offer}: {' '.join(messages_)}", level=messages.ERROR)
                continue
            count += 1
        self.message_user(request, done % {"count": count})

    @admin.action(description=_("Approve and publish the selected offers"))
    def approve(self, request: HttpRequest, queryset: Any) -> None:
        note = request.POST.get("review_note", "")
        self._each(
            request,
            queryset,
            lambda offer: offers.offer_review(
                actor=request.user, offer=offer, approve=True, note=note, expected_version=None
            ),
            _("%(count)d offers published."),
        )

    @admin.action(description=_("Reject the selected offers (give the note)"))
    def reject(self, request: HttpRequest, queryset: Any) -> None:
        note = request.POST.get("review_note", "")
        self._each(
            request,
            queryset,
            lambda offer: offers.offer_review(
                actor=request.user, offer=offer, approve=False, note=note, expected_version=None
            ),
            _("%(count)d offers returned to their holders."),
        )

    @admin.action(description=_("Suspend the selected offers (give the note)"))
    def suspend(self, request: HttpRequest, queryset: Any) -> None:
        note = request.POST.get("review_note", "")
        self._each(
            request,
            queryset,
            lambda offer: offers.offer_suspend(
                actor=request.user, offer=offer, note=note, expected_version=None
            ),
            _("%(count)d offers suspended."),
        )


def _close_each(admin_: Any, request: HttpRequest, queryset: Any, close: Any) -> None:
    """Apply a closing service to each selected record; report what the rules refused."""
    today = timezone.localdate()
    done = 0
    for obj in queryset:
        try:
            close(obj, today)
            done += 1
        except ValidationError as exc:
            admin_.message_user(request, f"{obj}: {'; '.join(exc.messages)}", messages.WARNING)
    admin_.message_user(request, _("%(count)d records updated.") % {"count": done})


@admin.register(LicenceRecord)
class LicenceRecordAdmin(ImportExportMixin, SimpleHistoryAdmin):
    """No direct edits: records are written by ``patents.licensing.records`` (DOMAIN.md 8 on every
    write), here through Import (``patents.imports.records``, dry-run preview first)."""

    resource_classes = [LicenceResource]
    formats = [base_formats.CSV, base_formats.XLSX]
    export_form_class = ExportForm  # always every import column, so exports re-import

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # the changelist and its actions; no direct edits

    actions = ["terminate_today"]

    @admin.action(description=_("Record that the selected licences ended today"))
    def terminate_today(self, request: HttpRequest, queryset: Any) -> None:
        _close_each(
            self,
            request,
            queryset,
            lambda record, today: records.licence_terminate(
                actor=request.user, record=record, on=today, expected_version=None
            ),
        )

    list_display = ["__str__", "licensor", "kind", "term_start", "term_end", "recordation_number"]
    list_filter = ["kind", "under_open_licence"]
    list_select_related = ["licensor"]
    search_fields = ["licensee_name", "licensee_uscc", "recordation_number", "licensor__name"]
    autocomplete_fields = ["licensor", "patents"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator


@admin.register(Pledge)
class PledgeAdmin(ImportExportMixin, SimpleHistoryAdmin):
    """No direct edits: pledges are written by ``patents.licensing.records`` (DOMAIN.md 9 on every
    write), here through Import (``patents.imports.records``, dry-run preview first)."""

    resource_classes = [PledgeResource]
    formats = [base_formats.CSV, base_formats.XLSX]
    export_form_class = ExportForm  # always every import column, so exports re-import

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # the changelist and its actions; no direct edits

    actions = ["cancel_today"]

    @admin.action(description=_("Record the cancellation of the selected pledges today"))
    def cancel_today(self, request: HttpRequest, queryset: Any) -> None:
        _close_each(
            self,
            request,
            queryset,
            lambda pledge, today: records.pledge_cancel(
                actor=request.user, pledge=pledge, on=today, expected_version=None
            ),
        )

    list_display = ["__str__", "pledgor", "secured_amount_cny", "registration_date", "status"]
    list_filter = ["status", "consents_to_licensing"]
    list_select_related = ["pledgor"]
    search_fields = ["registration_number", "pledgee_name", "pledgor__name"]
    autocomplete_fields = ["pledgor", "patents"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
