"""``manage.py seed``: the reference figures of ``seeds/indicators/`` (README there).

Idempotent: each row is matched on its natural key and written only when it differs, so a
second run writes nothing (and adds no history); rows operators added are left alone.
"""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from indicators.models import PublishedFigure, ResidentPopulation, Target


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _sync(model: type[models.Model], key: dict[str, Any], values: dict[str, Any]) -> str:
    """Create, update or leave one row: ``created``, ``updated`` or ``unchanged``."""
    instance = model._default_manager.filter(**key).first()
    if instance is None:
        model._default_manager.create(**key, **values)
        return "created"
    if all(getattr(instance, name) == value for name, value in values.items()):
        return "unchanged"
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()
    return "updated"


def _source(row: dict[str, str]) -> dict[str, Any]:
    return {
        "source_url": row["source_url"],
        "source_as_stated": row["source_as_stated"],
        "reliability": row["reliability"],
        "reliability_note": row["reliability_note"],
    }


@transaction.atomic
def load_indicator_reference(seeds_dir: Path) -> str:
    """Load population, published figures and targets; a one-line report."""
    folder = seeds_dir / "indicators"
    counts: dict[str, int] = {"created": 0, "updated": 0, "unchanged": 0}
    for row in _rows(folder / "population.csv"):
        outcome = _sync(
            ResidentPopulation,
            {"region_id": row["region_code"], "year": int(row["year"]), "kind": row["kind"]},
            {"as_of": _date(row["as_of"]), "population": int(row["population"]), **_source(row)},
        )
        counts[outcome] += 1
    for row in _rows(folder / "published_figures.csv"):
        outcome = _sync(
            PublishedFigure,
            {
                "region_name": row["region_name"],
                "name_as_published": row["name_as_published"],
                "year": int(row["year"]),
            },
            {
                "region_id": row["region_code"] or None,
                "indicator": row["indicator"],
                "as_of": _date(row["as_of"]),
                "value_as_published": row["value_as_published"],
                "unit_as_published": row["unit_as_published"],
                "value": _decimal(row["value"]),
                **_source(row),
            },
        )
        counts[outcome] += 1
    for row in _rows(folder / "targets.csv"):
        outcome = _sync(
            Target,
            {
                "region_id": row["region_code"],
                "indicator": row["indicator"],
                "deadline": _date(row["deadline"]),
            },
            {
                "comparison": row["comparison"],
                "value": Decimal(row["value"]),
                "year": int(row["year"]),
                "baseline_value": _decimal(row["baseline_value"]),
                "baseline_year": int(row["baseline_year"]) if row["baseline_year"] else None,
                "document": row["document"],
                "source_url": row["source_url"],
                "note": row["note"],
            },
        )
        counts[outcome] += 1
    return (
        "indicator reference figures: "
        f"{counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged"
    )
