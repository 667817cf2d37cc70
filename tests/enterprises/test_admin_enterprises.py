"""Admin of the demand side: service rules in the forms, verify action, size class shown,
import through the service, every changelist answers."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Enterprise
from tests.factories import DemandFactory

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "name": "上海测试软件有限公司",
        "name_en": "",
        "uscc": "91310115MA1K3BTP2B",
        "region": "310115",
        "address": "",
        "industry_code": "I6513",
        "employees": "99",
        "revenue_cny": "50000000",
        "assets_cny": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "version": "1",
        "designations-TOTAL_FORMS": "0",
        "designations-INITIAL_FORMS": "0",
        "designations-MIN_NUM_FORMS": "0",
        "designations-MAX_NUM_FORMS": "1000",
    }
    return {**data, **overrides}


def test_the_enterprise_form_runs_the_service_rules_and_computes_the_size(client, operator):
    client.force_login(operator)
    bad = client.post(
        "/admin/enterprises/enterprise/add/", form(industry_code="C65"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert bad.status_code == 200
    assert "belongs to section" in bad.content.decode()
    assert not Enterprise.objects.exists()
    good = client.post("/admin/enterprises/enterprise/add/", form())
    assert good.status_code == 302, good.content.decode()[:2000]
    enterprise = Enterprise.objects.get()
    assert enterprise.size_class == "small"
    page = client.get(f"/admin/enterprises/enterprise/{enterprise.pk}/change/").content.decode()
    assert "从业人员" in page  # the size reason is shown
    assert enterprise.history.get().history_user == operator


def test_a_stale_edit_is_refused(client, operator, enterprise_s):
    client.force_login(operator)
    Enterprise.objects.filter(pk=enterprise_s.pk).update(version=2)
    response = client.post(
        f"/admin/enterprises/enterprise/{enterprise_s.pk}/change/",
        form(uscc=enterprise_s.uscc, name="覆盖", version="1"),
    )
    assert response.status_code == 200
    enterprise_s.refresh_from_db()
    assert enterprise_s.name != "覆盖"


def test_verify_action_goes_through_the_service(client, operator, enterprise_s):
    client.force_login(operator)
    client.post(
        "/admin/enterprises/enterprise/",
        {"action": "mark_verified", "_selected_action": [enterprise_s.pk]},
        follow=True,
    )
    enterprise_s.refresh_from_db()
    assert enterprise_s.verified is True
    assert enterprise_s.version == 2


def test_import_is_all_or_nothing_through_the_service(client, operator):
    client.force_login(operator)
    csv = (
        "uscc,name,industry_code,employees,revenue_cny\n"
        "91310115MA1K3BTP2B,甲公司,I6513,99,50000000\n"
        "91310115MA1K3BTP2C,乙公司,I6513,5,100\n"  # wrong check character
    )
    response = client.post(
        "/admin/enterprises/enterprise/import/",
        {
            "import_file": SimpleUploadedFile("e.csv", csv.encode(), content_type="text/csv"),
            "format": "0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert not Enterprise.objects.exists()
    page = response.content.decode()
    assert "check character" in page or "last character" in page, page[-3000:]
    errors = page[page.index('id="import-errors"') :]
    assert re.search(r'<tr class="import-error">\s*<td>3</td>\s*<td><code>uscc</code>', errors)
    assert re.search(r'class="count-errors">1<', page)


@pytest.mark.parametrize(
    ("language", "heading"), [("zh-hans", "可导入的列"), ("en", "Accepted columns")]
)
def test_the_enterprise_import_screen_lists_its_columns(client, operator, language, heading):
    client.force_login(operator)
    page = client.get("/admin/enterprises/enterprise/import/", HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    assert heading in text
    for column in ("uscc", "name", "industry_code", "employees"):
        assert f"<code>{column}</code>" in text


@pytest.mark.parametrize(
    "model",
    [
        "enterprise",
        "enterprisemembership",
        "sizestandard",
        "technologydemand",
        "match",
        "inquiry",
        "deal",
    ],
)
def test_every_changelist_answers(client, operator, model):
    client.force_login(operator)
    assert client.get(f"/admin/enterprises/{model}/").status_code == 200


def test_a_closed_demand_reads_closed_not_closed_at_in_the_list_and_its_filter(
    client, operator, sme, enterprise_s
):
    from enterprises.services.demands import demand_close

    demand = DemandFactory.create(actor=sme, enterprise=enterprise_s, open_now=True)
    demand_close(actor=operator, demand=demand, expected_version=None)
    client.force_login(operator)
    page = client.get("/admin/enterprises/technologydemand/").content.decode()
    assert "?status__exact=closed" in page
    assert page.count("已关闭") >= 2  # the row and the filter
    assert "关闭时间" not in page
    english = client.get("/admin/enterprises/technologydemand/", HTTP_ACCEPT_LANGUAGE="en")
    assert ">closed<" in english.content.decode()


def test_the_demand_titles_column_is_wide_enough_to_read(client, operator, sme, enterprise_s):
    from django.contrib.staticfiles import finders

    DemandFactory.create(actor=sme, enterprise=enterprise_s)
    client.force_login(operator)
    page = client.get("/admin/enterprises/technologydemand/").content.decode()
    assert "enterprises/admin.css" in page
    assert 'class="field-title_display"' in page
    found = finders.find("enterprises/admin.css")
    assert isinstance(found, str)
    css = Path(found).read_text(encoding="utf-8")
    assert ".field-title_display" in css
    assert "min-width" in css
