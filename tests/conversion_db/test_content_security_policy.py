"""Every page says where its scripts may come from (django-csp): only this site. The admin
and Swagger UI run under that policy: no inline script in their pages, every script a file
served here."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "path",
    [
        "/api/docs/",
        "/admin/login/",
        "/admin/",
        "/admin/patents/patent/",
        "/admin/patents/licensingoffer/",
        "/admin/accounts/holderrequest/",
        "/admin/conversion_db/job/",
    ],
)
def test_pages_forbid_scripts_from_elsewhere_and_carry_none_inline(client, operator, path):
    if path != "/admin/login/":
        client.force_login(operator)
    response = client.get(path)
    assert response.status_code == 200, path
    rules = policy(response)
    assert rules["script-src"] == ["'self'"]
    assert rules["object-src"] == ["'none'"]
    assert rules["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in rules["script-src"]
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html), INLINE_SCRIPT.findall(html)


def test_swagger_ui_starts_from_a_script_file_it_serves(client):
    html = client.get("/api/docs/").content.decode()
    starters = re.findall(r'<script src="([^"]*api/docs[^"]*)"', html)
    assert starters, html
    script = client.get(starters[0])
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_api_answers_carry_the_policy_too(client):
    assert "default-src 'self'" in client.get("/api/v1/regions/310000/")["Content-Security-Policy"]
