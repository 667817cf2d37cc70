"""The reference figures ``manage.py seed`` loads (``seeds/indicators/``), and their admin
with history."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from indicators.models import PublishedFigure, ResidentPopulation, Target
from indicators.seeding import load_indicator_reference

pytestmark = pytest.mark.django_db
SEEDS = Path(settings.BASE_DIR) / "seeds"


def test_the_seed_loaded_them_and_a_second_run_writes_nothing():
    # The session's ``seed --reference-only`` loaded them (tests/conftest.py).
    assert load_indicator_reference(SEEDS) == (
        "indicator reference figures: 0 created, 0 updated, 65 unchanged"
    )
    end_2022 = ResidentPopulation.objects.get(region_id="310000", year=2022, kind="year_end")
    assert end_2022.population == 24_758_900
    assert end_2022.reliability == "repost"
    assert end_2022.source_url == "http://www.ltcy5.cn/news/4676.html"
    # DOMAIN §13: end-2023 for Shanghai is from memory, found in no source: not seeded.
    assert not ResidentPopulation.objects.filter(region_id="310000", year=2023).exists()
    per_10k = PublishedFigure.objects.get(
        region_id="310000", year=2023, indicator="high_value_inventions_per_10k"
    )
    assert (per_10k.value_as_published, per_10k.unit_as_published) == ("50.2", "件")
    national = PublishedFigure.objects.get(region=None, year=2023, indicator="pledges_amount")
    assert national.value == 853_990_000_000  # 8,539.9 亿元
    assert Target.objects.get(indicator="pct_applications").comparison == "about"


def test_an_operator_corrects_a_figure_and_the_history_keeps_it(client, operator):
    figure = PublishedFigure.objects.get(
        region_id="310000", year=2023, indicator="valid_inventions"
    )
    client.force_login(operator)

    for url in (
        "/admin/indicators/residentpopulation/",
        "/admin/indicators/publishedfigure/",
        "/admin/indicators/target/",
        f"/admin/indicators/publishedfigure/{figure.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url

    figure.reliability = "official"
    figure.save()
    assert list(figure.history.values_list("reliability", flat=True)) == ["official", "repost"]
    history = client.get(f"/admin/indicators/publishedfigure/{figure.pk}/history/")
    assert history.status_code == 200
