"""``manage.py evaluate_matching``: how well the matching engine finds the right IPC.

Leave-one-out over patents already in the database (``manage.py seed`` loads ~7,860 real
patents with known IPC): each sampled patent is a held-out query, passed in
``exclude_patent_ids``, so it cannot find itself; every other patent stays available as
evidence. ``suggest_ipc`` from the term-to-IPC statistics subtracts the held-out
patent's own counts (every term of its text, with each of its codes, and the totals)
from the rows it reads, so the statistics are those of the other patents (exact when
they were built after the patent was added: run ``build_ipc_statistics`` first); the
neighbours' vote (the fallback) leaves it out of the candidates. Printed:

- ``suggest_ipc`` on the title alone, and on title + abstract (patents with an abstract):
  top-1 and top-3 subclass accuracy, where a hit is a suggested subclass that is one of
  the patent's own subclasses ("any"), or its main subclass (the first code, "main");
- ``find_matches`` with the title as the demand text (no IPC given): the share of the top
  10 results that carry the query patent's main subclass;
- which method answered ``suggest_ipc`` (statistics, or the neighbours' fallback);
- median and p95 latency of each call.

With ``--judged tests/data/judged_demands.jsonl``: instead, the judged demands (texts
written the way Shanghai SMEs write a demand, each with the IPC subclasses an examiner
would give it; tests/data/README.md), each matched as a demand posted with no IPC codes
(``find_matches`` of its text, top 10). Printed: the zero-match rate, precision@10 by
subclass (share of the top-ten matched patents carrying one of the judged subclasses),
the share of demands with a relevant patent in the top ten, ``suggest_ipc``'s top-1 and
top-3 subclass accuracy on the same texts, and the latency of both calls.

With ``--heldout``: the trained IPC classifier against the statistics on unseen titles.
The patents of the fixed held-out tenth (``ipc_model.is_held_out``: a hash of the patent
number) are left out of a model trained here, in memory, on the other patents and the
scheme's titles (as ``train_ipc_model`` trains); then, for each held-out title, top-1 and
top-3 subclass accuracy ("any" of its subclasses) of: the statistics (leave-one-out, as
above: only the patent itself is subtracted, so they keep the other held-out patents as
evidence, an advantage over the model), the model alone, and ``suggest_ipc`` as it
answers with that model (the model, or the statistics where the model is unsure). With
``--judged`` too, the same three on the judged demands, with the same model.

With ``--judged`` alone, ``suggest_ipc``'s figures are also given per method: the
statistics alone, and the current model (``IPC_MODEL_DIR``) alone when there is one.

ANALYZE runs first, so that the term statistics the engine reads are current.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from enterprises.matching.ipc_suggestions import suggest_ipc
from enterprises.matching.matches import MatchQuery, find_matches
from enterprises.matching.terms import clear_term_statistics, term_statistics
from patents.models import Patent
from patents.reference.ipc import IpcSymbolError, parse_ipc
from patents.search import ipc_model

T = TypeVar("T")


def _subclasses(codes: list[str]) -> list[str]:
    found = []
    for code in codes:
        try:
            symbol = parse_ipc(code)
        except IpcSymbolError:
            continue
        if symbol.subclass_letter:
            found.append(symbol.subclass)
    return list(dict.fromkeys(found))


def _timed(call: Callable[[], T], latencies: list[float]) -> T:
    start = time.perf_counter()
    result = call()
    latencies.append((time.perf_counter() - start) * 1000)
    return result


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Accuracy:
    def __init__(self) -> None:
        self.n = 0
        self.hits = {"top1_any": 0, "top3_any": 0, "top1_main": 0, "top3_main": 0}

    def add(self, suggested: list[str], own: list[str]) -> None:
        self.n += 1
        main = own[0]
        self.hits["top1_any"] += bool(set(suggested[:1]) & set(own))
        self.hits["top3_any"] += bool(set(suggested[:3]) & set(own))
        self.hits["top1_main"] += main in suggested[:1]
        self.hits["top3_main"] += main in suggested[:3]

    def share(self, name: str) -> float:
        return 100.0 * self.hits[name] / self.n if self.n else 0.0


class Command(BaseCommand):
    help = (
        "Leave-one-out evaluation of suggest_ipc and find_matches over the patents in the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sample", type=int, default=500, help="Held-out patents (default 500)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed of the sample.")
        parser.add_argument(
            "--judged",
            default="",
            help="A judged demand set (JSON lines: text, subclasses), e.g. "
            "tests/data/judged_demands.jsonl: evaluate demands instead of held-out patents.",
        )
        parser.add_argument(
            "--heldout",
            action="store_true",
            help="Train the IPC classifier without the held-out tenth of the patents and "
            "compare it with the statistics on their titles (and on --judged demands).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sample_size: int = options["sample"]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE patents_patent")
        clear_term_statistics()
        term_statistics()  # loaded once, outside the timings
        if options["heldout"]:
            judged = Path(options["judged"]) if options["judged"] else None
            self.evaluate_heldout(judged)
            return
        if options["judged"]:
            self.evaluate_judged(Path(options["judged"]))
            return
        pool = list(
            Patent.objects.exclude(ipc_codes=[])
            .order_by("id")
            .values_list("id", "title", "abstract", "ipc_codes")
        )
        rng = random.Random(options["seed"])  # noqa: S311 - a reproducible sample, not a secret
        sample = rng.sample(pool, min(sample_size, len(pool)))
        with ipc_model.override(None):  # a model has seen the held-out patents
            self.evaluate_leave_one_out(pool, sample, options["seed"])

    def evaluate_leave_one_out(self, pool: list[Any], sample: list[Any], seed: int) -> None:
        title_acc, full_acc = Accuracy(), Accuracy()
        in_main: list[float] = []
        methods: dict[str, int] = {"statistics": 0, "neighbours": 0}
        timings: dict[str, list[float]] = {"suggest_title": [], "suggest_full": [], "matches": []}
        for patent_id, title, abstract, codes in sample:
            own = _subclasses(codes)
            if not own:
                continue
            exclude = frozenset({patent_id})
            suggestions = _timed(
                lambda: suggest_ipc(title, limit=10, exclude_patent_ids=exclude),  # noqa: B023
                timings["suggest_title"],
            )
            title_acc.add([s.code for s in suggestions if s.level == "subclass"], own)
            if suggestions:
                methods[suggestions[0].method] += 1
            if abstract:
                text = f"{title} {abstract}"
                suggestions = _timed(
                    lambda: suggest_ipc(text, limit=10, exclude_patent_ids=exclude),  # noqa: B023
                    timings["suggest_full"],
                )
                full_acc.add([s.code for s in suggestions if s.level == "subclass"], own)
            query = MatchQuery(text=title, exclude_patent_ids=exclude)
            found = _timed(lambda: find_matches(query, limit=10), timings["matches"])  # noqa: B023
            if found:
                codes_of = dict(
                    Patent.objects.filter(pk__in=[m.patent_id for m in found]).values_list(
                        "id", "ipc_codes"
                    )
                )
                same = sum(own[0] in _subclasses(codes_of.get(m.patent_id, [])) for m in found)
                in_main.append(same / len(found))
            else:
                in_main.append(0.0)
        write = self.stdout.write
        write(
            f"evaluate_matching: leave-one-out, {title_acc.n} held-out patents of {len(pool)} (seed {seed}; "
            "statistics: the trained model is not used here, see --heldout)"
        )
        for label, acc in (("title", title_acc), ("title+abstract", full_acc)):
            write(
                f"suggest_ipc[{label}] n={acc.n} "
                f"top1_any={acc.share('top1_any'):.1f}% top3_any={acc.share('top3_any'):.1f}% "
                f"top1_main={acc.share('top1_main'):.1f}% top3_main={acc.share('top3_main'):.1f}%"
            )
        write(
            "suggest_ipc[title] methods: "
            + " ".join(f"{name}={count}" for name, count in methods.items())
        )
        share = 100.0 * statistics.fmean(in_main) if in_main else 0.0
        write(f"find_matches[title] n={len(in_main)} top10_in_main_subclass={share:.1f}%")
        for name, values in timings.items():
            if values:
                write(
                    f"latency[{name}] n={len(values)} median={statistics.median(values):.1f}ms "
                    f"p95={_p95(values):.1f}ms"
                )

    def evaluate_judged(self, path: Path) -> None:
        """Each judged demand matched as an SME posts it: its text, no IPC codes."""
        demands = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        zero = relevant_in_top = 0
        precision: list[float] = []
        suggest = Accuracy()
        timings: dict[str, list[float]] = {"matches": [], "suggest": []}
        for demand in demands:
            judged = set(demand["subclasses"])
            text = demand["text"]
            suggestions = _timed(lambda: suggest_ipc(text, limit=10), timings["suggest"])  # noqa: B023
            suggested = [s.code for s in suggestions if s.level == "subclass"]
            suggest.add(suggested, list(demand["subclasses"]))
            found = _timed(
                lambda: find_matches(MatchQuery(text=text), limit=10),  # noqa: B023
                timings["matches"],
            )
            if not found:
                zero += 1
                precision.append(0.0)
                continue
            codes_of = dict(
                Patent.objects.filter(pk__in=[m.patent_id for m in found]).values_list(
                    "id", "ipc_codes"
                )
            )
            hits = [bool(judged & set(_subclasses(codes_of.get(m.patent_id, [])))) for m in found]
            precision.append(sum(hits) / len(found))
            relevant_in_top += any(hits)
        n = len(demands)
        write = self.stdout.write
        write(f"evaluate_matching: judged demands, {n} from {path} (no IPC codes given)")
        if not n:
            return
        write(
            f"find_matches[judged] n={n} zero_match={100.0 * zero / n:.1f}% "
            f"precision@10_subclass={100.0 * statistics.fmean(precision):.1f}% "
            f"relevant_in_top10={100.0 * relevant_in_top / n:.1f}%"
        )
        write(
            f"suggest_ipc[judged] n={suggest.n} top1={suggest.share('top1_any'):.1f}% "
            f"top3={suggest.share('top3_any'):.1f}%"
        )
        model = ipc_model.current_model()
        self.compare_methods(
            "judged", [(d["text"], list(d["subclasses"]), None) for d in demands], model
        )
        for name, values in timings.items():
            write(
                f"latency[{name}] n={len(values)} median={statistics.median(values):.1f}ms "
                f"p95={_p95(values):.1f}ms"
            )

    def compare_methods(
        self,
        label: str,
        cases: list[tuple[str, list[str], int | None]],
        model: ipc_model.IpcModel | None,
    ) -> None:
        """Top-1/top-3 of the statistics alone, the model alone and ``suggest_ipc`` with
        the model, on (text, judged subclasses, patent id to leave out) cases."""
        accuracy = {"statistics": Accuracy(), "model": Accuracy(), "answered": Accuracy()}
        timings: dict[str, list[float]] = {"statistics": [], "model": []}
        answered_by: dict[str, int] = {"model": 0, "statistics": 0, "neighbours": 0}
        for text, own, patent_id in cases:
            exclude = frozenset({patent_id}) if patent_id is not None else frozenset()
            with ipc_model.override(None):
                found = _timed(
                    lambda: suggest_ipc(text, limit=10, exclude_patent_ids=exclude),  # noqa: B023
                    timings["statistics"],
                )
            accuracy["statistics"].add([s.code for s in found if s.level == "subclass"], own)
            if model is None:
                continue
            predicted = _timed(lambda: model.predict(text, limit=10), timings["model"])  # noqa: B023
            accuracy["model"].add([p.code for p in predicted], own)
            with ipc_model.override(model):
                found = suggest_ipc(text, limit=10, exclude_patent_ids=exclude)
            accuracy["answered"].add([s.code for s in found if s.level == "subclass"], own)
            if found:
                answered_by[found[0].method] += 1
        write = self.stdout.write
        if model is None:
            write(f"ipc_methods[{label}] no trained model (manage.py train_ipc_model)")
        for method, acc in accuracy.items():
            if acc.n:
                write(
                    f"ipc_methods[{label}] method={method} n={acc.n} "
                    f"top1={acc.share('top1_any'):.1f}% top3={acc.share('top3_any'):.1f}%"
                )
        if model is not None:
            write(
                f"ipc_methods[{label}] answered_by: "
                + " ".join(f"{name}={count}" for name, count in answered_by.items())
            )
            write(f"ipc_methods[{label}] model=ipc-{model.version}")
        for name, values in timings.items():
            if values:
                write(
                    f"latency[{label}:{name}] n={len(values)} "
                    f"median={statistics.median(values):.2f}ms p95={_p95(values):.2f}ms"
                )

    def evaluate_heldout(self, judged: Path | None) -> None:
        """The classifier trained without the held-out tenth, against the statistics."""
        patents = list(ipc_model.labelled_patents())
        held = [p for p in patents if p.held_out]
        examples = [
            ipc_model.Example(ipc_model.patent_text(p.title, p.abstract), p.labels)
            for p in patents
            if not p.held_out
        ]
        examples += ipc_model.scheme_examples()
        start = time.perf_counter()
        model = ipc_model.train(examples)
        write = self.stdout.write
        write(
            f"evaluate_matching: held out {len(held)} of {len(patents)} labelled patents "
            f"(hash of the patent number); model trained on {len(examples)} examples in "
            f"{time.perf_counter() - start:.0f}s ({model.manifest['features']} features, "
            f"{model.manifest['weights_kept']} weights)"
        )
        self.compare_methods(
            "heldout-title", [(p.title, list(p.labels), p.id) for p in held], model
        )
        if judged is not None:
            demands = [json.loads(line) for line in judged.read_text().splitlines() if line.strip()]
            self.compare_methods(
                "judged", [(d["text"], list(d["subclasses"]), None) for d in demands], model
            )
