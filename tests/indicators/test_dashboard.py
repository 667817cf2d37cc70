"""The admin index opens on the operators' dashboard: the work waiting, each count linking
to the filtered list of exactly those records, and each of the city's targets beside what
this database computes and what was published, with a small chart (server-drawn SVG)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from accounts.services.holders import holder_register
from enterprises.models import Deal, Inquiry
from indicators.models import Target
from tests.factories import DealFactory, InquiryFactory, OfferFactory, PatentFactory, UserFactory

pytestmark = pytest.mark.django_db


def queue_links(html: str) -> dict[str, tuple[str, int]]:
    """Each queue's label -> (its link, its count), as the dashboard shows them."""
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td class="count"><a href="([^"]+)">(\d+)</a>', html
    )
    return {label.strip(): (url.replace("&amp;", "&"), int(count)) for label, url, count in rows}


@pytest.fixture
def waiting_work(operator, holder_a, university_a, sme, enterprise_s):
    """Two offers to review, a holder to verify, an inquiry unanswered for five days and a
    deal a day past its recordation deadline, besides work that does not wait."""
    first = PatentFactory.create(actor=operator, holders=[holder_a], title="一种储能装置")
    second = PatentFactory.create(actor=operator, holders=[holder_a], title="一种电池")
    for patent in (first, second):
        OfferFactory.create(
            patents=[patent], actor=university_a, reviewer=operator, status="pending_review"
        )
    holder_register(
        actor=UserFactory.create(username="registrant"),
        values={"name": "示例大学", "kind": "university", "uscc": "12100000425006117P"},
    )
    old = InquiryFactory.create(enterprise=enterprise_s, actor=sme, patent=first)
    Inquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    InquiryFactory.create(enterprise=enterprise_s, actor=sme, patent=second)  # new: not late
    concluded = InquiryFactory.create(enterprise=enterprise_s, actor=sme, patent=second)
    deal = DealFactory.create(inquiry=concluded, actor=university_a)
    Deal.objects.filter(pk=deal.pk).update(
        recordation_due=timezone.localdate() - datetime.timedelta(days=1)
    )


def test_the_dashboard_counts_the_work_waiting_and_links_to_it(client, operator, waiting_work):
    client.force_login(operator)
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    queues = queue_links(page.content.decode())
    counts = {label: count for label, (_url, count) in queues.items()}
    assert counts == {
        "Offers waiting for review": 2,
        "Holders to verify": 1,
        "Requests to join a holder": 0,
        "Inquiries unanswered for 3 days or more": 1,
        "Deals past their recordation deadline": 1,
        "Background jobs that failed": 0,
    }
    # Each number leads to the list of exactly what it counts.
    for label, (url, count) in queues.items():
        listed = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert listed.status_code == 200, (label, url)
        assert "?e=1" not in listed.url if hasattr(listed, "url") else True
        shown = listed.context["cl"].result_count
        assert shown == count, (label, url, shown)


def test_the_dashboard_shows_each_target_with_the_computed_and_published_values(client, operator):
    client.force_login(operator)
    for language, heading, label in [
        ("en", "The city's targets", "High-value invention patents per 10,000 residents"),
        ("zh-hans", "城市目标", "每万人口高价值发明专利拥有量"),
    ]:
        html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert heading in html
        assert label in html
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    targets = Target.objects.all()
    assert targets.count() >= 1
    rows = re.findall(r'<td class="target">([^<]+)', html)
    assert len(rows) == targets.count()
    high_value = Target.objects.get(region_id="310000", indicator="high_value_inventions_per_10k")
    assert (
        f"at least {high_value.value.normalize():f}" in html
        or f"at least {high_value.value}" in html
    )
    assert html.count('<svg class="sparkline"') == targets.count()
    assert "/api/v1/indicators/?region=310000&amp;year=" in html


def test_only_operators_see_the_dashboard(client, sme):
    sme.is_staff = False
    sme.save()
    client.force_login(sme)
    assert "operator-dashboard" not in client.get("/admin/", follow=True).content.decode()
