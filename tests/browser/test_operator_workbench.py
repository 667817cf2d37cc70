"""A real headless browser (Chromium from the system packages, driven by Selenium through
the system's chromedriver) works the admin as an operator would, against a live server
over this test's transaction (``tests.support.live.live_site``): it signs in through
/admin/login/ in Chinese and in English, reads each target's computed value and target
and each queue's count on the dashboard, follows a count to the filtered list behind it,
previews an import (a file with an error, then a good one, confirmed) and reads the
history pages, asserting what issue 17 fixed there.

Screenshots of every screen are saved under ``var/screenshots/`` (ignored by git; the
path is printed). Without Chromium and chromedriver the test is skipped with the reason:
``make test`` installs both when it runs as root with apt-get (README, Tests).
"""

from __future__ import annotations

import datetime
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation

from conversion_db.models import ImportRun
from conversion_db.tabular.files import FileFormat
from enterprises.models import Deal, Inquiry
from indicators.dashboard import plain, targets_progress, work_waiting
from indicators.models import Snapshot
from patents.imports.patents import PatentImport
from patents.licensing import offers
from patents.models import LicensingOffer, Patent
from tests.factories import (
    PASSWORD,
    DealFactory,
    InquiryFactory,
    OfferFactory,
    PatentFactory,
    UserFactory,
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER),
        reason="no Chromium/chromedriver on this machine: apt-get install chromium "
        "chromium-driver (make test installs them when run as root with apt-get)",
    ),
]

GOOD = (
    "application_number,title,ipc_codes,current_holders,filing_date\n"
    "201910209152.5,一种锂离子电池正极材料,H01M 10/0525,甲大学,2019-03-21\n"
)
BAD = GOOD + "201910209152.7,校验位错误,H01M,,\n"  # a wrong check character on row 3
PCT_THIS_CYCLE = 3  # patents of Shanghai holders with a PCT application filed in 2025


@pytest.fixture(scope="module")
def screenshots() -> Path:
    folder = SCREENSHOTS / datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def browser(screenshots: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # tests run as root in CI
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1100",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def known_work(operator, holder_a, university_a, sme, enterprise_s):
    """Work waiting in known numbers, an offer approved (its history has a reviewer set
    from none), a refused import, and three PCT applications of 2025 in Shanghai."""
    patents = [
        PatentFactory.create(
            actor=operator,
            holders=[holder_a],
            title=f"一种储能装置{n}",
            pct_application_number=f"PCT/CN2025/00000{n}",
        )
        for n in range(1, PCT_THIS_CYCLE + 1)
    ]
    waiting = [
        OfferFactory.create(
            patents=[patent],
            actor=university_a,
            reviewer=operator,
            status="pending_review",
            title=f"储能装置普通许可{n}",
        )
        for n, patent in enumerate(patents[:2], start=1)
    ]
    reviewed = OfferFactory.create(
        patents=[patents[2]],
        actor=university_a,
        offer_type="ordinary",
        title="已审核的储能装置许可",
        pricing_mode="negotiable",
        royalty_rate=None,
        term_start=None,
        term_end=None,
    )
    offers.offer_submit(actor=university_a, offer=reviewed, expected_version=None)
    offers.offer_review(
        actor=operator,
        offer=LicensingOffer.objects.get(pk=reviewed.pk),
        approve=True,
        note="",
        expected_version=None,
    )
    from accounts.services.holders import holder_register

    holder_register(
        actor=UserFactory.create(username="registrant"),
        values={"name": "示例大学", "kind": "university", "uscc": "12100000425006117P"},
    )
    old = InquiryFactory.create(enterprise=enterprise_s, actor=sme, patent=patents[0])
    Inquiry.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    concluded = InquiryFactory.create(enterprise=enterprise_s, actor=sme, patent=patents[1])
    deal = DealFactory.create(inquiry=concluded, actor=university_a)
    Deal.objects.filter(pk=deal.pk).update(
        recordation_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    import io

    refused = PatentImport.import_file(
        actor=operator, stream=io.BytesIO(BAD.encode()), file_format=FileFormat.CSV
    )
    assert refused.error_count == 1
    return {"waiting": waiting, "reviewed": reviewed}


def shoot(driver: Any, folder: Path, name: str) -> None:
    """The whole page (up to 5,000 px high), not only the window."""
    width, height = driver.get_window_size().values()
    for _ in range(3):  # the admin's layout grows with the window: measure again
        full = driver.execute_script(
            "return Math.max(...[...document.querySelectorAll('html, body, #main, #content')]"
            ".map(e => e.scrollHeight + e.getBoundingClientRect().top + window.scrollY))"
        )
        driver.set_window_size(width, min(max(full + 150, height), 5000))
    try:
        driver.save_screenshot(str(folder / f"{name}.png"))
    finally:
        driver.set_window_size(width, height)


def sign_in(driver: Any, base: str, language: str, folder: Path) -> None:
    from selenium.webdriver.common.by import By

    driver.delete_all_cookies()
    driver.get(f"{base}/admin/login/?next=/admin/")
    driver.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language})
    driver.get(f"{base}/admin/login/?next=/admin/")
    heading = driver.find_element(By.CSS_SELECTOR, "#site-name, h1").text
    assert heading
    login_label = driver.find_element(By.CSS_SELECTOR, "input[type=submit]").get_attribute("value")
    assert login_label == {"zh-hans": "登录", "en": "Log in"}[language]
    driver.find_element(By.ID, "id_username").send_keys("operator")
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    shoot(driver, folder, f"01-login-{language}")
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    driver.find_element(By.ID, "operator-dashboard")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == language


def text_of(element: Any) -> str:
    return re.sub(r"\s+", " ", element.text).strip()


def read_dashboard(driver: Any) -> dict[str, Any]:
    from selenium.webdriver.common.by import By

    board = driver.find_element(By.ID, "operator-dashboard")
    queues = {}
    for row in board.find_elements(By.CSS_SELECTOR, "table.dashboard-queues tr"):
        link = row.find_element(By.CSS_SELECTOR, "td.count a")
        queues[text_of(row.find_element(By.TAG_NAME, "th"))] = (
            int(link.text),
            link.get_attribute("href"),
        )
    targets = []
    for row in board.find_elements(By.CSS_SELECTOR, "table.dashboard-targets tbody tr"):
        targets.append(
            {
                "label": text_of(row.find_element(By.TAG_NAME, "th")),
                "computed": row.find_element(By.CSS_SELECTOR, "td.computed a").text,
                "target": text_of(row.find_element(By.CSS_SELECTOR, "td.target")),
                "charts": len(row.find_elements(By.CSS_SELECTOR, "td.chart svg")),
            }
        )
    imports = [
        text_of(row)
        for row in board.find_elements(By.CSS_SELECTOR, "table.dashboard-imports tbody tr")
    ]
    snapshot = text_of(board.find_element(By.CSS_SELECTOR, "p.snapshot"))
    return {"queues": queues, "targets": targets, "imports": imports, "snapshot": snapshot}


def expected_queues(language: str) -> dict[str, int]:
    with translation.override(language):
        counts = {str(queue.label): queue.count for queue in work_waiting()}
    assert list(counts.values()) == [2, 1, 0, 1, 1, 0]  # the known work, in the known order
    return counts


def shown(value: Any) -> str:
    return "—" if value is None else f"{plain(value)}"


def upload(driver: Any, base: str, path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(f"{base}/admin/patents/patent/import/")
    driver.find_element(By.NAME, "import_file").send_keys(str(path))
    Select(driver.find_element(By.NAME, "format")).select_by_value("0")  # CSV
    driver.find_element(By.CSS_SELECTOR, "form input[type=submit]").click()


def test_an_operator_works_the_admin_in_a_real_browser(
    browser, live_site, known_work, operator, tmp_path, screenshots, capsys
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    for language in ("zh-hans", "en"):
        sign_in(browser, live_site, language, screenshots)
        shoot(browser, screenshots, f"02-dashboard-{language}")
        seen = read_dashboard(browser)

        # Each queue's count, as the selectors count it (and the known numbers).
        assert {label: count for label, (count, _url) in seen["queues"].items()} == (
            expected_queues(language)
        )
        # Each target with the value the snapshot holds, and the target itself.
        with translation.override(language):
            board = targets_progress()
            rows = board.rows
            expected = [
                (str(row.label), shown(row.computed), row.target.value, row.target.year)
                for row in rows
            ]
        assert board.snapshot is not None
        assert Snapshot.objects.count() == 1  # the first dashboard took it; later ones read it
        assert len(seen["targets"]) == len(expected) >= 4
        for got, (label, computed, target, year) in zip(seen["targets"], expected, strict=True):
            assert got["label"].startswith(label)
            assert got["computed"] == computed
            assert f"{plain(target)}" in got["target"]
            assert str(year) in got["target"]
            assert got["charts"] == 1
        [pct] = [
            got
            for got, row in zip(seen["targets"], rows, strict=True)
            if row.target.indicator == "pct_applications"
        ]
        assert pct["computed"] == str(PCT_THIS_CYCLE)
        taken = timezone.localtime(board.snapshot.taken_at).strftime("%Y-%m-%d %H:%M")
        assert taken in seen["snapshot"]
        # The refused import, with its error by row and column.
        [refused] = seen["imports"]
        assert "patents" in refused
        assert {"zh-hans": "第 3 行", "en": "row 3"}[language] in refused
        assert "application_number" in refused

    # A count leads to the filtered list of exactly those records (in English now).
    count, url = seen["queues"]["Offers waiting for review"]
    browser.find_element(By.CSS_SELECTOR, f'a[href$="{url.split(live_site)[-1]}"]').click()
    shoot(browser, screenshots, "03-offers-waiting-for-review")
    assert "status__exact=pending_review" in browser.current_url
    listed = [text_of(tr) for tr in browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")]
    assert len(listed) == count == len(known_work["waiting"])
    for offer in known_work["waiting"]:
        assert sum(offer.title in row for row in listed) == 1, (offer.title, listed)

    # Compute again now: a snapshot by the operator, its time on the dashboard.
    browser.get(f"{live_site}/admin/")
    browser.find_element(By.CSS_SELECTOR, "form.refresh input[type=submit]").click()
    browser.find_element(By.ID, "operator-dashboard")
    latest = Snapshot.objects.order_by("-taken_at").first()
    assert latest is not None
    assert (latest.trigger, latest.taken_by) == ("operator", operator)
    assert "an operator" in read_dashboard(browser)["snapshot"]

    # The import preview in Chinese: the accepted columns, the counts before confirming,
    # each error legible with its row, column and message, the heading fixed.
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans"})
    bad = tmp_path / "patents-bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    upload(browser, live_site, bad)
    shoot(browser, screenshots, "04-import-preview-errors-zh-hans")
    page = browser.page_source
    assert "可导入的列" in page
    assert "部分行未通过校验" in page
    assert "某些行验数据证失败" not in page
    assert browser.find_element(By.CSS_SELECTOR, ".count-errors").text == "1"
    [error] = browser.find_elements(By.CSS_SELECTOR, "#import-errors tr.import-error")
    cells = [text_of(td) for td in error.find_elements(By.TAG_NAME, "td")]
    assert cells[:2] == ["3", "application_number"]
    assert "校验位" in cells[2]
    assert not browser.find_elements(By.CSS_SELECTOR, 'form[action$="process_import/"]')

    good = tmp_path / "patents-good.csv"
    good.write_text(GOOD, encoding="utf-8")
    upload(browser, live_site, good)
    shoot(browser, screenshots, "05-import-preview-good-zh-hans")
    counts = {
        outcome: browser.find_element(By.CSS_SELECTOR, f".count-{outcome}").text
        for outcome in ("created", "updated", "unchanged", "errors")
    }
    assert counts == {"created": "1", "updated": "0", "unchanged": "0", "errors": "0"}
    assert not Patent.objects.filter(application_number="201910209152.5").exists()  # dry run
    confirm = browser.find_element(
        By.CSS_SELECTOR, 'form[action$="process_import/"] input[type=submit]'
    )
    confirm.click()
    # The click returns before the server has answered: wait for the page after it.
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(confirm))
    patent = Patent.objects.get(application_number="201910209152.5")
    assert patent.import_batch is not None
    assert ImportRun.objects.filter(batch=patent.import_batch, written=True).exists()

    # The patent's history: the import batch and "—" for the empty change reason.
    browser.get(f"{live_site}/admin/patents/patent/{patent.pk}/history/")
    shoot(browser, screenshots, "06-patent-history-zh-hans")
    [row] = browser.find_elements(By.CSS_SELECTOR, "#change-history tbody tr")
    assert text_of(row.find_element(By.CSS_SELECTOR, "td.history-batch")) == str(
        patent.import_batch
    )
    assert text_of(row.find_element(By.CSS_SELECTOR, "td.history-reason")) == "—"

    # The reviewed offer's history: Chinese headers, labels not codes, the reviewer from
    # "—", the review time in Asia/Shanghai, no "None" anywhere.
    offer = LicensingOffer.objects.get(pk=known_work["reviewed"].pk)
    browser.get(f"{live_site}/admin/patents/licensingoffer/{offer.pk}/history/")
    shoot(browser, screenshots, "07-offer-history-zh-hans")
    headers = [text_of(th) for th in browser.find_elements(By.CSS_SELECTOR, "#change-history th")]
    assert "变更内容" in headers
    assert "导入批次" in headers
    assert "Changes" not in headers
    table = text_of(browser.find_element(By.CSS_SELECTOR, "#change-history tbody"))
    assert "待审核 → 已发布" in table
    assert "pending_review" not in table
    assert "审核人: — → operator" in table
    assert "pk=None" not in table
    assert "None" not in table
    reviewed_at = timezone.localtime(offer.reviewed_at)
    assert reviewed_at.utcoffset() == datetime.timedelta(hours=8)
    assert reviewed_at.strftime("%Y-%m-%d %H:%M") in table

    # The dashboard lists the confirmed import first, with its counts, linking to it.
    browser.get(f"{live_site}/admin/")
    shoot(browser, screenshots, "08-dashboard-after-import-zh-hans")
    first = browser.find_element(By.CSS_SELECTOR, "table.dashboard-imports tbody tr")
    assert "新增 1, 更新 0, 未变 0, 新增权利人 0" in text_of(first)
    first.find_element(By.CSS_SELECTOR, "th a").click()
    shoot(browser, screenshots, "09-import-record-zh-hans")
    assert str(patent.import_batch) in browser.page_source

    with capsys.disabled():
        print(f"\nscreenshots: {screenshots}")
    assert len(list(screenshots.glob("*.png"))) >= 11
