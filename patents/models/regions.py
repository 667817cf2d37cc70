"""China's administrative divisions (GB/T 2260): provinces, cities, districts."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A province, prefecture-level city or county-level district, current or historical.

    Historical codes (闸北区 310108, merged into 静安区 in 2015) stay so that old records
    keep resolving; ``is_current`` tells them apart. A code's prefix selects everything
    below it: 31 (上海市), 3101 (市辖区), 310115 (浦东新区).
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        DISTRICT = "district", _("district")

    code = models.CharField(_("code"), max_length=6, primary_key=True, db_collation="C")
    name = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=128, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_index=False,  # served by the (parent, code) index below
    )
    is_current = models.BooleanField(
        _("current"), default=True, help_text=_("False for codes that were abolished or merged.")
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [
            # GET /api/v1/regions/?parent=...: children in code order.
            models.Index(fields=["parent", "code"], name="region_parent_code"),
            # GET /api/v1/regions/?q=...: substring search on both names.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="region_name_trgm"),
            GinIndex(OpClass(Upper("name_en"), name="gin_trgm_ops"), name="region_name_en_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def descendant_prefix(self) -> str:
        """The code prefix shared by this region and everything below it."""
        if self.level == self.Level.PROVINCE:
            return self.code[:2]
        if self.level == self.Level.CITY:
            return self.code[:4]
        return self.code
