"""Shared fixtures: a real PostgreSQL with the reference data, and named personas.

The test database lives on the same PostgreSQL the project uses (``DATABASE_URL``, or
the embedded cluster started on first connection); pytest-django creates and drops
``test_<name>``. Reference data (IPC, regions) is seeded once per session; tests run in
transactions that roll back, so do not use ``transaction=True`` (it would flush it).

Personas, for this and later issues:
- ``anonymous``: no credentials;
- ``operator``: staff who curates everything;
- ``university_a`` and ``university_b``: members of two different holders;
- ``sme``: a member of an enterprise.
Holder memberships are attached (``holder_a``, ``holder_b``, both verified: their offers may
be published); ``sme`` administers the
enterprise ``enterprise_s`` and ``sme_other`` another one (``enterprise_t``). ``patent_a`` is a
granted invention of ``holder_a``. They are made with ``tests.factories``, through the
product's services, like every record a test needs.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import (
    EnterpriseFactory,
    EnterpriseMembershipFactory,
    HolderFactory,
    HolderMembershipFactory,
    PatentFactory,
    UserFactory,
)

pytest_plugins = ["tests.support.live"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # Reference schemes only: tests create the patents they need.
        call_command("seed", "--reference-only", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _fast_and_unthrottled(settings, tmp_path):
    """Fast password hashing; throttling rates high enough that only its own tests hit them;
    empty caches; no trained IPC model (a folder of the test's own: a developer's
    var/models/ does not answer suggest_ipc in tests); an empty search index of its own."""
    settings.IPC_MODEL_DIR = tmp_path / "ipc-models"
    # A search index of the test's own, fed from its transaction: a search first applies
    # the outbox entries the test's writes left (patents/search/outbox.py).
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.SEARCH_INDEX_APPLY_ON_READ = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    # Tests roll back, but the search generation (a sequence) does not: a page cached in one
    # test could otherwise answer the same request in the next one, over other data.
    for store in (cache, caches["search"]):
        store.clear()
    yield
    for store in (cache, caches["search"]):
        store.clear()


@pytest.fixture
def operator(db):
    return UserFactory.create(username="operator", is_staff=True, is_superuser=True)


@pytest.fixture
def holder_a(db):
    return HolderFactory.create(
        name="甲大学", name_en="University A", kind="university", region="310110", verified=True
    )


@pytest.fixture
def patent_a(operator, holder_a):
    """A granted invention in force, held by ``holder_a`` (lithium battery, H01M 10/0525):
    filed 2019-03-21, granted 2021-06-01 (the factory's defaults)."""
    return PatentFactory.create(
        actor=operator,
        application_number="201910209152.5",
        title="一种锂离子电池正极材料",
        ipc_codes=["H01M 10/0525"],
        holders=[holder_a],
    )


@pytest.fixture
def holder_b(db):
    return HolderFactory.create(
        name="乙研究所",
        name_en="Institute B",
        kind="research_institute",
        region="310115",
        verified=True,
    )


@pytest.fixture
def university_a(db, holder_a):
    """A member of holder A's tech-transfer office."""
    user = UserFactory.create(username="tto_university_a", email="")
    HolderMembershipFactory.create(holder=holder_a, user=user)
    return user


@pytest.fixture
def university_b(db, holder_b):
    """A member of holder B, who must not touch A's records."""
    user = UserFactory.create(username="tto_university_b", email="")
    HolderMembershipFactory.create(holder=holder_b, user=user)
    return user


@pytest.fixture
def enterprise_s(db):
    return EnterpriseFactory.create(
        name="上海示例新材料科技有限公司", uscc="91440300708461136T", region="310115"
    )


@pytest.fixture
def enterprise_t(db):
    return EnterpriseFactory.create(name="另一家企业", uscc="914403001922038216")


@pytest.fixture
def sme(db, enterprise_s):
    """A member of enterprise S (an SME looking for technology)."""
    user = UserFactory.create(username="sme_member", email="sme_member@example.org")
    EnterpriseMembershipFactory.create(enterprise=enterprise_s, user=user, role="admin")
    return user


@pytest.fixture
def sme_other(db, enterprise_t):
    """A member of another enterprise, who must see nothing of S's records."""
    user = UserFactory.create(username="sme_other", email="sme_other@example.org")
    EnterpriseMembershipFactory.create(enterprise=enterprise_t, user=user)
    return user


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for() -> Callable[..., APIClient]:
    """``client_for(user, language="en")``: an API client signed in as ``user``."""

    def make(user=None, language: str | None = None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        if language:
            client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(call)``: run a request with its on-commit work (the e-mail, deferred
    jobs) done, as once its transaction commits in production (a test's never does)."""

    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()

    return run
