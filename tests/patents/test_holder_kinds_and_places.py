"""The one rule for a holder's kind (from its name) and the regions addresses and
registered enterprise names state (patents.reference.regions.RegionGazetteer)."""

import pytest

from patents.reference.regions import RegionGazetteer, RegionRow
from patents.register.services import holder_kind_from_name
from patents.seeding.patents import HolderFacts, holder_region


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("中国科学院上海技术物理研究所", "research_institute"),
        ("中国科学院", "research_institute"),
        ("上海医药工业研究院", "research_institute"),
        ("国家纳米科学中心研究中心", "research_institute"),
        ("中国科学院大学", "university"),
        ("浙江大学", "university"),
        ("乐山职业技术学院", "university"),
        ("上海交通大学医学院附属瑞金医院", "medical_institution"),
        ("上海天马微电子有限公司", "enterprise"),
        ("TCL集团股份有限公司", "enterprise"),
        ("江苏环保产业技术研究院股份公司", "enterprise"),
        ("中国移动通信集团", "enterprise"),
        ("钢铁研究总院", "research_institute"),
        ("中钢集团马鞍山矿山研究总院股份有限公司", "enterprise"),
        ("株式会社IHI", "enterprise"),
        ("王东晓", "other"),
        ("", "other"),
    ],
)
def test_the_kind_is_what_the_name_says(name, kind):
    assert holder_kind_from_name(name) == kind


ROWS = [
    RegionRow("310000", "上海市", "province", None, True),
    RegionRow("310100", "市辖区", "city", "310000", True),
    RegionRow("310106", "静安区", "district", "310100", True),
    RegionRow("310108", "闸北区", "district", "310100", False),
    RegionRow("310112", "闵行区", "district", "310100", True),
    RegionRow("410000", "河南省", "province", None, True),
    RegionRow("410100", "郑州市", "city", "410000", True),
    RegionRow("410105", "金水区", "district", "410100", True),
    RegionRow("320000", "江苏省", "province", None, True),
    RegionRow("320100", "南京市", "city", "320000", True),
    RegionRow("320106", "鼓楼区", "district", "320100", True),
    RegionRow("350000", "福建省", "province", None, True),
    RegionRow("350100", "福州市", "city", "350000", True),
    RegionRow("350102", "鼓楼区", "district", "350100", True),
    RegionRow("441300", "惠州市", "city", "440000", True),
    RegionRow("440000", "广东省", "province", None, True),
]
PLACES = RegionGazetteer(ROWS)


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("上海市闵行区东川路800号", "310112"),
        ("200072上海市闸北区共和新路", "310108"),  # the historical district, as written
        ("中国上海市静安区", "310106"),
        ("450000河南省郑州市郑东新区中道东路6号", "410100"),  # no such district: the city
        ("河南省郑州市金水区", "410105"),
        ("江苏省南京市鼓楼区汉口路22号", "320106"),  # 鼓楼区 of 南京, not of 福州
        ("鼓楼区汉口路22号", None),  # several 鼓楼区 and nothing to tell them apart
        ("", None),
    ],
)
def test_the_region_of_an_address(address, code):
    assert PLACES.from_address(address) == code


def test_a_holder_region_from_address_then_source_then_enterprise_name():
    assert holder_region("某某研究院", HolderFacts(address="上海市闵行区"), PLACES) == "310112"
    assert holder_region("南京大学", HolderFacts(region="320100"), PLACES) == "320100"
    assert holder_region("上海天马微电子有限公司", HolderFacts(), PLACES) == "310000"
    assert holder_region("TCL光源科技(惠州)有限公司", HolderFacts(), PLACES) == "441300"
    # Only an enterprise's registered name states its division; a university's does not.
    assert holder_region("上海交通大学", HolderFacts(), PLACES) is None
    assert holder_region("中国科学院上海技术物理研究所", HolderFacts(), PLACES) is None
    assert holder_region("TCL集团股份有限公司", HolderFacts(), PLACES) is None
