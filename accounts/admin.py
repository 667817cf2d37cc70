"""The operators' queue of holder requests, and read-only lists of API tokens and invitations.

*Holder requests* is the one queue: holders that users registered (to verify: an operator
checks the unified social credit code) and requests to join a holder, pending first. Its
actions go through ``accounts.services.holders`` (history, mails, signals): *approve* makes
the person a member, or verifies the registered holder; *refuse* asks for the reason, which
is mailed to the person who asked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from accounts.models import ApiToken, EnterpriseInvitation, HolderRequest, RequestStatus
from accounts.services import holders as services
from conversion_db.history import HistoryAdmin

# knox registers its own token model, which ``accounts.models.ApiToken`` replaces.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


class PendingFirst(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("all", _("All")), *RequestStatus.choices]

    def choices(self, changelist: Any) -> Any:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or RequestStatus.PENDING) == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value() or RequestStatus.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (mailed to the person who asked)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
    )


@admin.register(HolderRequest)
class HolderRequestAdmin(HistoryAdmin):
    list_display = [
        "id",
        "kind",
        "holder",
        "holder_verified",
        "uscc",
        "user",
        "status",
        "created_at",
    ]
    list_filter = [PendingFirst, "kind"]
    list_select_related = ["holder", "user"]
    search_fields = ["holder__name", "user__username", "user__email"]
    show_full_result_count = False
    actions = ["approve", "refuse"]
    readonly_fields = [
        "kind", "holder", "user", "message", "status", "decided_by", "decided_at", "reason",
        "created_at", "updated_at", "version",
    ]  # fmt: skip
    fields = readonly_fields

    @admin.display(description=_("holder verified"), boolean=True)
    def holder_verified(self, obj: HolderRequest) -> bool:
        return obj.holder.verified

    @admin.display(description=_("unified social credit code"))
    def uscc(self, obj: HolderRequest) -> str:
        return obj.holder.uscc or ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made through the API by the person who asks

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decided, never deleted: the history is the audit

    def report(self, request: HttpRequest, done: int, errors: list[str]) -> None:
        if done:
            self.message_user(request, _("%(count)d requests decided.") % {"count": done})
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(description=_("Approve: make members, or verify registered holders"))
    def approve(self, request: HttpRequest, queryset: QuerySet[HolderRequest]) -> None:
        done, errors = 0, []
        for item in queryset.select_related("holder", "user"):
            try:
                services.holder_request_approve(
                    actor=request.user, holder_request=item, expected_version=None
                )
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                errors.append(f"{item}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        self.report(request, done, errors)

    @admin.action(description=_("Refuse, with a reason"))
    def refuse(
        self, request: HttpRequest, queryset: QuerySet[HolderRequest]
    ) -> HttpResponse | None:
        form = RefuseForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Refuse requests"),
                "requests": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/accounts/refuse.html", context)
        done, errors = 0, []
        for item in queryset.select_related("holder", "user"):
            try:
                services.holder_request_refuse(
                    actor=request.user,
                    holder_request=item,
                    reason=form.cleaned_data["reason"],
                    expected_version=None,
                )
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                errors.append(f"{item}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        self.report(request, done, errors)
        return None


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their users; an operator may only revoke one (delete)."""

    list_display = ["token_key", "name", "user", "created", "expiry", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["token_key", "name", "user__username"]
    show_full_result_count = False
    fields = ("token_key", "name", "user", "created", "expiry", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(EnterpriseInvitation)
class EnterpriseInvitationAdmin(HistoryAdmin):
    list_display = ["id", "enterprise", "email", "role", "status", "expires_at", "created_at"]
    list_filter = ["status"]
    list_select_related = ["enterprise"]
    search_fields = ["email", "enterprise__name"]
    show_full_result_count = False
    readonly_fields = [
        "enterprise", "email", "role", "status", "expires_at", "accepted_by", "accepted_at",
        "created_at", "version",
    ]  # fmt: skip
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
