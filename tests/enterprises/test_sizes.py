"""SME size classes: every vector of docs/domain/enterprise-sizes.md §1 against the
thresholds the migration loaded (versioned data), plus GB/T 4754 industry codes."""

import datetime
from decimal import Decimal

import pytest

from enterprises import sizes
from enterprises.models import SizeClass, SizeStandard
from enterprises.models.enterprises import IndustryGroup
from enterprises.services.enterprises import size_rule, size_standard_in_force

TODAY = datetime.date(2026, 11, 25)
WAN = Decimal(10_000)

# industry group, employees, revenue (10,000 CNY), expected (docs/domain/enterprise-sizes.md §1)
VECTORS = [
    (IndustryGroup.INDUSTRY, 1000, 40000, SizeClass.LARGE),
    (IndustryGroup.INDUSTRY, 999, 40000, SizeClass.MEDIUM),
    (IndustryGroup.INDUSTRY, 1500, 30000, SizeClass.MEDIUM),
    (IndustryGroup.INDUSTRY, 250, 50000, SizeClass.SMALL),
    (IndustryGroup.INDUSTRY, 300, 2000, SizeClass.MEDIUM),
    (IndustryGroup.INDUSTRY, 300, 1999, SizeClass.SMALL),
    (IndustryGroup.INDUSTRY, 20, 300, SizeClass.SMALL),
    (IndustryGroup.INDUSTRY, 19, 5000, SizeClass.MICRO),
    (IndustryGroup.INDUSTRY, 500, 299, SizeClass.MICRO),
    (IndustryGroup.SOFTWARE_IT, 300, 10000, SizeClass.LARGE),
    (IndustryGroup.SOFTWARE_IT, 299, 20000, SizeClass.MEDIUM),
    (IndustryGroup.SOFTWARE_IT, 99, 5000, SizeClass.SMALL),
    (IndustryGroup.SOFTWARE_IT, 10, 50, SizeClass.SMALL),
    (IndustryGroup.SOFTWARE_IT, 9, 80, SizeClass.MICRO),
    (IndustryGroup.SOFTWARE_IT, 50, 49, SizeClass.MICRO),
    (IndustryGroup.WHOLESALE, 20, 5000, SizeClass.MEDIUM),
    (IndustryGroup.WHOLESALE, 4, 3000, SizeClass.MICRO),
    (IndustryGroup.RETAIL, 400, 15000, SizeClass.MEDIUM),
    (IndustryGroup.RETAIL, 10, 100, SizeClass.SMALL),
    (IndustryGroup.OTHER, 9, None, SizeClass.MICRO),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("group", "employees", "revenue_wan", "expected"), VECTORS)
def test_domain_vectors(group, employees, revenue_wan, expected):
    standard = size_standard_in_force(group, TODAY)
    assert standard is not None
    verdict = sizes.classify(
        size_rule(standard),
        employees=employees,
        revenue_cny=Decimal(revenue_wan) * WAN if revenue_wan is not None else None,
        assets_cny=None,
    )
    assert verdict.size_class == expected
    assert verdict.reason_en
    assert verdict.reason_zh != verdict.reason_en


@pytest.mark.django_db
def test_every_industry_group_has_a_standard_from_2011():
    groups = set(SizeStandard.objects.values_list("industry_group", flat=True))
    assert groups == set(IndustryGroup.values)


@pytest.mark.django_db
def test_a_later_standard_applies_from_its_date():
    """Thresholds are data: a revision is a new row and applies from its valid_from."""
    old = size_standard_in_force(IndustryGroup.OTHER, TODAY)
    revised = SizeStandard.objects.create(
        industry_group=IndustryGroup.OTHER,
        valid_from=datetime.date(2027, 1, 1),
        source="test revision",
        first_indicator="employees",
        large_first=Decimal(500),
        medium_first=Decimal(150),
        small_first=Decimal(5),
    )
    assert size_standard_in_force(IndustryGroup.OTHER, TODAY) == old
    assert size_standard_in_force(IndustryGroup.OTHER, datetime.date(2027, 1, 1)) == revised
    rule = size_rule(revised)
    assert sizes.classify(rule, employees=8, revenue_cny=None, assets_cny=None).size_class == (
        SizeClass.SMALL
    )


@pytest.mark.django_db
def test_missing_figures_leave_the_size_unknown():
    standard = size_standard_in_force(IndustryGroup.INDUSTRY, TODAY)
    assert standard is not None
    rule = size_rule(standard)
    verdict = sizes.classify(rule, employees=50, revenue_cny=None, assets_cny=None)
    assert verdict.size_class == SizeClass.UNKNOWN
    assert "revenue" in verdict.reason_en


@pytest.mark.parametrize(
    ("raw", "normalised", "group"),
    [
        ("C3841", "C3841", IndustryGroup.INDUSTRY),
        ("c 3841", "C3841", IndustryGroup.INDUSTRY),
        ("3841", "C3841", IndustryGroup.INDUSTRY),
        ("I65", "I65", IndustryGroup.SOFTWARE_IT),
        ("6513", "I6513", IndustryGroup.SOFTWARE_IT),
        ("I64", "I64", IndustryGroup.INFORMATION_TRANSMISSION),
        ("F51", "F51", IndustryGroup.WHOLESALE),
        ("F5261", "F5261", IndustryGroup.RETAIL),
        ("G54", "G54", IndustryGroup.TRANSPORT),
        ("G59", "G59", IndustryGroup.WAREHOUSING),
        ("G60", "G60", IndustryGroup.POSTAL),
        ("H61", "H61", IndustryGroup.ACCOMMODATION),
        ("H62", "H62", IndustryGroup.CATERING),
        ("K7010", "K7010", IndustryGroup.REAL_ESTATE_DEVELOPMENT),
        ("K7020", "K7020", IndustryGroup.PROPERTY_MANAGEMENT),
        ("K7090", "K7090", IndustryGroup.OTHER),
        ("E48", "E48", IndustryGroup.CONSTRUCTION),
        ("A01", "A01", IndustryGroup.AGRICULTURE),
        ("L72", "L72", IndustryGroup.LEASING_BUSINESS),
        ("M73", "M73", IndustryGroup.OTHER),
        ("F", "F", None),  # wholesale or retail: too coarse
        ("K70", "K70", None),
    ],
)
def test_industry_codes(raw, normalised, group):
    assert sizes.normalise_industry_code(raw) == normalised
    assert sizes.industry_group(normalised) == group


@pytest.mark.parametrize("raw", ["", "Z12", "C65", "99", "C38415", "3"])
def test_bad_industry_codes(raw):
    with pytest.raises(sizes.IndustryCodeError):
        sizes.normalise_industry_code(raw)
