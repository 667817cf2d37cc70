"""A generated, clearly marked demo set of enterprises and their technology demands.

The enterprises' names start with ``DEMO_MARK`` (【演示】) and their credit codes are
synthetic (``91310115MA1D…`` with a valid check character); each posts two open demands
written from a real seeded patent's fields (its title, keywords and IPC subclass), so a
fresh ``make run`` shows explained matches at once. Everything goes through
``enterprises.services``; running it twice changes nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from enterprises.models import Designation, Enterprise
from enterprises.services.demands import demand_create
from enterprises.services.enterprises import enterprise_create
from patents.models import LegalStatus, OfferPatent, OfferStatus, Patent
from patents.register.uscc import check_character
from patents.seeding.demo import DEMO_MARK

# name, English name, industry (GB/T 4754), employees, revenue (CNY), district
ENTERPRISES = (
    (
        "浦江储能科技有限公司",
        "Pujiang Energy Storage Technology",
        "C3841",
        180,
        120_000_000,
        "310115",
    ),
    ("申城智能装备有限公司", "Shencheng Intelligent Equipment", "C3421", 60, 30_000_000, "310112"),
    ("临港生物医药有限公司", "Lingang Biopharma", "C2720", 45, 18_000_000, "310115"),
    ("张江芯片设计有限公司", "Zhangjiang Chip Design", "I6520", 95, 60_000_000, "310115"),
    ("松江新材料有限公司", "Songjiang New Materials", "C2651", 15, 2_500_000, "310117"),
    ("嘉定汽车零部件有限公司", "Jiading Auto Parts", "C3670", 320, 260_000_000, "310114"),
    ("徐汇软件信息服务有限公司", "Xuhui Software Services", "I6513", 8, 400_000, "310104"),
    (
        "奉贤环保工程有限公司",
        "Fengxian Environmental Engineering",
        "C3591",
        120,
        45_000_000,
        "310120",
    ),
    ("青浦农业科技有限公司", "Qingpu Agri-Tech", "A0143", 30, 6_000_000, "310118"),
    ("闵行医疗器械有限公司", "Minhang Medical Devices", "C3581", 70, 25_000_000, "310112"),
)
WANTED = (("ordinary", "open_licence"), ("assignment",), ("ordinary", "exclusive"))
_LEADING = re.compile(r"^(一种|一類|一个|基于)")
_TRAILING = re.compile(r"(及其制备方法|及其应用|的制备方法|及其方法|及方法|方法|装置|系统)$")


@dataclass
class DemoDemandReport:
    enterprises: int = 0
    demands: int = 0
    matches: int = 0

    def __str__(self) -> str:
        return (
            f"{self.enterprises} enterprises, {self.demands} open demands, {self.matches} matches"
        )


def demo_uscc(index: int) -> str:
    first17 = f"91310115MA1D{index:05d}"
    return first17 + check_character(first17)


def _core(title: str) -> str:
    core = _TRAILING.sub("", _LEADING.sub("", title.strip()))
    return core[:40] or title[:40]


def _source_patents(count: int) -> list[Patent]:
    """Real patents to write demands from: those with a published demo offer first."""
    offered = list(
        Patent.objects.filter(
            pk__in=OfferPatent.objects.filter(offer__status=OfferStatus.PUBLISHED).values(
                "patent_id"
            ),
            legal_status=LegalStatus.IN_FORCE,
        )
        .exclude(main_ipc="")
        .order_by("id")[: count // 2]
    )
    others = list(
        Patent.objects.filter(legal_status__in=[LegalStatus.IN_FORCE, LegalStatus.PENDING])
        .exclude(main_ipc="")
        .exclude(pk__in=[p.pk for p in offered])
        .order_by("-id")[: count - len(offered)]
    )
    return offered + others


def load_demo_demands() -> DemoDemandReport | None:
    """Create the demo enterprises and demands unless they exist; ``None`` if they did."""
    if Enterprise.all_objects.filter(name__startswith=DEMO_MARK).exists():
        return None
    report = DemoDemandReport()
    sources = _source_patents(2 * len(ENTERPRISES))
    today = timezone.localdate()
    with transaction.atomic():
        for index, (name, name_en, industry, employees, revenue, region) in enumerate(ENTERPRISES):
            designations = [
                {
                    "kind": Designation.Kind.TECH_SME,
                    "authority": "上海市科学技术委员会（演示）",
                    "year": today.year,
                    "valid_until": datetime.date(today.year, 12, 31),
                }
            ]
            enterprise_create(
                actor=None,
                values={
                    "name": f"{DEMO_MARK}{name}",
                    "name_en": f"[DEMO] {name_en} Co., Ltd.",
                    "uscc": demo_uscc(index + 1),
                    "region": region,
                    "industry_code": industry,
                    "employees": employees,
                    "revenue_cny": Decimal(revenue),
                    "contact_name": "演示联系人",
                },
                designations=designations if index % 3 == 0 else None,
            )
            report.enterprises += 1
    for index, patent in enumerate(sources):
        enterprise = Enterprise.objects.filter(name__startswith=DEMO_MARK).order_by("id")[
            index % len(ENTERPRISES)
        ]
        demand = demand_create(
            actor=None,
            enterprise=enterprise,
            values={
                "title": f"{DEMO_MARK}寻求{_core(patent.title)}相关技术",
                "description": (patent.abstract or patent.title)[:300],
                "keywords": list(patent.keywords[:3]),
                "ipc_codes": [patent.main_ipc[:4]],
                "wanted_offer_types": list(WANTED[index % len(WANTED)]),
                "budget_max_cny": Decimal(300_000 * (1 + index % 5)),
                "preferred_regions": ["310000"] if index % 2 else [],
                "deadline": today + datetime.timedelta(days=180),
            },
            open_now=True,
        )
        report.demands += 1
        report.matches += demand.matches.count()
    return report
