"""The fixtures of tests/notifications/fixtures.py: reachable holders and enterprises."""

from tests.notifications.fixtures import (  # noqa: F401 - fixtures, found by name
    holder_a_clerk,
    holder_a_former,
    patent,
    reachable,
)
