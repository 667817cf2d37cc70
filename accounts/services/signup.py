"""Sign-up and e-mail verification, with django-allauth as the engine.

A person signs up with an e-mail address and a password (Django's password validators);
allauth creates the user (the username is derived from the address) and the unverified
address, and mails the verification link (``accounts.adapter`` points it at the API). Until
the address is verified the person cannot sign in. A second sign-up with a taken address
answers exactly like a new one and mails the address's owner instead, so that the API does
not tell who has an account.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as allauth_signals
from allauth.account.forms import SignupForm
from allauth.account.models import EmailAddress, EmailConfirmation, EmailConfirmationHMAC
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

FORM_FIELDS = {"password1": "password"}  # allauth's form field -> the API's field


def form_errors(form: Any) -> ValidationError:
    """A form's errors as one ValidationError keyed by the API's field names."""
    errors: dict[str, list[ValidationError]] = {}
    for field, found in form.errors.as_data().items():
        key = FORM_FIELDS.get(field, field)
        errors.setdefault("non_field_errors" if key == "__all__" else key, []).extend(found)
    return ValidationError(errors)


@transaction.atomic
def signup(*, request: HttpRequest, email: str, password: str) -> Any:
    """Create the account and mail the verification link; ``None`` when the address already
    has an account (its owner gets a mail saying so)."""
    form = SignupForm(data={"email": email, "password1": password})
    if not form.is_valid():
        raise form_errors(form)
    if form.account_already_exists:
        from accounts import mail

        transaction.on_commit(lambda: mail.send_account_exists(form.cleaned_data["email"]))
        return None
    user = form.save(request)
    address = (
        EmailAddress.objects.get_primary(user) or EmailAddress.objects.filter(user=user).first()
    )
    if address is not None:
        transaction.on_commit(lambda: send_verification(request, address, signup=True))
    allauth_signals.user_signed_up.send(sender=get_user_model(), request=request, user=user)
    return user


def send_verification(request: HttpRequest, address: EmailAddress, *, signup: bool) -> None:
    """allauth's verification mail (its link from ``accounts.adapter``), also when sent after
    the request's transaction, outside allauth's per-request context."""
    with allauth_context.request_context(request):
        address.send_confirmation(request, signup=signup)


def confirmation_for(key: str) -> Any:
    """The pending confirmation a mailed key stands for, or ``None`` (unknown or expired)."""
    confirmation = EmailConfirmationHMAC.from_key(key)
    if confirmation is None:
        confirmation = (
            EmailConfirmation.objects.all_valid()
            .select_related("email_address__user")
            .filter(key=key.lower())
            .first()
        )
    return confirmation


@transaction.atomic
def verify_email(*, request: HttpRequest, key: str) -> EmailAddress:
    """Mark the address a verification key was mailed to as verified."""
    confirmation = confirmation_for(key)
    invalid = ValidationError(
        {
            "key": ValidationError(
                _(
                    "This verification link is invalid or has expired; ask for a new one "
                    "(POST /api/v1/auth/verify-email/resend/)."
                ),
                code="invalid_key",
            )
        }
    )
    if confirmation is None:
        raise invalid
    address = confirmation.email_address
    if address.verified:
        return address
    confirmed = confirmation.confirm(request)
    if confirmed is None:
        raise invalid
    return confirmed


def resend_verification(*, request: HttpRequest, email: str) -> None:
    """Mail a new verification link to an address that has an account and is not verified
    yet (silently nothing otherwise: the answer must not tell who has an account)."""
    address = (
        EmailAddress.objects.filter(email__iexact=email.strip(), verified=False)
        .select_related("user")
        .first()
    )
    if address is not None:
        send_verification(request, address, signup=False)


def email_verified(user: Any) -> bool:
    """Whether the user may sign in as far as the address goes: a verified address, or an
    account made by an operator (no address recorded by sign-up)."""
    addresses = list(EmailAddress.objects.filter(user=user).values_list("verified", flat=True))
    return not addresses or any(addresses)
