"""Load the 2011 SME size standard (docs/domain/enterprise-sizes.md §1) as versioned data."""

from decimal import Decimal

from django.db import migrations

# Frozen here (not imported from enterprises.sizes) so that a later change to the code
# cannot change what this migration wrote.
SOURCE = "工信部联企业〔2011〕300号 《中小企业划型标准规定》"
VALID_FROM = "2011-06-18"
ROWS = (
    # group, indicators, large (upper SME bounds), medium lower bounds, small lower bounds
    ("agriculture", ("revenue",), (20000,), (500,), (50,)),
    ("industry", ("employees", "revenue"), (1000, 40000), (300, 2000), (20, 300)),
    ("construction", ("revenue", "assets"), (80000, 80000), (6000, 5000), (300, 300)),
    ("wholesale", ("employees", "revenue"), (200, 40000), (20, 5000), (5, 1000)),
    ("retail", ("employees", "revenue"), (300, 20000), (50, 500), (10, 100)),
    ("transport", ("employees", "revenue"), (1000, 30000), (300, 3000), (20, 200)),
    ("warehousing", ("employees", "revenue"), (200, 30000), (100, 1000), (20, 100)),
    ("postal", ("employees", "revenue"), (1000, 30000), (300, 2000), (20, 100)),
    ("accommodation", ("employees", "revenue"), (300, 10000), (100, 2000), (10, 100)),
    ("catering", ("employees", "revenue"), (300, 10000), (100, 2000), (10, 100)),
    ("information_transmission", ("employees", "revenue"), (2000, 100000), (100, 1000), (10, 100)),
    ("software_it", ("employees", "revenue"), (300, 10000), (100, 1000), (10, 50)),
    ("real_estate_development", ("revenue", "assets"), (200000, 10000), (1000, 5000), (100, 2000)),
    ("property_management", ("employees", "revenue"), (1000, 5000), (300, 1000), (100, 500)),
    ("leasing_business", ("employees", "assets"), (300, 120000), (100, 8000), (10, 100)),
    ("other", ("employees",), (300,), (100,), (10,)),
)


def load(apps, schema_editor):
    SizeStandard = apps.get_model("enterprises", "SizeStandard")
    for group, indicators, large, medium, small in ROWS:
        two = len(indicators) == 2
        SizeStandard.objects.update_or_create(
            industry_group=group,
            valid_from=VALID_FROM,
            defaults={
                "source": SOURCE,
                "first_indicator": indicators[0],
                "second_indicator": indicators[1] if two else "",
                "large_first": Decimal(large[0]),
                "large_second": Decimal(large[1]) if two else None,
                "medium_first": Decimal(medium[0]),
                "medium_second": Decimal(medium[1]) if two else None,
                "small_first": Decimal(small[0]),
                "small_second": Decimal(small[1]) if two else None,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("enterprises", "SizeStandard").objects.filter(valid_from=VALID_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_demand_side")]

    operations = [migrations.RunPython(load, unload)]
