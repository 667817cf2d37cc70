"""Admin: operators browse the reference schemes; nobody edits them by hand."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/patents/ipcclass/?q=锂离子电池", "H01M 10/0525"),
        ("/admin/patents/region/?q=浦东", "310115"),
        ("/admin/patents/techfield/", "计算机技术"),
    ],
)
def test_operator_searches_reference_data(client, operator, url, expected):
    client.force_login(operator)
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_reference_data_cannot_be_edited_in_the_admin(client, operator):
    client.force_login(operator)
    assert client.get("/admin/patents/ipcclass/add/").status_code == 403
    page = client.get("/admin/patents/region/310115/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_admin_speaks_english_on_request(client, operator):
    client.force_login(operator)
    chinese = client.get("/admin/patents/region/").content.decode()
    english = client.get("/admin/patents/region/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "行政区划" in chinese
    assert "regions" in english.lower()
