"""``manage.py ensure_operator``: make sure an operator (staff superuser) exists."""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create the operator account if it does not exist and print how to log in. "
        "Uses OPERATOR_USERNAME, OPERATOR_EMAIL and OPERATOR_PASSWORD; in development a "
        "missing password is generated and kept in var/operator_password."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        username = settings.OPERATOR_USERNAME
        password_file = settings.VAR_DIR / "operator_password"
        user = User.objects.filter(username=username).first()
        if user is None:
            password = settings.OPERATOR_PASSWORD
            if not password:
                if settings.PRODUCTION:
                    raise CommandError(
                        "OPERATOR_PASSWORD is required to create the operator in production."
                    )
                password = secrets.token_urlsafe(12)
                password_file.parent.mkdir(parents=True, exist_ok=True)
                password_file.write_text(password)
                password_file.chmod(0o600)
            User.objects.create_superuser(username, settings.OPERATOR_EMAIL, password)
            self.stdout.write(f"operator: created account '{username}'")
        elif not (user.is_staff and user.is_active):
            raise CommandError(f"User '{username}' exists but is not an active staff member.")

        if settings.OPERATOR_PASSWORD:
            hint = "the password in OPERATOR_PASSWORD"
        elif password_file.exists():
            hint = f"password {password_file.read_text().strip()} (kept in var/operator_password)"
        else:
            hint = f"the password set earlier (reset: python manage.py changepassword {username})"
        self.stdout.write(f"operator: log in at /admin/ as '{username}' with {hint}")
