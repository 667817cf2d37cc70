from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from django.contrib import admin

        # The admin index opens on the operators' dashboard (indicators.dashboard).
        admin.site.index_template = "indicators/admin_index.html"
