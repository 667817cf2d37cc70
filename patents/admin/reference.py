"""Admin of the reference schemes: read-only, loaded by ``manage.py seed``."""

from django.contrib import admin

from conversion_db.admin import ViewOnlyAdmin
from patents.models import IpcClass, Region, TechField


class ReferenceDataAdmin(ViewOnlyAdmin, admin.ModelAdmin):
    """Reference data comes from seeds/ through ``manage.py seed``: no edits by hand."""

    show_full_result_count = False


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
