"""Fixtures of the notification and job tests (their conftest.py files import them):
organisations that can be reached in every way a notification reaches someone.

``holder_a`` gets a contact address; ``university_a`` (its member) an address of their
own; ``holder_a_clerk`` is a second member without an address, ``holder_a_former`` a
member whose account is deactivated. ``enterprise_s`` gets a contact address too; ``sme``
(its administrator) has one already (tests/conftest.py).
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from patents.models import HolderMembership
from patents.register import services
from patents.register.services import HoldingInput, PatentInput
from tests.factories import PASSWORD
from tests.notifications.helpers import ENTERPRISE_CONTACT, HOLDER_CONTACT, MEMBER_EMAIL


@pytest.fixture
def reachable(holder_a, university_a, enterprise_s, sme):
    """holder_a and enterprise_s with contact addresses, their members as described above."""
    holder_a.contact_email = HOLDER_CONTACT
    holder_a.save()
    university_a.email = MEMBER_EMAIL
    university_a.save()
    enterprise_s.contact_email = ENTERPRISE_CONTACT
    enterprise_s.save()
    return holder_a


@pytest.fixture
def holder_a_clerk(holder_a):
    user = get_user_model().objects.create_user("clerk_a", password=PASSWORD)
    HolderMembership.objects.create(holder=holder_a, user=user)
    return user


@pytest.fixture
def holder_a_former(holder_a):
    user = get_user_model().objects.create_user(
        "former_a", email="former@a.example.org", password=PASSWORD, is_active=False
    )
    HolderMembership.objects.create(holder=holder_a, user=user)
    return user


@pytest.fixture
def patent(operator, holder_a):
    """A granted invention of holder_a with an English title."""
    return services.patent_create(
        actor=operator,
        data=PatentInput(
            values={
                "application_number": "201910209152.5",
                "title": "一种锂离子电池正极材料",
                "title_en": "Cathode material for lithium-ion batteries",
                "ipc_codes": ["H01M 10/0525"],
                "filing_date": datetime.date(2019, 3, 21),
                "grant_date": datetime.date(2021, 6, 1),
                "legal_status": "in_force",
            },
            holdings=[HoldingInput(holder_a)],
        ),
    )
