"""The notification log, for operators: which e-mails went out, to whom, and why not.

*Recipients* lists every party told, one row each (a user, or an organisation's contact
address): filter by kind, by e-mail outcome (sent, to be sent, failed, no address), by
read or unread, by user or contact address, by the kind of organisation; search by user
name or address (exact).
*Notifications* lists each event once with its text, its addresses and its e-mail's
error and attempts (search by the link of the record it is about). Both are read-only: the records are written by
``notifications.services.notify`` only. Failed e-mails are retried by a job
(``notifications.tasks``), visible under *Background jobs*.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conversion_db.admin import ViewOnlyAdmin
from conversion_db.estimates import EstimatedCountPaginator
from notifications.models import Notification, Recipient


class ReadOnlyLog(ViewOnlyAdmin, admin.ModelAdmin):
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("unread")), ("yes", _("read"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Recipient]) -> QuerySet[Recipient]:
        if self.value() in ("yes", "no"):
            return queryset.filter(user__isnull=False, is_read=self.value() == "yes")
        return queryset


class RecipientKindFilter(admin.SimpleListFilter):
    title = _("recipient")
    parameter_name = "recipient"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("user", _("a user")), ("address", _("a contact address"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Recipient]) -> QuerySet[Recipient]:
        if self.value() == "user":
            return queryset.filter(user__isnull=False)
        if self.value() == "address":
            return queryset.filter(user__isnull=True)
        return queryset


class OrganisationKindFilter(admin.SimpleListFilter):
    """By kind of organisation told (holder, enterprise ...): the models that answer the
    recipients protocol, found in the app registry (no scan of the log)."""

    title = _("organisation")
    parameter_name = "organisation_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        kinds = [model for model in apps.get_models() if hasattr(model, "notification_members")]
        return [
            (str(ContentType.objects.get_for_model(model).pk), model._meta.verbose_name)
            for model in kinds
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Recipient]) -> QuerySet[Recipient]:
        value = self.value() or ""
        return queryset.filter(organisation_type_id=int(value)) if value.isdigit() else queryset


@admin.register(Recipient)
class RecipientAdmin(ReadOnlyLog):
    list_display = [
        "id",
        "created",
        "kind",
        "who",
        "organisation",
        "email",
        "mail_status",
        "mail_error",
        "read_at",
        "title",
    ]
    list_filter = [
        ("notification__kind", admin.ChoicesFieldListFilter),
        "mail_status",
        ReadFilter,
        RecipientKindFilter,
        OrganisationKindFilter,
    ]
    list_select_related = ["notification", "user"]
    # Exact matches an index answers (recipient_inbox through the user; recipient_email).
    search_fields = ["=user__username", "=email"]
    readonly_fields = (
        "notification_link",
        "user",
        "email",
        "organisation",
        "mail_status",
        "mail_error",
        "read_at",
        "title",
        "text",
    )
    fields = readonly_fields

    @admin.display(description=_("created at"), ordering="notification__created_at")
    def created(self, row: Recipient) -> Any:
        return row.notification.created_at

    @admin.display(description=_("kind"), ordering="notification__kind")
    def kind(self, row: Recipient) -> str:
        return row.notification.get_kind_display()

    @admin.display(description=_("recipient"))
    def who(self, row: Recipient) -> str:
        return row.user.get_username() if row.user else str(_("contact address"))

    @admin.display(description=_("title"))
    def title(self, row: Recipient) -> str:
        return row.notification.title_zh

    @admin.display(description=_("text"))
    def text(self, row: Recipient) -> str:
        return format_html(
            '<div style="white-space: pre-wrap">{}</div>', row.notification.body_zh or "-"
        )

    @admin.display(description=_("e-mail error"))
    def mail_error(self, row: Recipient) -> str:
        if row.mail_status == "no_address":
            return str(_("no e-mail address"))
        return row.notification.mail_error or "-"

    @admin.display(description=_("notification"))
    def notification_link(self, row: Recipient) -> str:
        url = reverse("admin:notifications_notification_change", args=[row.notification_id])
        return format_html('<a href="{}">{}</a>', url, row.notification)


class RecipientInline(admin.TabularInline):
    model = Recipient
    readonly_fields = ("user", "email", "organisation", "mail_status", "read_at")
    fields = readonly_fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyLog):
    list_display = [
        "id",
        "created_at",
        "kind",
        "audience",
        "title_zh",
        "mail_status",
        "mail_attempts",
        "mailed_at",
    ]
    list_filter = ["kind", "mail_status"]
    search_fields = ["=link"]  # the notifications about one record (notification_link)
    readonly_fields = (
        "kind",
        "created_at",
        "caused_by",
        "link",
        "audience",
        "title_zh",
        "body_zh",
        "title_en",
        "body_en",
        "mail_to",
        "mail_status",
        "mail_attempts",
        "mail_error",
        "mailed_at",
    )
    fields = readonly_fields
    inlines = [RecipientInline]
