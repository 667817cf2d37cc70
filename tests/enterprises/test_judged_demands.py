"""The judged demand set (tests/data/judged_demands.jsonl) that ``evaluate_matching
--judged`` reports on: well-formed, 40+ demands, valid subclasses."""

import json
from pathlib import Path

from patents.reference.ipc import parse_ipc

JUDGED = Path(__file__).resolve().parent.parent / "data" / "judged_demands.jsonl"


def test_the_judged_set_is_well_formed():
    lines = [line for line in JUDGED.read_text(encoding="utf-8").splitlines() if line.strip()]
    demands = [json.loads(line) for line in lines]
    assert len(demands) >= 40
    assert len({d["id"] for d in demands}) == len(demands)
    assert len({d["text"] for d in demands}) == len(demands)
    for demand in demands:
        assert set(demand) == {"id", "industry", "text", "subclasses"}, demand["id"]
        assert len(demand["text"]) >= 10, demand["id"]
        assert demand["subclasses"], demand["id"]
        for code in demand["subclasses"]:
            symbol = parse_ipc(code)
            assert symbol.level == "subclass", (demand["id"], code)
            assert symbol.symbol == code, (demand["id"], code)
