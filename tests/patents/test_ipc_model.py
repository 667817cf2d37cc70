"""The trained IPC classifier (``patents.search.ipc_model``, ``manage.py train_ipc_model``):
trained on a small known corpus, deterministic, used by ``GET /api/v1/ipc/suggest/`` and
matching when present (``method: model``), the statistics answering without it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from enterprises.matching import terms
from enterprises.matching.ipc_suggestions import suggest_ipc
from enterprises.matching.matches import MatchQuery, with_suggestions
from patents.search import ipc_model
from patents.search.ipc_statistics import build_statistics
from tests.support.corpora import pending_patent_maker

pytestmark = pytest.mark.django_db

SUGGEST = "/api/v1/ipc/suggest/"
CLUSTERS = {
    "H01M 10/0525": ["锂离子电池正极材料", "锂离子电池负极片", "锂电池电解液", "锂电池隔膜"],
    "A01G 25/02": ["农田喷灌喷头", "果园喷灌系统", "温室喷灌装置", "喷灌用旋转喷头"],
    "G06F 16/00": ["数据库索引查询", "分布式数据库查询", "数据库查询优化", "数据库索引结构"],
    "B65G 47/00": ["物流输送带分拣", "快递输送带装置", "输送带分拣机构", "皮带输送带纠偏"],
}


@pytest.fixture
def corpus(operator, holder_a):
    make = pending_patent_maker(operator, holder_a)
    for code, titles in CLUSTERS.items():
        for title in titles:
            make(title, [code])
    build_statistics(scheme=False)
    terms.clear_term_statistics()
    yield
    terms.clear_term_statistics()


def train(*args: str) -> str:
    out = io.StringIO()
    call_command("train_ipc_model", "--no-scheme", *args, stdout=out)
    return out.getvalue()


def test_the_command_trains_a_versioned_model_with_its_manifest(corpus, settings):
    output = train()
    assert "built:" in output
    assert "16 patent and 0 scheme examples, 4 subclasses" in output
    folder = settings.IPC_MODEL_DIR
    current = json.loads((folder / "ipc-current.json").read_text())
    assert (folder / current["file"]).exists()
    assert current["file"] == f"ipc-{current['version']}.npz"
    assert current["training_data_sha256"].startswith(current["version"])
    assert current["patent_examples"] == 16
    assert current["classes"] == 4
    assert set(current["libraries"]) == {"numpy", "scipy", "scikit-learn"}
    assert current["bytes"] < 100_000
    # The same data again: nothing trained.
    assert "already built for the same training data" in train()
    model = ipc_model.current_model()
    assert model is not None
    assert model.version == current["version"]
    assert next(p.code for p in model.predict("锂电池正极片", limit=2)) == "H01M"
    assert model.predict("xyz") == []  # nothing it knows


def test_seed_keeps_the_current_model_when_the_patents_have_changed(corpus, operator, holder_a):
    """A restart (``make run`` seeds) does not retrain after every import: seed keeps the
    current model; ``train_ipc_model`` retrains on the patents of the day."""
    train()
    before = ipc_model.read_pointer(ipc_model.model_dir())
    pending_patent_maker(operator, holder_a)("锂电池极耳焊接", ["H01M 10/0525"])

    kept = ipc_model.build_model(keep_existing=True, scheme=False)

    assert not kept.built
    assert kept.kept
    assert "kept (manage.py train_ipc_model retrains it" in str(kept)
    assert ipc_model.read_pointer(ipc_model.model_dir()) == before
    assert "built:" in train()  # the command sees the new patent and retrains
    after = ipc_model.read_pointer(ipc_model.model_dir())
    assert after is not None
    assert after["patent_examples"] == 17


def test_training_is_deterministic(corpus, tmp_path):
    train("--dir", str(tmp_path / "one"))
    train("--dir", str(tmp_path / "two"))
    one = json.loads((tmp_path / "one" / "ipc-current.json").read_text())
    two = json.loads((tmp_path / "two" / "ipc-current.json").read_text())
    assert one["version"] == two["version"]
    assert (tmp_path / "one" / one["file"]).read_bytes() == (
        tmp_path / "two" / two["file"]
    ).read_bytes()


def test_suggest_answers_from_the_model_and_falls_back_without_it(corpus, anonymous, settings):
    def suggest(text: str) -> list[dict]:
        response = anonymous.get(SUGGEST, {"text": text, "limit": 5})
        assert response.status_code == 200, response.content
        return response.json()

    before = suggest("喷灌喷头装置")
    assert before[0]["method"] == "statistics"
    train()
    after = suggest("喷灌喷头装置")
    assert after[0]["code"] == "A01G"
    assert {row["method"] for row in after} == {"model"}
    assert after[0]["level"] == "subclass"
    assert 0 < after[0]["score"] <= 1
    assert sum(row["score"] for row in after if row["level"] == "subclass") <= 1 + 1e-6
    # A text the model knows nothing of: the statistics answer.
    assert all(row["method"] != "model" for row in suggest("焊接钢管"))
    # Matching's suggested subclasses come from the model too.
    query = with_suggestions(MatchQuery(text="我们想找分布式数据库查询技术"))
    assert query.suggested_ipc
    assert query.suggested_ipc[0].code == "G06F"
    # The model file gone: the statistics again.
    for path in settings.IPC_MODEL_DIR.iterdir():
        path.unlink()
    assert suggest("喷灌喷头装置")[0]["method"] == "statistics"


def test_a_new_version_is_loaded_by_a_running_process(corpus, operator, holder_a):
    train()
    first = ipc_model.current_model()
    assert first is not None
    assert "C02F" not in first.classes
    make = pending_patent_maker(operator, holder_a)
    for title in ("污水处理装置", "工业废水处理方法", "生活污水净化"):
        make(title, ["C02F 9/00"])
    train()
    second = ipc_model.current_model()
    assert second is not None
    assert second.version != first.version
    assert "C02F" in second.classes
    assert suggest_ipc("污水处理", limit=3)[0].code == "C02F"


def test_override_and_no_labelled_patents(db, settings):
    assert "no patent with an IPC code" in train()
    assert ipc_model.current_model() is None
    with ipc_model.override(None):
        assert ipc_model.current_model() is None
