"""Users and what they act for: holder and enterprise memberships.

Memberships have no write service (operators grant them in the admin, which saves the row
as it is), so their factories save the model directly.
"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from enterprises.models import EnterpriseMembership
from patents.models import HolderMembership

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user who can sign in with ``PASSWORD``; ``is_staff=True`` for an operator."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class HolderMembershipFactory(factory.django.DjangoModelFactory):
    """``user`` acts for ``holder`` (a tech-transfer office's member)."""

    class Meta:
        model = HolderMembership

    holder = factory.SubFactory("tests.factories.patents.HolderFactory")
    user = factory.SubFactory(UserFactory)
    role = HolderMembership.Role.MEMBER


class EnterpriseMembershipFactory(factory.django.DjangoModelFactory):
    """``user`` acts for ``enterprise`` (``role="admin"`` for its administrator)."""

    class Meta:
        model = EnterpriseMembership

    enterprise = factory.SubFactory("tests.factories.enterprises.EnterpriseFactory")
    user = factory.SubFactory(UserFactory)
    role = EnterpriseMembership.Role.MEMBER
