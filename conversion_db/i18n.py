"""Messages with values in them that stay translatable until they are read."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise, lazy


def _interpolate(message: str | Promise, params: dict[str, Any]) -> str:
    return str(message) % params


_lazy_interpolate = lazy(_interpolate, str)  # built once: each lazy() call makes a class


def lazy_format(message: str | Promise, /, **params: Any) -> str | Promise:
    """``message % params``, evaluated lazily in the language active when it is read.

    (``gettext_lazy(...) % params`` would translate at once; this stays lazy and picklable.)
    """
    return _lazy_interpolate(message, params)


def _pick(zh: str, en: str) -> str:
    return en if en and (translation.get_language() or "").startswith("en") else zh


_lazy_pick = lazy(_pick, str)


def localized(zh: str, en: str = "") -> str | Promise:
    """A record's own text in the language active when it is read: ``en`` in English when
    there is one, ``zh`` otherwise (a patent's ``title`` / ``title_en``)."""
    return _lazy_pick(zh, en)
