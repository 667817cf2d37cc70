from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and memberships")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import schema  # noqa: F401  (registers the token's OpenAPI scheme)
        from accounts.services.holders import close_registrations
        from patents.register.services import holders_verified

        holders_verified.connect(close_registrations, dispatch_uid="accounts.close_registrations")
