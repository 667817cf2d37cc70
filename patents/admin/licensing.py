"""Admin of licensing: the offers' review queue, recorded licences and pledges; every write
goes through ``patents.licensing``."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.forms import ExportForm

from conversion_db.estimates import EstimatedCountPaginator
from conversion_db.history import HistoryAdmin
from conversion_db.services import StaleVersion
from conversion_db.tabular.resources import KindAdminMixin
from patents.admin.resources import LicenceResource, OfferResource, PledgeResource
from patents.licensing import offers, records
from patents.licensing.eligibility import offer_eligibility
from patents.models import LicenceRecord, LicensingOffer, OfferPatent, OfferStatus, Pledge


class OfferPatentInline(admin.TabularInline):
    model = OfferPatent
    extra = 0
    fields = ["patent", "order"]
    readonly_fields = ["patent", "order"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The decisions on one offer's page: label, the service call, the message of success; and
# which of them its status allows (the services refuse the others anyway).
REVIEW_ACTIONS: dict[str, tuple[Any, Any, Any]] = {
    "approve": (
        _("Approve and publish"),
        lambda user, offer, note: offers.offer_review(
            actor=user, offer=offer, approve=True, note=note, expected_version=None
        ),
        _("%(count)d offers published."),
    ),
    "reject": (
        _("Reject (give the note)"),
        lambda user, offer, note: offers.offer_review(
            actor=user, offer=offer, approve=False, note=note, expected_version=None
        ),
        _("%(count)d offers returned to their holders."),
    ),
    "suspend": (
        _("Suspend (give the note)"),
        lambda user, offer, note: offers.offer_suspend(
            actor=user, offer=offer, note=note, expected_version=None
        ),
        _("%(count)d offers suspended."),
    ),
}
REVIEW_BY_STATUS = {
    OfferStatus.PENDING_REVIEW: ("approve", "reject"),
    OfferStatus.PUBLISHED: ("suspend",),
}


class ReviewNoteForm(ActionForm):
    review_note = forms.CharField(label=_("review note"), required=False)


@admin.register(LicensingOffer)
class LicensingOfferAdmin(KindAdminMixin, HistoryAdmin):
    """The review queue: pending offers with the rules' verdict for each patent.

    Offers are written by their holders (API); operators approve, reject (with a note)
    or suspend here, from the list (actions) or an offer's page (buttons beside the rules'
    verdict), through ``patents.licensing.offers``, so the rules are checked again. An offer
    is withdrawn or suspended, never deleted: no delete here. Import
    and export (dry-run preview, then confirm) go through ``patents.imports.records``.
    """

    resource_classes = [OfferResource]
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

    change_form_template = "admin/patents/licensingoffer/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # the changelist and its actions; no direct edits

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # an offer is withdrawn (by its holder) or suspended, never deleted

    def get_urls(self) -> list[Any]:
        review = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="patents_licensingoffer_review",
        )
        return [review, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        offer = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if offer is not None:
            context["review_actions"] = [
                (name, REVIEW_ACTIONS[name][0]) for name in REVIEW_BY_STATUS.get(offer.status, ())
            ]
            context["review_eligibility"] = self.eligibility(offer)
            context["review_url"] = reverse("admin:patents_licensingoffer_review", args=[offer.pk])
        return super().change_view(request, object_id, form_url, context)

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Approve, reject or suspend one offer from its page, through the review services
        (the rules are checked again); the page again, with what happened."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        offer = self.get_object(request, object_id)
        if offer is None:
            raise Http404
        decision = request.POST.get("decision", "")
        note = request.POST.get("review_note", "")
        back = reverse("admin:patents_licensingoffer_change", args=[offer.pk])
        if decision not in REVIEW_BY_STATUS.get(offer.status, ()):
            self.message_user(
                request, _("This decision does not apply to the offer now."), messages.ERROR
            )
            return HttpResponseRedirect(back)
        self._each(
            request,
            [offer],
            lambda o: REVIEW_ACTIONS[decision][1](request.user, o, note),
            REVIEW_ACTIONS[decision][2],
        )
        return HttpResponseRedirect(back)

    def extra_history_changes(self, request: HttpRequest, records: list[Any]) -> None:
        """The patents added to or removed from the offer with each change (its items'
        history, written by the same service call just after the offer's own row)."""
        if not records:
            return
        newer = (
            LicensingOffer.history.filter(
                id=records[0].id, history_date__gt=records[0].history_date
            )
            .order_by("history_date")
            .values_list("history_date", flat=True)
            .first()
        )
        items = OfferPatent.history.filter(
            offer_id=records[0].id,
            history_type__in=["+", "-"],
            history_date__gte=records[-1].history_date,
        ).select_related("patent")
        if newer is not None:
            items = items.filter(history_date__lt=newer)
        for item in items.order_by("history_date", "history_id"):
            record = next(r for r in records if r.history_date <= item.history_date)
            number = item.patent.application_number or item.patent.publication_number
            line = (
                _("patent added: %(number)s")
                if item.history_type == "+"
                else _("patent removed: %(number)s")
            )
            record.extra_changes.append(line % {"number": number})

    @admin.display(description=_("eligibility"))
    def eligibility(self, offer: LicensingOffer) -> str:
        lines = []
        for verdict in offer_eligibility(offer):
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


class RegistrationAdmin(KindAdminMixin, HistoryAdmin):
    """Registrations (licence records, pledges) are not edited here: they are written by
    ``patents.licensing.records`` with every rule on every write, through Import (dry-run
    preview first) and the actions that close them."""

    export_form_class = ExportForm  # always every import column, so exports re-import
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # the changelist and its actions; no direct edits


@admin.register(LicenceRecord)
class LicenceRecordAdmin(RegistrationAdmin):
    """Recorded licences and assignments (docs/domain/licences-and-recordation.md)."""

    resource_classes = [LicenceResource]
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


@admin.register(Pledge)
class PledgeAdmin(RegistrationAdmin):
    """Pledges (docs/domain/pledges.md)."""

    resource_classes = [PledgeResource]
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
