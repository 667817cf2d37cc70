"""The trained IPC subclass classifier behind ``suggest_ipc`` (``manage.py train_ipc_model``).

What it is. A linear support-vector classifier (scikit-learn's ``LinearSVC``, one
against the rest) over TF-IDF weighted character 1- and 2-grams of a text: Chinese
characters and adjacent pairs within the stretches between stop words
(``stopwords.MATCHING_STOP_WORDS``, the words matching drops: boilerplate, demand
phrasing, conversation), and Latin words whole. Labels are IPC subclasses (H01M).

What it learns from. Every patent in the database that has an IPC code (its title and
abstract, one example per subclass it carries), and the titles of the Chinese IPC scheme
(``IpcClass``, references cut out: each subclass's title, and each main group's title
with its subgroups' titles, as examples of their subclass with weight ``SCHEME_WEIGHT``),
so that subclasses no patent carries yet are known too. Examples are sorted by content before training, and the
solver's seed is fixed, so the same data gives the same model, whatever the database's
row order or ids.

What is kept. Only what prediction needs, as numpy arrays in one ``.npz`` file: the
vocabulary, the IDF weights, the weights by feature (those under ``PRUNE`` of the largest
dropped, the rest quantised to ``int8``), the intercepts and the classes; a JSON manifest
beside it (training-data hash, counts, library versions, parameters). Prediction needs
numpy only and reads no database. Files: ``<IPC_MODEL_DIR>/ipc-<version>.npz`` and
``.json``, ``version`` the first 16 hex digits of the training-data hash (which covers
the examples, the parameters and the library versions), and ``ipc-current.json``
naming the one in use (replaced atomically). ``current_model`` loads it once per process
and again when ``ipc-current.json`` changes.

Held-out split (``is_held_out``): a patent whose number hashes into bucket 0 of
``HOLDOUT_BUCKETS`` (10%) is left out of ``patent_examples(held_out=False)``;
``evaluate_matching --heldout`` trains on the rest and measures on those.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from patents.models import IpcClass, Patent
from patents.reference.ipc import IpcSymbolError, parse_ipc
from patents.search.stopwords import MATCHING_STOP_WORDS
from patents.search.text import CJK_RUN, latin_words, meaningful_words, normalise_text

MODEL_FORMAT = 1
C = 0.5  # LinearSVC's regularisation (larger: fits the training titles more closely)
SEED = 0  # LinearSVC's random_state: the order its solver visits examples in
SCHEME_WEIGHT = 1.0  # one main group's titles against one patent
DOCUMENT_CHARS = 300  # of a patent's title + abstract
SCHEME_CHARS = 3000  # of a main group's titles
MAX_TEXT_CHARS = 1000  # of a text to classify
PRUNE = 0.01  # weights under this share of the largest one are dropped (half of them)
TEMPERATURE = 4.0  # score = softmax(TEMPERATURE * decision value) over the subclasses
HOLDOUT_BUCKETS = 10
CURRENT = "ipc-current.json"
KEEP_VERSIONS = 2  # model files kept in the folder (the current one and the one before)
_SCHEME_NOTE = re.compile(r"（[^（）]*）|\([^()]*\)")  # references: （…入A01C5/00）
LIBRARIES = ("numpy", "scipy", "scikit-learn")


# --- Features -----------------------------------------------------------------------------
def features(text: str) -> list[str]:
    """The n-grams of a text, repeated as often as they occur: characters and adjacent
    pairs of Chinese characters within each stretch between stop words, and Latin words
    (lower-cased) prefixed ``w:``. Training and prediction use this same function."""
    normalised = normalise_text(text[:MAX_TEXT_CHARS])
    grams: list[str] = []
    for run in CJK_RUN.finditer(normalised):
        pieces, _dropped = meaningful_words(run.group(), MATCHING_STOP_WORDS)
        for words in pieces:
            piece = "".join(words)
            grams.extend(piece)
            grams.extend(piece[i : i + 2] for i in range(len(piece) - 1))
    grams.extend(f"w:{word}" for word in latin_words(normalised) if len(word) > 1)
    return grams


# --- Training data ------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Example:
    text: str
    labels: tuple[str, ...]  # subclasses, the main one first
    weight: float = 1.0
    scheme: bool = False  # titles of the IPC scheme, not a patent


def subclasses(codes: Iterable[str]) -> tuple[str, ...]:
    """The subclasses (H01M) of IPC codes, in order, without repeats."""
    found: list[str] = []
    for code in codes or []:
        try:
            symbol = parse_ipc(code)
        except IpcSymbolError:
            continue
        if symbol.subclass_letter:
            found.append(symbol.subclass)
    return tuple(dict.fromkeys(found))


def is_held_out(number: str) -> bool:
    """Whether a patent (by its publication or application number, else its title) is
    in the fixed held-out tenth: the first four bytes of the SHA-256 of the number, as
    an integer, modulo ``HOLDOUT_BUCKETS``, are 0."""
    digest = hashlib.sha256(number.encode()).digest()
    return int.from_bytes(digest[:4], "big") % HOLDOUT_BUCKETS == 0


def patent_text(title: str, abstract: str) -> str:
    return f"{title or ''} {abstract or ''}".strip()[:DOCUMENT_CHARS]


@dataclass(frozen=True)
class LabelledPatent:
    id: int
    number: str  # publication number, else application number, else the title
    title: str
    abstract: str
    labels: tuple[str, ...]

    @property
    def held_out(self) -> bool:
        return is_held_out(self.number)


def labelled_patents() -> Iterator[LabelledPatent]:
    """Every patent not deleted that has an IPC subclass, by id."""
    rows = (
        Patent.objects.filter(deleted_at__isnull=True)
        .exclude(ipc_codes=[])
        .order_by("id")
        .values_list(
            "id", "publication_number", "application_number", "title", "abstract", "ipc_codes"
        )
    )
    for patent_id, publication, application, title, abstract, codes in rows.iterator(
        chunk_size=5000
    ):
        labels = subclasses(codes)
        if labels and (title or abstract):
            number = publication or application or title
            yield LabelledPatent(patent_id, number, title or "", abstract or "", labels)


def patent_examples(*, held_out: bool | None = None) -> list[Example]:
    """The patents as examples (title and abstract, their subclasses); ``held_out``
    False: without the held-out tenth, True: only it, None: all."""
    return [
        Example(patent_text(p.title, p.abstract), p.labels)
        for p in labelled_patents()
        if held_out is None or p.held_out == held_out
    ]


def scheme_examples(weight: float = SCHEME_WEIGHT) -> list[Example]:
    """The Chinese titles of the scheme, references cut out: one example per subclass
    (its title) and one per main group (its title and those of its subgroups, joined), each
    an example of its subclass. Joined per main group, 78,000 titles make 8,000 examples,
    which keeps training to about a minute."""
    rows = (
        IpcClass.objects.filter(level__in=["subclass", "main_group", "subgroup"])
        .exclude(title_zh="")
        .order_by("key")
        .values_list("symbol", "level", "title_zh")
    )
    documents: dict[str, list[str]] = {}
    for symbol, level, title in rows.iterator(chunk_size=5000):
        text = _SCHEME_NOTE.sub(" ", title).strip(" .")
        if not CJK_RUN.search(text):
            continue
        key = symbol if level == "subclass" else symbol.split("/")[0]
        documents.setdefault(key, []).append(text)
    return [
        Example("。".join(titles)[:SCHEME_CHARS], (key[:4],), weight, scheme=True)
        for key, titles in sorted(documents.items())
    ]


def library_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in LIBRARIES}


def parameters() -> dict[str, Any]:
    return {
        "format": MODEL_FORMAT,
        "ngrams": [1, 2],
        "C": C,
        "seed": SEED,
        "scheme_weight": SCHEME_WEIGHT,
        "document_chars": DOCUMENT_CHARS,
        "scheme_chars": SCHEME_CHARS,
        "prune": PRUNE,
        "temperature": TEMPERATURE,
    }


def training_hash(examples: Sequence[Example]) -> str:
    """SHA-256 of the sorted examples, the parameters and the library versions."""
    digest = hashlib.sha256()
    digest.update(json.dumps([parameters(), library_versions()], sort_keys=True).encode())
    for example in sorted(examples):
        digest.update(
            json.dumps(
                [example.text, list(example.labels), example.weight, example.scheme]
            ).encode()
            + b"\n"
        )
    return digest.hexdigest()


# --- The model ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Prediction:
    code: str  # subclass
    score: float  # softmax share, 0..1
    decision: float  # the classifier's raw value (> 0: inside the class's margin)


@dataclass
class IpcModel:
    classes: list[str]
    vocabulary: dict[str, int]
    idf: np.ndarray  # float32, one per feature
    indptr: np.ndarray  # int64, features + 1: weights of feature f are [indptr[f], indptr[f+1])
    indices: np.ndarray  # uint16, the class of each weight
    weights: np.ndarray  # int8, quantised: the weight is value * scale
    scale: float
    intercept: np.ndarray  # float32, one per class
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", ""))

    def decision(self, text: str) -> np.ndarray | None:
        """The decision value of every class for a text; None when no n-gram of the text
        is in the vocabulary (the model knows nothing of it)."""
        counts = Counter(features(text))
        known = [(self.vocabulary[g], n) for g, n in counts.items() if g in self.vocabulary]
        if not known:
            return None
        ids = np.fromiter((i for i, _n in known), dtype=np.int64, count=len(known))
        tf = np.fromiter((1.0 + math.log(n) for _i, n in known), dtype=np.float32)
        values = tf * self.idf[ids]
        values /= float(np.linalg.norm(values)) or 1.0
        starts, ends = self.indptr[ids], self.indptr[ids + 1]
        lengths = ends - starts
        positions = np.repeat(ends - lengths.cumsum(), lengths) + np.arange(lengths.sum())
        contributions = np.repeat(values, lengths) * self.weights[positions]
        summed = np.bincount(
            self.indices[positions], weights=contributions, minlength=len(self.classes)
        )
        return self.intercept + summed * self.scale

    def predict(self, text: str, limit: int = 10) -> list[Prediction]:
        """The best ``limit`` subclasses for a text, best first (ties by code)."""
        scores = self.decision(text)
        if scores is None:
            return []
        shares = np.exp(TEMPERATURE * (scores - scores.max()))
        shares /= shares.sum()
        order = np.argsort(-scores, kind="stable")[:limit]  # classes are sorted: ties by code
        return [Prediction(self.classes[i], float(shares[i]), float(scores[i])) for i in order]

    # Storage -------------------------------------------------------------------------------
    def save(self, directory: Path) -> Path:
        """Write ``ipc-<version>.npz`` and its manifest ``.json`` into ``directory``, then
        point ``ipc-current.json`` at them; older versions beyond ``KEEP_VERSIONS`` go."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"ipc-{self.version}.npz"
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        temporary = directory / f".{path.name}.tmp"
        with temporary.open("wb") as handle:
            np.savez_compressed(
                handle,
                classes=np.array(self.classes),
                terms=np.array(terms),
                idf=self.idf,
                indptr=self.indptr,
                indices=self.indices,
                weights=self.weights,
                scale=np.array([self.scale], dtype=np.float64),
                intercept=self.intercept,
            )
        os.replace(temporary, path)
        manifest = {**self.manifest, "file": path.name, "bytes": path.stat().st_size}
        self.manifest = manifest
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        (directory / f"ipc-{self.version}.json").write_text(text)
        pointer = directory / f".{CURRENT}.tmp"
        pointer.write_text(text)
        os.replace(pointer, directory / CURRENT)
        _remove_old_versions(directory, keep=self.version)
        return path

    @classmethod
    def load(cls, path: Path, manifest: dict[str, Any] | None = None) -> IpcModel:
        with np.load(path, allow_pickle=False) as data:
            terms = [str(term) for term in data["terms"]]
            return cls(
                classes=[str(code) for code in data["classes"]],
                vocabulary={term: index for index, term in enumerate(terms)},
                idf=data["idf"],
                indptr=data["indptr"],
                indices=data["indices"],
                weights=data["weights"],
                scale=float(data["scale"][0]),
                intercept=data["intercept"],
                manifest=dict(manifest or {}),
            )


def _remove_old_versions(directory: Path, *, keep: str) -> None:
    manifests = sorted(
        directory.glob("ipc-*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True
    )
    kept = 0
    for manifest in manifests:
        if manifest.name == CURRENT:
            continue
        version = manifest.stem.removeprefix("ipc-")
        if version == keep or kept < KEEP_VERSIONS - 1:
            kept += version != keep
            continue
        manifest.unlink(missing_ok=True)
        (directory / f"ipc-{version}.npz").unlink(missing_ok=True)


@dataclass
class Fitted:
    """A trained classifier before it is made compact: dense weights, classes x features."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    classes: list[str]
    coef: np.ndarray
    intercept: np.ndarray
    seconds: float


def fit(examples: Sequence[Example]) -> Fitted:
    """Train the classifier on ``examples`` (one training row per label of each)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    start = time.monotonic()
    texts: list[str] = []
    labels: list[str] = []
    weights: list[float] = []
    for example in sorted(examples):
        for label in example.labels:
            texts.append(example.text)
            labels.append(label)
            weights.append(example.weight)
    if len(set(labels)) < 2:
        raise ValueError("training needs examples of at least two IPC subclasses")
    vectoriser = TfidfVectorizer(analyzer=features, sublinear_tf=True, dtype=np.float32, norm="l2")
    matrix = vectoriser.fit_transform(texts)
    classifier = LinearSVC(C=C, random_state=SEED, tol=1e-3, max_iter=2000)
    classifier.fit(matrix, labels, sample_weight=np.asarray(weights, dtype=np.float64))
    coef = np.asarray(classifier.coef_, dtype=np.float32)
    intercept = np.asarray(classifier.intercept_, dtype=np.float32)
    classes = [str(code) for code in classifier.classes_]
    if len(classes) == 2:  # a binary problem has one row: the second class against the first
        coef = np.vstack([-coef, coef])
        intercept = np.concatenate([-intercept, intercept])
    return Fitted(
        vocabulary={str(term): int(index) for term, index in vectoriser.vocabulary_.items()},
        idf=np.asarray(vectoriser.idf_, dtype=np.float32),
        classes=classes,
        coef=coef,
        intercept=intercept,
        seconds=time.monotonic() - start,
    )


def compact(fitted: Fitted, *, prune: float = PRUNE) -> IpcModel:
    """The weights by feature, those under ``prune`` of the largest dropped, the rest
    quantised to int8."""
    coef = fitted.coef
    largest = float(np.abs(coef).max()) or 1.0
    scale = largest / 127.0
    by_feature = coef.T.copy()  # features x classes
    by_feature[np.abs(by_feature) < prune * largest] = 0.0
    quantised = np.rint(by_feature / scale).astype(np.int8)
    rows, cols = np.nonzero(quantised)  # row-major: by feature, then class
    indptr = np.zeros(quantised.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=quantised.shape[0]), out=indptr[1:])
    return IpcModel(
        classes=fitted.classes,
        vocabulary=fitted.vocabulary,
        idf=fitted.idf,
        indptr=indptr,
        indices=cols.astype(np.uint16),
        weights=quantised[rows, cols],
        scale=scale,
        intercept=fitted.intercept,
    )


def train(examples: Sequence[Example], *, data_hash: str | None = None) -> IpcModel:
    """Train, make compact, and describe (the manifest)."""
    fitted = fit(examples)
    model = compact(fitted)
    data_hash = data_hash or training_hash(examples)
    patents = sum(1 for e in examples if not e.scheme)
    model.manifest = {
        "version": data_hash[:16],
        "training_data_sha256": data_hash,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "training_seconds": round(fitted.seconds, 1),
        "examples": len(examples),
        "patent_examples": patents,
        "scheme_examples": len(examples) - patents,
        "classes": len(model.classes),
        "features": len(model.vocabulary),
        "weights_kept": len(model.weights),
        "parameters": parameters(),
        "libraries": library_versions(),
    }
    return model


# --- The model in use ---------------------------------------------------------------------
def model_dir() -> Path:
    return Path(settings.IPC_MODEL_DIR)


@dataclass(frozen=True)
class BuildReport:
    built: bool  # False: the model of the same training data was already there
    manifest: dict[str, Any]
    kept: bool = False  # an existing model kept as it is (``keep_existing``)

    def __str__(self) -> str:
        m = self.manifest
        if not m:
            return "no patent with an IPC code to learn from: no model"
        what = (
            "built"
            if self.built
            else "kept (manage.py train_ipc_model retrains it on today's patents)"
            if self.kept
            else "already built for the same training data"
        )
        return (
            f"ipc-{m.get('version')} {what}: {m.get('patent_examples')} patent and "
            f"{m.get('scheme_examples')} scheme examples, {m.get('classes')} subclasses, "
            f"{m.get('features')} features, {m.get('weights_kept')} weights, "
            f"{m.get('bytes', 0) / 1e6:.1f} MB, trained in {m.get('training_seconds')}s"
        )


def build_model(
    *,
    force: bool = False,
    directory: Path | None = None,
    scheme: bool = True,
    keep_existing: bool = False,
) -> BuildReport:
    """Train on every labelled patent and (``scheme``) the scheme's titles, and save;
    unless the current model was trained on the same data (same hash) and ``force`` is
    not given, or (``keep_existing``, as ``seed`` asks) any current model is there: a
    restart does not retrain after every import, ``train_ipc_model`` does. No labelled
    patent: no model (``BuildReport.built`` False, no manifest)."""
    directory = directory or model_dir()
    current = read_pointer(directory)
    if (
        keep_existing
        and current is not None
        and (directory / str(current.get("file", ""))).exists()
    ):
        return BuildReport(built=False, manifest=current, kept=True)
    examples = patent_examples()
    if not examples:
        return BuildReport(built=False, manifest={})
    if scheme:
        examples += scheme_examples()
    data_hash = training_hash(examples)
    if (
        not force
        and current is not None
        and current.get("training_data_sha256") == data_hash
        and (directory / str(current.get("file", ""))).exists()
    ):
        return BuildReport(built=False, manifest=current)
    model = train(examples, data_hash=data_hash)
    model.save(directory)
    return BuildReport(built=True, manifest=model.manifest)


def read_pointer(directory: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((directory / CURRENT).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class _Loaded:
    lock = threading.Lock()
    key: tuple[str, int, int] | None = None
    model: IpcModel | None = None


_OVERRIDE = threading.local()


def current_model() -> IpcModel | None:
    """The model in use: the one ``override`` sets, else the one ``ipc-current.json``
    names (loaded once per process, and again when that file changes), else None."""
    overridden = getattr(_OVERRIDE, "stack", None)
    if overridden:
        return overridden[-1]
    directory = model_dir()
    try:
        stat = (directory / CURRENT).stat()
    except OSError:
        return None
    key = (str(directory), stat.st_mtime_ns, stat.st_ino)
    if _Loaded.key == key:
        return _Loaded.model
    with _Loaded.lock:
        if _Loaded.key != key:
            manifest = read_pointer(directory)
            model = None
            if manifest is not None:
                with contextlib.suppress(OSError, ValueError, KeyError):
                    model = IpcModel.load(directory / str(manifest.get("file", "")), manifest)
            _Loaded.model, _Loaded.key = model, key
    return _Loaded.model


@contextlib.contextmanager
def override(model: IpcModel | None) -> Iterator[None]:
    """Use ``model`` (None: no model, the statistics answer) in this thread, e.g. a
    model trained without the held-out patents while evaluating on them."""
    stack = getattr(_OVERRIDE, "stack", None)
    if stack is None:
        stack = _OVERRIDE.stack = []
    stack.append(model)
    try:
        yield
    finally:
        stack.pop()
