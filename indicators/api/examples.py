"""Examples for the indicators' OpenAPI entries (values from the seeded reference figures;
the computed values depend on the patents loaded)."""

from drf_spectacular.utils import OpenApiExample

_SHANGHAI = {"code": "310000", "name": "上海市", "name_en": "Shanghai"}
_POPULATION_2022 = {
    "population": 24758900,
    "year": 2022,
    "kind": "year_end",
    "as_of": "2022-12-31",
    "source_url": "http://www.ltcy5.cn/news/4676.html",
    "source_as_stated": "上海市统计局2022年人口变动情况抽样调查(转载澎湃新闻2023-03-27)",
    "reliability": "repost",
}
_HIGH_VALUE_2023 = {
    "indicator": "high_value_inventions_per_10k",
    "label": "High-value invention patents per 10,000 residents",
    "unit": "per_10k_residents",
    "year": 2023,
    "value": 0.6,
    "records_counted": 1520,
    "population": _POPULATION_2022,
    "population_year": 2022,
    "method": "The count divided by the resident population in 10,000s, rounded to one "
    "decimal. The population is the one at the end of the previous year ...",
    "source": "Patents in this database ...",
    "notes": [
        "The strategic-emerging-industry category is not computed yet: the SEI–IPC "
        "concordance (DOMAIN §12.2) is not loaded, so no patent is high-value by it."
    ],
    "official": [
        {
            "region_name": "上海",
            "name_as_published": "每万人口高价值发明专利拥有量",
            "year": 2023,
            "as_of": "2023-12-31",
            "value": 50.2,
            "value_as_published": "50.2",
            "unit_as_published": "件",
            "difference": -49.6,
            "source_url": "https://sipa.sh.gov.cn/2020mtjd/20240222/0a122ba20a4b4d1292e8ccbada7ae0f2.html",
            "source_as_stated": "上海市知识产权局网站转载文汇报2024-02-22",
            "reliability": "repost",
            "reliability_note": "official site (repost of newspaper)",
        }
    ],
    "targets": [
        {
            "comparison": "at_least",
            "value": 60.0,
            "year": 2025,
            "deadline": "2025-12-31",
            "baseline_value": 50.2,
            "baseline_year": 2023,
            "document": "沪府办发〔2024〕7号",
            "source_url": "",
            "note": "每万人口高价值发明专利拥有量 60件 by end-2025 ...",
            "gap": 59.4,
        }
    ],
}

REPORT = OpenApiExample(
    "Shanghai 2023 (one of the indicators shown)",
    value={
        "region": _SHANGHAI,
        "year": 2023,
        "reference_date": "2023-12-31",
        "indicators": [_HIGH_VALUE_2023],
    },
    response_only=True,
)
SERIES = OpenApiExample(
    "High-value invention patents per 10,000 residents, Shanghai (one year shown)",
    value={
        "indicator": "high_value_inventions_per_10k",
        "region": _SHANGHAI,
        "points": [_HIGH_VALUE_2023],
    },
    response_only=True,
)
