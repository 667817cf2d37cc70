from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversionDbConfig(AppConfig):
    name = "conversion_db"
    verbose_name = _("Patent conversion resource database")
