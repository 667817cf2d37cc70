"""``Authorization: Token <key>``: django-rest-knox's hashed tokens (``accounts.models.ApiToken``),
noting when each was last used (at most once every ``LAST_USED_EVERY``, so that a busy
client does not write on every request)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from accounts.models import ApiToken

LAST_USED_EVERY = datetime.timedelta(minutes=5)


class TokenAuthentication(KnoxTokenAuthentication):
    def validate_user(self, auth_token: Any) -> tuple[Any, Any]:
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(digest=token.digest).update(last_used_at=now)
            token.last_used_at = now
        return user, token
