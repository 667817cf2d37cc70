"""The IPC scheme and the WIPO technology fields (reference data, loaded by ``seed``)."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class TechField(models.Model):
    """One of WIPO's 35 technology fields (IPC-to-field concordance)."""

    number = models.PositiveSmallIntegerField(_("number"), primary_key=True)
    sector_en = models.CharField(_("sector (English)"), max_length=100)
    sector_zh = models.CharField(_("sector (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)

    class Meta:
        verbose_name = _("technology field")
        verbose_name_plural = _("technology fields")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name_zh} / {self.name_en}"


class IpcClass(models.Model):
    """One symbol of the International Patent Classification, at any level.

    ``key`` is the sortable WIPO key (``H01M0010052500``; the plain code above subclass
    level), so ordering by key is scheme order and a prefix of a key selects a subtree.
    The parent of a subgroup follows the scheme's dot depth where the English scheme
    gives it, otherwise its main group (see seeds/README.md).
    """

    class Level(models.TextChoices):
        SECTION = "section", _("section")
        CLASS = "class", _("class")
        SUBCLASS = "subclass", _("subclass")
        MAIN_GROUP = "main_group", _("main group")
        SUBGROUP = "subgroup", _("subgroup")

    key = models.CharField(_("sort key"), max_length=14, primary_key=True, db_collation="C")
    symbol = models.CharField(_("symbol"), max_length=20, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_index=False,  # served by the (parent, key) index below
    )
    indent = models.PositiveSmallIntegerField(
        _("dots"), null=True, blank=True, help_text=_("Dot depth of a group: 0 for a main group.")
    )
    ancestors = ArrayField(
        models.CharField(max_length=14),
        verbose_name=_("ancestors"),
        default=list,
        blank=True,
        help_text=_("Keys from the section down to the parent."),
    )
    title_zh = models.TextField(_("title (Chinese)"), blank=True)
    title_en = models.TextField(_("title (English)"), blank=True)
    tech_field = models.ForeignKey(
        TechField,
        verbose_name=_("technology field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ipc_classes",
    )

    class Meta:
        verbose_name = _("IPC symbol")
        verbose_name_plural = _("IPC scheme")
        ordering = ["key"]
        indexes = [
            # GET /api/v1/ipc/?parent=...: children in scheme order.
            models.Index(fields=["parent", "key"], name="ipc_parent_key"),
            # GET /api/v1/ipc/?level=...
            models.Index(fields=["level", "key"], name="ipc_level_key"),
            # GET /api/v1/ipc/?q=...: substring search (icontains compares UPPER()).
            GinIndex(OpClass(Upper("title_zh"), name="gin_trgm_ops"), name="ipc_title_zh_trgm"),
            GinIndex(OpClass(Upper("title_en"), name="gin_trgm_ops"), name="ipc_title_en_trgm"),
            # GET /api/v1/ipc/?q=...: English words by their stem (battery finds Batteries).
            GinIndex(SearchVector("title_en", config="english"), name="ipc_title_en_english"),
            # GET /api/v1/ipc/?under=<subgroup>: descendants by dot depth.
            GinIndex(fields=["ancestors"], name="ipc_ancestors_gin"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title_zh or self.title_en}"


class IpcTermStatistic(models.Model):
    """How often a term occurs with an IPC code: the statistics behind ``suggest_ipc``.

    One row per (term, code): ``documents`` patents whose text (title, keywords, abstract,
    English title and abstract; ``patents.search.ipc_statistics.document_terms``) contains
    the term and that carry the code (a subclass such as ``H01M``, or a main group such as
    ``H01M 10/00``), and ``scheme_titles`` titles of the IPC scheme under the code (the
    subclass and its main groups, and the English titles of its subgroups) that contain it.
    A Latin term is stored as its English stem (``batteri``). Totals use the empty string:
    code ``""`` is a term's row over all codes, term ``""`` a code's row over all terms, and
    ``("", "")`` the whole table (patents counted, scheme titles counted). Built by ``manage.py build_ipc_statistics``
    (full rebuild; also run by ``seed``), read only by ``enterprises.matching``.
    """

    pk = models.CompositePrimaryKey("term", "code")
    term = models.CharField(_("term"), max_length=64, db_collation="C")
    code = models.CharField(_("IPC code"), max_length=20, db_collation="C")
    documents = models.PositiveIntegerField(_("patents"), default=0)
    scheme_titles = models.PositiveIntegerField(_("scheme titles"), default=0)

    class Meta:
        verbose_name = _("IPC term statistic")
        verbose_name_plural = _("IPC term statistics")
        ordering = ["term", "code"]
        indexes = [
            # suggest_ipc: the codes of a query term, most frequent first, cut per term;
            # covering, so that the read is an index-only scan.
            models.Index(
                fields=["term", "-documents", "code"],
                include=["scheme_titles"],
                name="ipc_term_documents",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} {self.code or '*'}: {self.documents}"
