"""An operator who mistypes an admin address sees the admin's own page, in their language,
not Django's bare "Not Found" (issue 17)."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("language", "text"), [("zh-hans", "页面没有找到"), ("en", "Page not found")]
)
def test_a_missing_admin_page_is_the_admins_styled_404(client, operator, language, text):
    client.force_login(operator)
    response = client.get("/admin/patents/nothing-here/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    page = response.content.decode()
    assert text in page
    assert 'id="site-name"' in page  # the admin's header, with its styles
    assert "/admin/logout/" in page
    assert "Traceback" not in page


@override_settings(DEBUG=False)
def test_a_missing_admin_record_is_the_admins_styled_404(client, operator):
    client.force_login(operator)
    response = client.get("/admin/patents/patent/999999999/history/")
    assert response.status_code == 404
    assert 'id="site-name"' in response.content.decode()
