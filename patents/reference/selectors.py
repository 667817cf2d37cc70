"""Reads of the reference schemes: IPC symbols and regions, from any accepted spelling.

A malformed symbol or code is a 400 naming the parameter; a well-formed one that is not in
the scheme is a 404.
"""

from __future__ import annotations

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from patents.models import IpcClass, Region
from patents.reference.ipc import IpcSymbol, IpcSymbolError, parse_ipc
from patents.reference.regions import RegionCodeError, normalise_region_code
from patents.search.stopwords import FUNCTION_WORDS


# --- IPC -----------------------------------------------------------------------------------
def ipc_list() -> QuerySet[IpcClass]:
    return IpcClass.objects.select_related("tech_field")


ENGLISH_TITLE = SearchVector("title_en", config="english")  # indexed: ipc_title_en_english
_LATIN = re.compile(r"[0-9a-z]+(?:[-.][0-9a-z]+)*")


def ipc_text_search(queryset: QuerySet[IpcClass], text: str) -> QuerySet[IpcClass]:
    """Every whitespace-separated word must appear in the Chinese or the English title: as
    written (a substring, in any case), or an English word by its stem, as PostgreSQL's
    ``english`` configuration finds it (battery finds Batteries, lithium-ion finds
    Lithium-ion). English function words (for, the ...) are skipped when the text has
    other words."""
    words = text.split()
    words = [w for w in words if w.lower() not in FUNCTION_WORDS] or words
    queryset = queryset.alias(english_title=ENGLISH_TITLE)
    for word in words:
        condition = Q(title_zh__icontains=word) | Q(title_en__icontains=word)
        if _LATIN.fullmatch(unicodedata.normalize("NFKC", word).lower()):
            condition |= Q(english_title=SearchQuery(word, config="english"))
        queryset = queryset.filter(condition)
    return queryset


def ipc_subtree(queryset: QuerySet[IpcClass], symbol: IpcSymbol) -> QuerySet[IpcClass]:
    """The symbol and everything below it, by key prefix (a subgroup: by its ancestors)."""
    if symbol.level == "subgroup":
        return queryset.filter(Q(key=symbol.key) | Q(ancestors__contains=[symbol.key]))
    prefix = symbol.key[:8] if symbol.level == "main_group" else symbol.key
    return queryset.filter(key__startswith=prefix)


def ipc_parse_or_400(text: str, *, field: str) -> IpcSymbol:
    try:
        return parse_ipc(text)
    except IpcSymbolError as exc:
        raise ValidationError({field: ValidationError(str(exc.message), code=exc.code)}) from None


def ipc_get(text: str, *, field: str = "symbol") -> IpcClass:
    """One symbol, from any accepted spelling: 400 if malformed, 404 if not in the scheme."""
    symbol = ipc_parse_or_400(text, field=field)
    has_children = IpcClass.objects.filter(parent_id=OuterRef("key"))
    found = (
        IpcClass.objects.select_related("tech_field")
        .annotate(has_children=Exists(has_children))
        .filter(key=symbol.key)
        .first()
    )
    if found is None:
        raise Http404
    return found


def ipc_ancestors(ipc_class: IpcClass) -> list[IpcClass]:
    """Section down to parent, in one query."""
    return list(IpcClass.objects.filter(key__in=ipc_class.ancestors).order_by("key"))


def ipc_titles(codes: list[str]) -> list[IpcClass]:
    """The scheme entries of a patent's IPC codes, in the patent's order (one query)."""
    keys = {}
    for code in codes:
        try:
            keys[parse_ipc(code).key] = code
        except IpcSymbolError:
            continue
    found = {row.key: row for row in IpcClass.objects.filter(key__in=list(keys))}
    return [found[key] for key in keys if key in found]


# --- Regions ------------------------------------------------------------------------------------
def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def region_get(text: str, *, field: str = "code") -> Region:
    try:
        code = normalise_region_code(text)
    except RegionCodeError as exc:
        raise ValidationError({field: ValidationError(str(exc.message), code=exc.code)}) from None
    found = Region.objects.filter(code=code).select_related("parent__parent").first()
    if found is None:
        raise Http404
    return found


def region_ancestors(region: Region) -> list[Region]:
    chain = []
    parent = region.parent  # loaded with select_related: no query
    while parent is not None:
        chain.append(parent)
        parent = (
            parent.parent if parent.parent_id and "parent" in parent._state.fields_cache else None
        )
    return list(reversed(chain))


def region_children(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent_id=region.code).order_by("code"))
