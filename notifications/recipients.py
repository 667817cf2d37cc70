"""Who ``notify`` tells, found without knowing what a holder or an enterprise is.

``notifications`` sits below ``patents`` and ``enterprises`` and imports neither. A
recipient is either a user, or an *organisation*: any model instance that answers the
small ``Organisation`` protocol below,

- ``contact_email``: the organisation's own address (blank when it has none), which gets
  the e-mail;
- ``notification_members()``: the users who act for it, each of whom gets the
  notification in their inbox, and the e-mail when they have an address.

``patents.Holder`` and ``enterprises.Enterprise`` answer it (their members are the
users of their memberships); an app that adds another kind of organisation adds the
same two members. Who counts as a member is the organisation's business: the method is
where memberships, roles or deactivated accounts are decided.

Rules: a user is told once per notification even when they belong to two organisations
told; an inactive user is not told; every address is e-mailed once (case-insensitively),
whoever it belongs to. A user without an address (or with one that is not an address)
still gets the inbox entry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

logger = logging.getLogger(__name__)


@runtime_checkable
class Organisation(Protocol):
    """What ``notify`` needs from a holder, an enterprise or any other organisation."""

    pk: Any
    contact_email: str

    def notification_members(self) -> Iterable[Any]:
        """The users to tell (each gets the inbox entry and, with an address, the e-mail)."""
        ...


Party = Organisation | AbstractBaseUser
"""Whom ``notify`` can tell: an organisation or a user."""


@dataclass(frozen=True)
class Addressee:
    """One row to write: a user (``user`` set) or an organisation's contact address."""

    user: Any | None
    email: str
    organisation: models.Model | None


@dataclass(frozen=True)
class Audience:
    """Everyone a notification reaches: the rows, the addresses to e-mail once each, and a
    label for the log."""

    addressees: list[Addressee]
    addresses: list[str]
    label: str


def usable_address(raw: Any) -> str:
    """``raw`` as an address to send to, or "" when it is blank or not an address (an
    account's address is not always checked; one bad address must not stop a write)."""
    address = str(raw or "").strip()
    if not address:
        return ""
    try:
        validate_email(address)
    except ValidationError:
        logger.warning("notifications: %r is not an e-mail address; not mailed", address)
        return ""
    return address


def _email_of(user: Any) -> str:
    return usable_address(getattr(user, user.get_email_field_name(), ""))


def _label(recipient: Any) -> str:
    if isinstance(recipient, AbstractBaseUser):
        return recipient.get_username()
    meta = getattr(recipient, "_meta", None)
    kind = str(meta.verbose_name) if meta is not None else type(recipient).__name__
    return f"{kind} {recipient}"


def audience(recipients: Sequence[Party]) -> Audience:
    """The rows and addresses of ``recipients`` under the rules of the module docstring.

    One query per organisation (its members); none for users given directly."""
    rows: list[Addressee] = []
    users_seen: set[Any] = set()
    for recipient in recipients:
        if isinstance(recipient, AbstractBaseUser):
            organisation, members, contact = None, [recipient], ""
        elif isinstance(recipient, Organisation):
            organisation = recipient if isinstance(recipient, models.Model) else None
            members = list(recipient.notification_members())
            contact = usable_address(recipient.contact_email)
        else:
            raise TypeError(f"Cannot notify {recipient!r}: not a user or an organisation.")
        if contact:
            rows.append(Addressee(user=None, email=contact, organisation=organisation))
        for user in members:
            if not user.is_active or user.pk in users_seen:
                continue
            users_seen.add(user.pk)
            rows.append(Addressee(user=user, email=_email_of(user), organisation=organisation))
    addresses: dict[str, str] = {}
    for row in rows:
        if row.email:
            addresses.setdefault(row.email.lower(), row.email)
    label = "; ".join(_label(recipient) for recipient in recipients)
    return Audience(addressees=rows, addresses=list(addresses.values()), label=label)
