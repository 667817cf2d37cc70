"""The base of the factories that write through the product's services.

A factory_boy factory normally saves its model directly; these hand the declared values to
the write service the API, the admin and imports call (``_create``), so every record a test
makes has passed the same rules and has its computed fields, history and search document
as the product would have written them. ``build()`` is refused: an unsaved record that
skipped the service would be exactly the shortcut these factories exist to avoid.
"""

from __future__ import annotations

from typing import Any, TypeVar

import factory

T = TypeVar("T")


class ServiceFactory(factory.Factory[T]):
    """Subclasses declare the service's inputs and call it in ``_create``; the type argument
    is the model the service returns (``ServiceFactory[Patent]``), which is what
    ``PatentFactory.create(...)`` is typed to return (calling the class, ``PatentFactory(...)``,
    creates the same record, but mypy reads it as a factory instance)."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{cls.__name__} creates through a service; call it (create), not build")
