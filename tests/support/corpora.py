"""Small corpora of patents that tests in more than one app read.

``pending_patent_maker(actor, holder)`` gives ``make(title, codes, **values)``: ``holder``'s
pending application filed 2021-05-01, numbered by its publication; ``tiny_corpus(make)``
is four of them (a cathode, a separator, an irrigation nozzle, and a casing without a code)
for the term-to-IPC statistics (``tests/patents/test_ipc_statistics.py``) and the IPC
suggestions that read them (``tests/enterprises/test_ipc_suggestions.py``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from conversion_db.services import Actor
from patents.models import Holder, Patent
from tests.factories import PatentFactory

PatentMaker = Callable[..., Patent]


def pending_patent_maker(actor: Actor, holder: Holder) -> PatentMaker:
    def make(title: str, codes: list[str], **values: Any) -> Patent:
        values = {"filing_date": datetime.date(2021, 5, 1), **values}
        return PatentFactory.create(
            actor=actor,
            publication_only=True,
            pending=True,
            title=title,
            ipc_codes=codes,
            holders=[holder],
            **values,
        )

    return make


def tiny_corpus(make: PatentMaker) -> dict[str, Patent]:
    return {
        "cathode": make("锂电池正极", ["H01M 4/13", "H01M 10/0525"]),
        "separator": make("锂电池隔膜", ["H01M 2/16"], keywords=["隔膜"]),
        "nozzle": make("灌溉喷头", ["A01G 25/02", "B05B 1/00"]),
        "no_code": make("锂电池外壳", []),
    }
