"""API tokens (django-rest-knox): only the SHA-512 digest of a key is stored, so the key is
shown once, when the token is made. Every token has a name and an expiry
(``API_TOKEN_DAYS`` by default, at most ``API_TOKEN_MAX_DAYS``); a user revokes their own
by prefix (the key's first 15 characters, which the list shows)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken
from conversion_db.services import Actor, acting_user


@transaction.atomic
def token_create(*, actor: Actor, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token of the acting user: the record and the key (to show once)."""
    user = acting_user(actor)
    if user is None:
        raise ValidationError(_("Sign in to make a token."), code="not_authenticated")
    days = settings.API_TOKEN_DAYS if days is None else days
    errors: dict[str, list[ValidationError]] = {}
    name = " ".join(str(name or "").split())
    if not name:
        errors["name"] = [ValidationError(_("Give the token a name."), code="required")]
    elif len(name) > 100:
        errors["name"] = [ValidationError(_("At most 100 characters."), code="max_length")]
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors["expires_in_days"] = [
            ValidationError(
                _("A token lasts from 1 to %(limit)d days.")
                % {"limit": settings.API_TOKEN_MAX_DAYS},
                code="invalid_expiry",
            )
        ]
    if errors:
        raise ValidationError(errors)
    token, key = ApiToken.objects.create(user, expiry=datetime.timedelta(days=days), name=name)
    return token, key


@transaction.atomic
def token_revoke(*, actor: Actor, prefix: str) -> int:
    """Delete the acting user's tokens with this prefix; how many there were (0: none)."""
    user = acting_user(actor)
    if user is None or not prefix:
        return 0
    deleted, _by_model = ApiToken.objects.filter(user=user, token_key=prefix).delete()
    return deleted


def token_revoke_current(*, token: Any) -> None:
    """Sign out a token client: the token it used stops working."""
    if isinstance(token, ApiToken):
        ApiToken.objects.filter(digest=token.digest).delete()


def tokens_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete expired tokens (they no longer authenticate; a daily clean-up)."""
    deleted, _by_model = ApiToken.objects.filter(expiry__lt=now or timezone.now()).delete()
    return deleted
