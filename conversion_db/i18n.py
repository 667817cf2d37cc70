"""Messages with values in them that stay translatable until they are read."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise, lazy


def _interpolate(message: str | Promise, params: dict[str, Any]) -> str:
    return str(message) % params


_lazy_interpolate = lazy(_interpolate, str)  # built once: each lazy() call makes a class


def lazy_format(message: str | Promise, **params: Any) -> str | Promise:
    """``message % params``, evaluated lazily in the language active when it is read.

    (``gettext_lazy(...) % params`` would translate at once; this stays lazy and picklable.)
    """
    return _lazy_interpolate(message, params)
