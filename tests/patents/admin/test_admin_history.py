"""History pages an operator can read (issue 17): the import batch of each change, "—" for
an empty reason or relation, choice labels instead of codes, times in Asia/Shanghai, the
patents added to or removed from an offer, and every header in Chinese."""

import datetime
import html
import re
import uuid

import pytest
from django.utils import timezone

from patents.licensing import offers
from patents.models import LicensingOffer
from tests.factories import OfferFactory, PatentFactory

pytestmark = pytest.mark.django_db


def rows(page):
    table = page[page.index('id="change-history"') :]
    return re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>") :], re.S)


def text(markup):
    plain = html.unescape(re.sub(r"<[^>]+>", " ", markup)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", plain).strip()


@pytest.fixture
def offer(operator, university_a, holder_a):
    first, second = (
        PatentFactory.create(
            actor=operator, application_number=number, title="储能装置", holders=[holder_a]
        )
        for number in ("201910209152.5", "201610920041.1")
    )
    made = OfferFactory.create(
        patents=[first],
        actor=university_a,
        offer_type="ordinary",
        title="储能装置普通许可",
        pricing_mode="negotiable",
        royalty_rate=None,
        term_start=None,
        term_end=None,
    )
    made = offers.offer_update(
        actor=university_a,
        offer=made,
        values={},
        patent_ids=[second.pk],
        expected_version=None,
    )
    offers.offer_submit(actor=university_a, offer=made, expected_version=None)
    return LicensingOffer.objects.get(pk=made.pk)


def test_the_offer_history_reads_in_chinese(client, operator, offer):
    client.force_login(operator)
    client.post(f"/admin/patents/licensingoffer/{offer.pk}/review/", {"decision": "approve"})
    page = client.get(f"/admin/patents/licensingoffer/{offer.pk}/history/").content.decode()
    table = page[page.index('id="change-history"') :]
    header = table[: table.index("</thead>")]
    assert "变更内容" in header
    assert "Changes" not in header
    assert "导入批次" in header
    newest, *_, oldest = [text(row) for row in rows(page)]
    assert "待审核 → 已发布" in newest  # labels, not pending_review → published
    assert "pending_review" not in page
    assert "pk=None" not in page
    assert "审核人: — → operator" in newest
    reviewed = timezone.localtime(LicensingOffer.objects.get(pk=offer.pk).reviewed_at)
    assert reviewed.utcoffset() == datetime.timedelta(hours=8)
    assert reviewed.strftime("%Y-%m-%d %H:%M") in newest  # Asia/Shanghai
    assert "None" not in page[page.index("<tbody>") :]
    added = [text(row) for row in rows(page) if "新增专利" in text(row)]
    assert any("新增专利：201910209152.5" in row for row in added)
    assert any(
        "新增专利：201610920041.1" in row and "移除专利：201910209152.5" in row for row in added
    )
    assert "新增专利：201910209152.5" in oldest


def test_the_offer_history_in_english(client, operator, offer):
    client.force_login(operator)
    page = client.get(
        f"/admin/patents/licensingoffer/{offer.pk}/history/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "patent removed: 201910209152.5" in page
    assert "draft → pending review" in text(page)


def test_the_history_shows_the_import_batch(client, operator, holder_a):
    from patents.imports.patents import PatentImport  # noqa: F401  (the kind the admin uses)
    from tests.patents.admin.test_admin_patents import GOOD, confirm, upload_as

    client.force_login(operator)
    assert confirm(client, upload_as(client, "p.csv", GOOD.encode(), "0").content.decode())
    from patents.models import Patent

    patent = Patent.objects.get(application_number="201910209152.5")
    page = client.get(f"/admin/patents/patent/{patent.pk}/history/").content.decode()
    batch = re.search(r'class="history-batch"><code>([0-9a-f-]+)</code>', page)
    assert batch
    assert uuid.UUID(batch.group(1)) == patent.import_batch
    assert '<td class="history-reason">—</td>' in page
