"""manage.py ensure_operator: an operator account exists afterwards, and says how to log in."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("ensure_operator", stdout=out)
    return out.getvalue()


def test_creates_the_operator_once_with_the_configured_password(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.OPERATOR_PASSWORD = "a long operator password"
    first = run()
    assert "created account 'operator'" in first
    assert "log in at /admin/ as 'operator'" in first
    user = authenticate(username="operator", password="a long operator password")
    assert user is not None
    assert user.is_staff
    assert user.is_superuser
    second = run()
    assert "created" not in second
    assert get_user_model().objects.filter(username="operator").count() == 1


def test_generates_and_keeps_a_password_in_development(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.OPERATOR_PASSWORD = ""
    output = run()
    password = (tmp_path / "operator_password").read_text().strip()
    assert password in output
    assert authenticate(username="operator", password=password) is not None


def test_refuses_to_invent_a_password_in_production(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.OPERATOR_PASSWORD = ""
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="OPERATOR_PASSWORD"):
        run()
    assert not get_user_model().objects.filter(username="operator").exists()


def test_refuses_a_non_staff_user_with_the_operator_name(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    get_user_model().objects.create_user("operator", password="x")
    with pytest.raises(CommandError, match="not an active staff"):
        run()
