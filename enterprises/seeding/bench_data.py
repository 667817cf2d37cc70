"""Synthetic offers, enterprises and demands for ``manage.py bench`` (own database only).

The bench measures reading and matching at scale, so these rows are written in bulk
(``bulk_create`` in batches, no history rows), not one service call each: 300,000 offers
through the review workflow would take hours on two cores and measure nothing the tests
do not already cover. They satisfy the same constraints (valid credit codes, offer terms
inside the patent's term, published status with a publication time), and are marked:

- offers: titles start with ``BENCH_MARK``; enterprises: names start with it, credit codes
  ``91310115MB…``; demands belong to those enterprises.

Every loader is deterministic and resumes: it creates only what is missing.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from enterprises import sizes
from enterprises.models import DemandStatus, Enterprise, SizeClass, TechnologyDemand
from enterprises.services.enterprises import size_rule, size_standard_in_force
from patents.models import LicensingOffer, OfferPatent, OfferStatus, OfferType, PricingMode
from patents.register.uscc import check_character
from patents.seeding import bench_data

BENCH_MARK = "［基准］"
BATCH = 5000
INDUSTRIES = (
    "C3841", "C3421", "C2720", "I6520", "C2651", "C3670", "I6513", "C3591", "A0143", "F5179",
    "M7320",
)  # fmt: skip
OFFER_MIX = (
    (OfferType.ORDINARY, 40), (OfferType.OPEN_LICENCE, 25), (OfferType.ASSIGNMENT, 20),
    (OfferType.EXCLUSIVE, 10), (OfferType.EQUITY, 5),
)  # fmt: skip


def _chunks(total: int, start: int) -> Iterator[range]:
    for first in range(start, total, BATCH):
        yield range(first, min(first + BATCH, total))


def load_offers(target: int, *, seed: int = 11) -> tuple[int, float]:
    """Published offers, one per live granted synthetic patent without one, up to
    ``target``; returns (created, seconds)."""
    present = LicensingOffer.all_objects.filter(title__startswith=BENCH_MARK).count()
    if present >= target:
        return 0, 0.0
    started = timezone.now()
    today = timezone.localdate()
    rng = random.Random(seed + present)  # noqa: S311 - synthetic data
    created = 0
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (p.id) p.id, h.holder_id, p.title, p.expiry_date
            FROM patents_patent p JOIN patents_holding h ON h.patent_id = p.id
            WHERE p.source = 'bench' AND p.legal_status = 'in_force' AND NOT p.has_offer
              AND p.grant_date IS NOT NULL AND p.expiry_date > %s AND h.role = 'current'
            ORDER BY p.id, h."order"
            LIMIT %s
            """,
            [today + datetime.timedelta(days=400), target - present],
        )
        rows = cursor.fetchall()
    types = [t for t, _w in OFFER_MIX]
    weights = [w for _t, w in OFFER_MIX]
    for first in range(0, len(rows), BATCH):
        batch = rows[first : first + BATCH]
        offers = []
        for _patent_id, holder_id, title, expiry in batch:
            offer_type = rng.choices(types, weights)[0]
            published = timezone.now() - datetime.timedelta(
                minutes=rng.randrange(2 * 365 * 24 * 60)
            )
            term_end = min(expiry, today + datetime.timedelta(days=365 * rng.randint(1, 8)))
            values = {
                "holder_id": holder_id,
                "offer_type": offer_type,
                "title": f"{BENCH_MARK}{title}"[:300],
                "status": OfferStatus.PUBLISHED,
                "published_at": published,
                "submitted_at": published,
                "reviewed_at": published,
                "term_start": today,
                "term_end": term_end,
                "co_owners_consent": True,
                "evaluation_report": True,
            }
            if offer_type == OfferType.OPEN_LICENCE:
                values |= {
                    "pricing_mode": PricingMode.ROYALTY_NET_SALES,
                    "royalty_rate": Decimal(rng.randint(1, 8)),
                }
            elif rng.random() < 0.2:
                values |= {"pricing_mode": PricingMode.NEGOTIABLE}
            else:
                values |= {
                    "pricing_mode": PricingMode.LUMP_SUM,
                    "lump_sum_cny": Decimal(rng.randint(5, 500) * 10_000),
                }
            offers.append(LicensingOffer(**values))
        with transaction.atomic():
            LicensingOffer.objects.bulk_create(offers, batch_size=1000)
            OfferPatent.objects.bulk_create(
                [
                    OfferPatent(offer=offer, patent_id=row[0], order=1)
                    for offer, row in zip(offers, batch, strict=True)
                ],
                batch_size=2000,
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE patents_patent SET has_offer = TRUE WHERE id = ANY(%s)",
                    [[row[0] for row in batch]],
                )
        created += len(batch)
    return created, (timezone.now() - started).total_seconds()


def bench_uscc(index: int) -> str:
    first17 = f"91310115MB{index:07d}"
    return first17 + check_character(first17)


def load_enterprises(
    target: int, model: bench_data.CorpusModel, *, seed: int = 13
) -> tuple[int, float]:
    present = Enterprise.all_objects.filter(name__startswith=BENCH_MARK).count()
    if present >= target:
        return 0, 0.0
    started = timezone.now()
    today = timezone.localdate()
    rules = {}
    for code in INDUSTRIES:
        group = sizes.industry_group(code)
        standard = size_standard_in_force(group, today) if group else None
        rules[code] = (standard, size_rule(standard) if standard else None)
    created = 0
    for indexes in _chunks(target, present):
        batch = []
        for index in indexes:
            rng = random.Random(seed * 1_000_003 + index)  # noqa: S311
            industry = rng.choice(INDUSTRIES)
            employees = int(rng.lognormvariate(3.5, 1.2))
            revenue = Decimal(int(employees * rng.uniform(2e5, 2e6)))
            standard, rule = rules[industry]
            verdict = (
                sizes.classify(rule, employees=employees, revenue_cny=revenue, assets_cny=revenue)
                if rule
                else None
            )
            batch.append(
                Enterprise(
                    name=f"{BENCH_MARK}{rng.choice(model.words[:800])}{rng.choice(model.words[:800])}有限公司{index}",
                    uscc=bench_uscc(index),
                    region_id=model.regions[index % len(model.regions)],
                    industry_code=industry,
                    employees=employees,
                    revenue_cny=revenue,
                    assets_cny=revenue,
                    size_class=verdict.size_class if verdict else SizeClass.UNKNOWN,
                    size_standard=standard,
                    size_reason=verdict.reason_en if verdict else "",
                    size_reason_zh=verdict.reason_zh if verdict else "",
                )
            )
        Enterprise.objects.bulk_create(batch, batch_size=1000)
        created += len(batch)
    return created, (timezone.now() - started).total_seconds()


def demand_values(index: int, model: bench_data.CorpusModel) -> dict[str, Any]:
    """A demand written like a patent title of the synthetic corpus (its words, its IPC)."""
    row = bench_data.patent_row(50_000_000 + index, model, ["x"])
    rng = random.Random(17 * 1_000_003 + index)  # noqa: S311
    subclass = row["ipc_codes"].split("|")[0][:4]
    return {
        "title": "寻求" + row["title"].removeprefix("一种"),
        "description": row["abstract"][:200],
        "keywords": row["keywords"].split("|")[:3],
        "ipc_codes": [subclass] if rng.random() < 0.7 else [],
        "wanted_offer_types": rng.choice([["ordinary", "open_licence"], ["assignment"], []]),
        "budget_max_cny": Decimal(rng.randint(10, 300) * 10_000),
    }


def load_demands(target: int, model: bench_data.CorpusModel) -> tuple[int, float]:
    """Open demands of the bench enterprises (without stored matches: matching each of
    50,000 demands would take an hour; the bench times matching on a sample)."""
    enterprise_ids = list(
        Enterprise.objects.filter(name__startswith=BENCH_MARK)
        .order_by("id")
        .values_list("id", flat=True)
    )
    present = TechnologyDemand.all_objects.filter(enterprise_id__in=enterprise_ids).count()
    if present >= target or not enterprise_ids:
        return 0, 0.0
    started = timezone.now()
    now = timezone.now()
    created = 0
    for indexes in _chunks(target, present):
        batch = []
        for index in indexes:
            values = demand_values(index, model)
            codes = list(values["ipc_codes"])
            batch.append(
                TechnologyDemand(
                    enterprise_id=enterprise_ids[index % len(enterprise_ids)],
                    status=DemandStatus.OPEN,
                    opened_at=now,
                    ipc_subclasses=sorted({c[:4] for c in codes}),
                    deadline=timezone.localdate() + datetime.timedelta(days=365),
                    **values,
                )
            )
        TechnologyDemand.objects.bulk_create(batch, batch_size=1000)
        created += len(batch)
    return created, (timezone.now() - started).total_seconds()
