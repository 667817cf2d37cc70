"""The kernel every write service shares: who acts, which version it read, who to stamp.

Every curated record (``conversion_db.models.CuratedModel``) carries a ``version``. A
service that changes one:

1. locks the row and checks the caller's version: ``locked(queryset, pk, expected_version)``
   (``select_for_update``, then ``check_version``); a stale version raises ``StaleVersion``,
   which the API's error handler answers with 412;
2. changes it and calls ``stamp(record, actor)``: the version moves on, ``updated_by`` (and
   on creation ``created_by``) is the acting user, and the history row it is about to write
   names that user;
3. runs ``full_clean()`` and saves, inside one ``transaction.atomic()``.

A write the current state refuses whatever its input raises ``Conflict`` (409), a Django
``ValidationError`` with field keys and codes like any other refusal.

``expected_version=None`` means "no check": the admin and imports lock and stamp the same
way but act on what they have just read themselves.

Two writers that create the same record at the same moment (two imports of the same new
patents) collide in PostgreSQL: the second waits for the first and then breaks a unique
index, or one of them is chosen as a deadlock victim. Neither is the client's mistake, and
nothing of the loser was written: a service that can meet this wraps its transaction in
``concurrent_writes``, which raises ``Conflict`` (the API answers 409 with the message, and
the client sends the same request again, which then sees the winner's records).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, models
from django.utils.translation import gettext_lazy as _
from psycopg import errors as pg_errors

Actor = AbstractBaseUser | AnonymousUser | None
"""Who acts: a signed-in user, the anonymous user, or ``None`` for the system."""

M = TypeVar("M", bound=models.Model)


class StaleVersion(Exception):
    """The record changed since the caller read it (the API answers 412)."""

    message = _(
        "This record was changed by someone else since you read it; reload it and try again."
    )
    code = "precondition_failed"


class Conflict(ValidationError):
    """A write that the current state refuses, whatever its input (the API answers 409,
    with the same entries as a 400): a second deal for one inquiry (with field keys), or a
    collision with a concurrent write (``concurrent_writes``: one message, code
    ``conflict``)."""


# What PostgreSQL raises when two transactions write the same rows at the same moment.
COLLISIONS = (pg_errors.UniqueViolation, pg_errors.DeadlockDetected, pg_errors.SerializationFailure)


@contextmanager
def concurrent_writes(message: Any) -> Iterator[None]:
    """Turn a collision with a concurrent transaction (a unique index broken by a row that
    another transaction committed meanwhile, a deadlock, a serialization failure) raised
    inside into ``Conflict(message)``. Use it outside the transaction, which is then
    already rolled back."""
    try:
        yield
    except (IntegrityError, OperationalError) as exc:
        if isinstance(exc.__cause__, COLLISIONS):
            raise Conflict(message, code="conflict") from exc
        raise


def acting_user(actor: Actor | Any) -> Any:
    """The user to record as having made a change: ``None`` for anonymous and the system."""
    return actor if getattr(actor, "is_authenticated", False) else None


def acting_user_id(actor: Actor | Any) -> int | None:
    user = acting_user(actor)
    return user.pk if user is not None else None


def check_version(record: Any, expected_version: int | None) -> None:
    """Raise ``StaleVersion`` unless ``expected_version`` is ``None`` or the record's own."""
    if expected_version is not None and expected_version != record.version:
        raise StaleVersion()


def locked(queryset: models.QuerySet[M], pk: Any, expected_version: int | None = None) -> M:
    """The row ``pk`` of ``queryset``, locked until the transaction ends, at the caller's
    version (``DoesNotExist`` when the queryset does not hold it)."""
    record = queryset.select_for_update().get(pk=pk)
    check_version(record, expected_version)
    return record


def stamp(record: Any, actor: Actor | Any, *, created: bool = False) -> None:
    """Mark a change of ``record`` by ``actor`` before it is saved.

    A new record keeps version 1 and gets ``created_by``; a changed one moves to the next
    version. The history row django-simple-history writes on save names the user.
    """
    user = acting_user(actor)
    if created:
        if hasattr(record, "created_by_id"):
            record.created_by = user
    elif hasattr(record, "version"):
        record.version += 1
    if hasattr(record, "updated_by_id"):
        record.updated_by = user
    history_user(record, user)


def history_user(record: Any, actor: Actor | Any) -> None:
    """Name the user on the history row the next save of ``record`` writes (for records
    without a version of their own, such as a patent's holdings)."""
    # django-simple-history reads this attribute when it writes the historical row.
    record._history_user = acting_user(actor)
