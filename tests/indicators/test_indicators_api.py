"""GET /api/v1/indicators/ and .../series/ on a small data set whose every figure is
counted by hand below (DOMAIN §6, §9.3, §13).

杨浦区 (310110): holder A (a university) and an SME holder; 浦东新区 (310115): holder B;
南京市玄武区 (320102): a holder outside Shanghai. Patents (type, filed, granted, status):

| patent | holder | type | filed | granted | status | what counts in 2023 |
| --- | --- | --- | --- | --- | --- | --- |
| p1 | A | invention | 2012-03-01 | 2015-05-01 | in force | valid; high-value (maintained > 10 years) |
| p2 | A | invention | 2014-01-02 | 2018-01-01 | in force | valid; not high-value (9.99 years) |
| p3 | A | invention | 2019-03-21 | 2023-06-01 | in force, granted abroad | granted 2023; valid; high-value |
| p4 | A | invention | 2010-05-05 | 2013-01-02 | lapsed 2024-03-01 | valid at end-2023; high-value |
| p5 | A | invention | 2011-01-04 | 2014-01-02 | lapsed 2023-06-30 | nothing |
| p6 | A | utility model | 2022-02-02 | 2023-08-08 | in force | granted 2023 |
| p7 | A | design | 2022-03-03 | 2023-09-09 | in force | granted 2023 |
| p8 | A | invention | 2023-04-04 | — | pending, PCT/CN2023/000001 | one PCT application |
| s1, s2 | SME | invention | 2019 | 2021 | in force | valid |
| b1 | B | invention | 2021-02-02 | 2023-02-02 | in force, award, PCT/CN2023/000002 | granted; valid; high-value; PCT |
| j1 | 南京 | invention | 2020-01-01 | 2023-03-03 | in force, granted abroad | only in 320102 |

杨浦区 2023: granted 1 + 1 + 1 = 3; valid inventions p1 p2 p3 p4 s1 s2 = 6; high-value p1
p3 p4 = 3; population at the end of **2022**: 20,000 (end of 2023: 40,000, not used), so
6 / 2 = 3.0 and 3 / 2 = 1.5 per 10,000 residents.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from enterprises.models import Inquiry
from enterprises.services.inquiries import inquiry_reply
from indicators.models import ResidentPopulation
from patents.models import Region
from patents.register.numbers import check_character
from tests.factories import (
    DealFactory,
    EnterpriseFactory,
    HolderFactory,
    InquiryFactory,
    LicenceRecordFactory,
    PatentFactory,
    PledgeFactory,
)
from tests.factories.identifiers import uscc
from tests.support.errors import assert_error_shape

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/api/v1/indicators/"
SERIES = "/api/v1/indicators/series/"
_serial = iter(range(1, 1000))


def number(filed: datetime.date, kind: int) -> str:
    """A valid CN application number of ``filed``'s year: kind 1 invention, 2 utility
    model, 3 design."""
    digits = f"{filed.year}{kind}{5000000 + next(_serial):07d}"
    return f"{digits}.{check_character(digits)}"


def patent(actor, holder, filed, granted, *, kind=1, status="in_force", **values):
    return PatentFactory.create(
        actor=actor,
        holders=[holder],
        application_number=number(filed, kind),
        filing_date=filed,
        grant_date=granted,
        legal_status=status,
        **values,
    )


@pytest.fixture
def sme_holder(db):
    """A holder that is also an SME registered here (same credit code)."""
    code = uscc(901, region="310110")
    holder = HolderFactory.create(
        name="上海某小微科技有限公司", kind="enterprise", uscc=code, region="310110"
    )
    enterprise = EnterpriseFactory.create(
        name="上海某小微科技有限公司",
        uscc=code,
        region="310110",
        industry_code="C3841",
        employees=50,
        revenue_cny=Decimal("8000000"),
    )
    assert enterprise.holder_id == holder.pk
    assert enterprise.size_class in ("medium", "small", "micro"), enterprise.size_class
    return holder


@pytest.fixture
def data(operator, holder_a, holder_b, sme_holder):
    nanjing = HolderFactory.create(name="南京某研究院", kind="research_institute", region="320102")
    p = {
        "p1": patent(operator, holder_a, D(2012, 3, 1), D(2015, 5, 1)),
        "p2": patent(operator, holder_a, D(2014, 1, 2), D(2018, 1, 1)),
        "p3": patent(operator, holder_a, D(2019, 3, 21), D(2023, 6, 1), has_foreign_grant=True),
        "p4": patent(
            operator,
            holder_a,
            D(2010, 5, 5),
            D(2013, 1, 2),
            status="lapsed",
            legal_status_date=D(2024, 3, 1),
        ),
        "p5": patent(
            operator,
            holder_a,
            D(2011, 1, 4),
            D(2014, 1, 2),
            status="lapsed",
            legal_status_date=D(2023, 6, 30),
        ),
        "p6": patent(operator, holder_a, D(2022, 2, 2), D(2023, 8, 8), kind=2),
        "p7": patent(operator, holder_a, D(2022, 3, 3), D(2023, 9, 9), kind=3),
        "p8": patent(
            operator,
            holder_a,
            D(2023, 4, 4),
            None,
            status="pending",
            pct_application_number="PCT/CN2023/000001",
        ),
        "s1": patent(operator, sme_holder, D(2019, 5, 5), D(2021, 5, 5)),
        "s2": patent(operator, sme_holder, D(2019, 6, 6), D(2021, 6, 6)),
        "b1": patent(
            operator,
            holder_b,
            D(2021, 2, 2),
            D(2023, 2, 2),
            awards="中国专利金奖",
            pct_application_number="PCT/CN2023/000002",
        ),
        "j1": patent(operator, nanjing, D(2020, 1, 1), D(2023, 3, 3), has_foreign_grant=True),
    }
    yangpu = Region.objects.get(code="310110")
    for year, population in ((2022, 20_000), (2023, 40_000)):
        ResidentPopulation.objects.create(
            region=yangpu,
            year=year,
            kind="year_end",
            as_of=D(year, 12, 31),
            population=population,
            source_url="https://example.org/yangpu",
            reliability="unverified",
        )
    return p


def values(body) -> dict[str, dict]:
    return {item["indicator"]: item for item in body["indicators"]}


def test_a_district_counts_its_patents_by_hand(anonymous, data):
    response = anonymous.get(URL, {"region": "310110", "year": 2023})

    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert body["region"]["code"] == "310110"
    assert body["reference_date"] == "2023-12-31"
    got = values(body)
    assert got["patents_granted"]["value"] == 3
    assert got["inventions_granted"]["value"] == 1
    assert got["utility_models_granted"]["value"] == 1
    assert got["designs_granted"]["value"] == 1
    assert got["valid_inventions"]["value"] == 6
    assert got["high_value_inventions"]["value"] == 3
    assert got["pct_applications"]["value"] == 1
    assert got["pct_applications"]["notes"]  # the data model keeps no PCT filings


def test_per_10k_uses_the_population_at_the_end_of_the_previous_year(anonymous, data):
    got = values(anonymous.get(URL, {"region": "310110", "year": 2023}).json())

    valid, high_value = got["valid_inventions_per_10k"], got["high_value_inventions_per_10k"]
    assert valid["value"] == 3.0  # 6 / (20,000 / 10,000); with end-2023's 40,000 it would be 1.5
    assert high_value["value"] == 1.5  # 3 / 2
    assert high_value["records_counted"] == 3
    assert high_value["population_year"] == 2022
    assert high_value["population"]["population"] == 20_000
    assert high_value["population"]["as_of"] == "2022-12-31"
    assert high_value["population"]["source_url"] == "https://example.org/yangpu"
    assert high_value["method"]
    assert high_value["source"]


def test_without_the_previous_year_end_population_there_is_no_per_10k_value(anonymous, data):
    got = values(anonymous.get(URL, {"region": "310110", "year": 2025}).json())

    assert got["high_value_inventions_per_10k"]["value"] is None  # no end-2024 population
    assert got["high_value_inventions_per_10k"]["population"] is None
    assert any("2024" in note for note in got["high_value_inventions_per_10k"]["notes"])


def test_a_province_covers_its_districts_and_shows_the_published_figure_and_target(anonymous, data):
    got = values(anonymous.get(URL, {"region": "310000", "year": 2023}).json())

    # 杨浦 and 浦东, not 南京: granted p3, p6, p7, b1; valid 6 + b1; high-value 3 + b1.
    assert got["patents_granted"]["value"] == 4
    assert got["inventions_granted"]["value"] == 2
    assert got["valid_inventions"]["value"] == 7
    assert got["high_value_inventions"]["value"] == 4
    assert got["pct_applications"]["value"] == 2
    # The seeded figures: 24.14万 valid invention patents at the end of 2023 (a repost on
    # the Shanghai IP Administration's site) and 50.2 per 10,000, target 60 by end-2025.
    official = got["valid_inventions"]["official"][0]
    assert official["value"] == 241400
    assert official["value_as_published"] == "24.14"
    assert official["unit_as_published"] == "万件"
    assert official["difference"] == 7 - 241400
    assert official["reliability"] == "repost"
    assert official["source_url"].startswith("https://sipa.sh.gov.cn/")
    per_10k = got["high_value_inventions_per_10k"]
    assert per_10k["population"]["population"] == 24_758_900  # end of 2022 (DOMAIN §6.2)
    assert per_10k["value"] == 0.0
    assert per_10k["official"][0]["value"] == 50.2
    assert per_10k["official"][0]["difference"] == -50.2
    (target,) = per_10k["targets"]
    assert (target["comparison"], target["value"], target["deadline"]) == (
        "at_least",
        60,
        "2025-12-31",
    )
    assert target["gap"] == 60
    # The official 2023 pledge count is “千余” (about a thousand): no value, unverified.
    pledge_count = got["pledges_registered"]["official"][0]
    assert pledge_count["value"] is None
    assert pledge_count["reliability"] == "unverified"


def test_licences_assignments_and_pledges_of_the_year(
    anonymous, data, operator, holder_a, sme_holder
):
    p = data
    for kind, recorded, amount, source in (
        ("ordinary", D(2023, 3, 1), Decimal("100000"), ""),
        ("exclusive", D(2023, 7, 1), None, ""),
        ("assignment", D(2023, 5, 5), Decimal("250000"), ""),
        ("ordinary", D(2022, 12, 31), Decimal("999"), ""),  # the year before
        ("ordinary", D(2023, 8, 1), Decimal("777"), "demo"),  # the demo layer
    ):
        LicenceRecordFactory.create(
            actor=operator,
            patents=[p["p1"] if kind != "exclusive" else p["p2"]],
            kind=kind,
            term_start=D(2023, 1, 1),
            term_end=D(2025, 12, 31),
            contract_date=recorded,
            recordation_date=recorded,
            amount_cny=amount,
            source=source,
        )
    for holder_patent, registered, amount in (
        (p["s1"], D(2023, 4, 1), Decimal("3000000")),
        (p["s2"], D(2023, 9, 1), Decimal("2000000")),
        (p["p2"], D(2023, 6, 1), Decimal("5000000")),
        (p["p1"], D(2022, 5, 1), Decimal("4000000")),  # the year before
    ):
        PledgeFactory.create(
            actor=operator,
            patents=[holder_patent],
            registration_date=registered,
            debt_start=registered,
            debt_end=registered + datetime.timedelta(days=700),
            secured_amount_cny=amount,
        )

    got = values(anonymous.get(URL, {"region": "310110", "year": 2023}).json())

    assert got["licences_recorded"]["value"] == 2
    assert got["licences_amount"]["value"] == 100000  # the exclusive one has no amount
    assert got["licences_amount"]["records_counted"] == 1
    assert got["assignments_recorded"]["value"] == 1
    assert got["assignments_amount"]["value"] == 250000
    assert got["pledges_registered"]["value"] == 3
    assert got["pledges_amount"]["value"] == 10_000_000
    assert got["pledge_sme_pledgors"]["value"] == 1  # the SME pledged twice
    assert got["pledge_sme_pledgors"]["records_counted"] == 2
    assert any("商标" in note for note in got["pledges_amount"]["notes"])  # trademarks


def test_inquiries_answered_and_deals_concluded_in_the_year(
    anonymous, data, university_a, sme, enterprise_s
):
    asked = [
        InquiryFactory.create(actor=sme, enterprise=enterprise_s, patent=data["p1"])
        for _ in range(4)
    ]
    for inquiry in asked:
        inquiry_reply(actor=university_a, inquiry=inquiry, reply="可以", expected_version=None)
    # The service stamps the response now; place the four in time (Beijing time, UTC+8):
    # three answered in 2023 after 1, 2 and 10 hours, one at 00:30 on 1 January 2024.
    utc = datetime.UTC
    for inquiry, responded, seconds in zip(
        asked,
        (
            datetime.datetime(2023, 2, 1, 2, 0, tzinfo=utc),
            datetime.datetime(2023, 5, 1, 2, 0, tzinfo=utc),
            datetime.datetime(2023, 12, 31, 15, 30, tzinfo=utc),  # 23:30 in Shanghai
            datetime.datetime(2023, 12, 31, 16, 30, tzinfo=utc),  # 00:30 on 1 January 2024
        ),
        (3600, 7200, 36000, 60),
        strict=True,
    ):
        Inquiry.objects.filter(pk=inquiry.pk).update(
            responded_at=responded, response_seconds=seconds
        )
    DealFactory.create(
        actor=university_a,
        inquiry=asked[0],
        contract_date=D(2023, 3, 3),
        amount_cny=Decimal("80000"),
    )
    DealFactory.create(actor=university_a, inquiry=asked[1], contract_date=D(2022, 12, 1))

    got = values(anonymous.get(URL, {"region": "310110", "year": 2023}).json())

    assert got["inquiries_answered"]["value"] == 3
    assert got["inquiry_median_response_hours"]["value"] == 2.0  # median of 1, 2, 10 hours
    assert got["deals_concluded"]["value"] == 1
    assert got["deals_amount"]["value"] == 80000
    assert (
        values(anonymous.get(URL, {"region": "310000", "year": 2024}).json())["inquiries_answered"][
            "value"
        ]
        == 1
    )


def test_the_report_costs_a_fixed_number_of_queries(anonymous, data, django_assert_num_queries):
    # 1 the region exists (the filter), 2 the region, 3 grants, 4 valid and high-value,
    # 5 PCT, 6 licences, 7 pledges, 8 inquiries, 9 deals, 10 populations, 11 published
    # figures, 12 targets.
    with django_assert_num_queries(12):
        assert anonymous.get(URL, {"region": "310000", "year": 2023}).status_code == 200


def test_a_series_costs_what_one_year_costs(anonymous, data, django_assert_num_queries):
    # 1 the region exists, 2 the region, 3 valid and high-value for every year at once,
    # 4 published figures, 5 targets (no population: not a per-10,000 indicator).
    with django_assert_num_queries(5):
        response = anonymous.get(
            SERIES,
            {"indicator": "high_value_inventions", "region": "310110", "from": 2012, "to": 2023},
        )
    assert response.status_code == 200
    points = {point["year"]: point["value"] for point in response.json()["points"]}
    # Filed over 10 years before the year end: p4 (2010) from 2020, p5 (2011) in 2021 and
    # 2022 (it lapsed in June 2023), p1 (2012) from 2022; p3, granted abroad, from its grant
    # in 2023.
    assert points == {
        2012: 0,
        2013: 0,
        2014: 0,
        2015: 0,
        2016: 0,
        2017: 0,
        2018: 0,
        2019: 0,
        2020: 1,
        2021: 2,
        2022: 3,
        2023: 3,
    }


def test_each_year_of_a_series_is_the_rule_on_that_year_end(anonymous, data):
    from indicators.compute import high_value_at, valid_at
    from patents.models import Patent

    years = list(range(2012, 2026))
    for indicator, rule in (
        ("valid_inventions", valid_at),
        ("high_value_inventions", high_value_at),
    ):
        response = anonymous.get(
            SERIES, {"indicator": indicator, "region": "310000", "from": 2012, "to": 2025}
        )
        points = {point["year"]: point["value"] for point in response.json()["points"]}
        expected = {
            year: Patent.objects.filter(
                rule(year), region__code__startswith="31", patent_type="invention"
            ).count()
            for year in years
        }
        assert points == expected, indicator


def test_the_series_of_a_per_10k_indicator_shows_each_year_with_its_population(anonymous, data):
    response = anonymous.get(
        SERIES,
        {"indicator": "valid_inventions_per_10k", "region": "310110", "from": 2023, "to": 2024},
    )

    points = response.json()["points"]
    # 2024 divides by the end-2023 population (40,000); p4 lapsed in March 2024, so five
    # are valid at the end of 2024: 5 / 4 = 1.25, rounded half up.
    assert [(p["year"], p["population_year"], p["value"]) for p in points] == [
        (2023, 2022, 3.0),
        (2024, 2023, 1.3),
    ]


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"year": 2023}, "region", "required"),
        ({"region": "310000"}, "year", "required"),
        ({"region": "999999", "year": 2023}, "region", None),
        ({"region": "310000", "year": "abc"}, "year", "invalid"),
        ({"region": "310000", "year": 1900}, "year", "min_value"),
        ({"region": "310000", "year": 2999}, "year", "max_value"),
        ({"region": "310000", "year": 2023, "yeer": 1}, "yeer", "unknown_parameter"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client_for, params, field, code):
    body = assert_error_shape(client_for(None, language="en").get(URL, params), 400)

    (entry,) = [e for e in body["errors"] if e["field"] == field]
    if code:
        assert entry["code"] == code


def test_series_errors_in_english_and_chinese(client_for):
    params = {"indicator": "valid_inventions", "region": "310000", "from": 2023, "to": 2020}
    english = assert_error_shape(client_for(None, language="en").get(SERIES, params), 400)
    chinese = assert_error_shape(client_for(None, language="zh-hans").get(SERIES, params), 400)

    assert english["errors"][0]["field"] == chinese["errors"][0]["field"] == "to"
    assert english["errors"][0]["message"] == "The last year comes before the first (2023)."
    assert chinese["errors"][0]["message"] == "截止年度早于起始年度（2023）。"
    bad = assert_error_shape(
        client_for(None, language="zh-hans").get(
            SERIES, {**params, "indicator": "nope", "to": 2023}
        ),
        400,
    )
    assert bad["errors"][0]["field"] == "indicator"
    long = assert_error_shape(
        client_for(None, language="en").get(SERIES, {**params, "from": 1985, "to": 2035 - 1}),
        400,
    )
    assert long["errors"][0]["field"] == "to"


def test_the_report_and_the_series_export_as_csv_and_xlsx(anonymous, data):
    csv_response = anonymous.get("/api/v1/indicators/export/", {"region": "310110", "year": 2023})
    assert csv_response.status_code == 200
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("region,year,indicator,label,unit,value,records_counted")
    row = next(line for line in lines if ",high_value_inventions_per_10k," in line)
    assert row.startswith("310110,2023,high_value_inventions_per_10k,")
    assert ",1.5,3,20000,2022," in row

    xlsx = anonymous.get(
        "/api/v1/indicators/series/export/",
        {
            "indicator": "valid_inventions",
            "region": "310110",
            "from": 2022,
            "to": 2023,
            "file_format": "xlsx",
        },
    )
    assert xlsx.status_code == 200
    assert (
        'filename="indicator-valid_inventions-310110-2022-2023.xlsx"' in xlsx["Content-Disposition"]
    )
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:6] == ["region", "year", "indicator", "label", "unit", "value"]
    assert [(r[1], r[5]) for r in rows[1:]] == [("2022", "6"), ("2023", "6")]
