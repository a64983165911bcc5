"""Backends on the same splits: the table, the figures behind it, and the confusion-matrix picture."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest

from nlu import comparison
from nlu.base import Classifier, IntentScore, Parse
from nlu.comparison import BuiltinBackend, compare, format_table
from nlu.evaluate import confusion_matrix, out_of_scope_recall, percentile
from nlu.training_data import Example
from tests.nlu.test_commands import run, settings

TEST_FILE = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hola buenas
- intent: report_pothole
  examples: |
    - hay un hueco grande en la calle
- intent: out_of_scope
  examples: |
    - pon una alarma a las 6
"""
PUBLIC_FILE = 'version: "3.1"\nnlu:\n- intent: out_of_scope\n  examples: |\n    - what is the weather\n'


@pytest.fixture
def eval_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "eval"
    (folder / "public").mkdir(parents=True)
    for name in ("test_es.yml", "test_en.yml"):
        (folder / name).write_text(TEST_FILE, encoding="utf-8")
    (folder / "public" / "oos_test.yml").write_text(PUBLIC_FILE, encoding="utf-8")
    return folder


def test_helpers_by_hand() -> None:
    assert percentile([5.0, 1.0, 3.0, 2.0, 4.0], 0.5) == 3.0
    assert percentile([float(i) for i in range(1, 101)], 0.99) == 99.0
    assert percentile([], 0.5) == 0.0
    assert (
        out_of_scope_recall(["out_of_scope", "out_of_scope", "greet"], ["out_of_scope", "greet", "greet"])
        == 0.5
    )
    names, matrix = confusion_matrix(["a", "a", "b"], ["a", "b", "b"])
    assert (names, matrix) == (["a", "b"], [[1, 1], [0, 1]])


class Parrot:
    """A backend whose classifier always answers one intent, to check the bookkeeping."""

    name = "parrot"
    latency = "none"

    def __init__(self) -> None:
        self.trained_on: list[tuple[str, int]] = []

    def trained(self, examples: Sequence[Example], label: str) -> AbstractContextManager[Classifier]:
        self.trained_on.append((label, len(examples)))

        class Always:
            async def parse(self, text: str) -> Parse:
                return Parse(text, "out_of_scope", 1.0, (IntentScore("out_of_scope", 1.0),))

        return nullcontext(Always())


def test_same_splits_for_every_backend(tiny_data: Path, eval_dir: Path) -> None:
    parrot = Parrot()
    messages: list[str] = []
    results = compare(
        [BuiltinBackend(), parrot], folds=2, data_dir=tiny_data, eval_dir=eval_dir, progress=messages.append
    )
    assert parrot.trained_on == [("fold-1", 5), ("fold-2", 5), ("full", 10)]
    for name in ("builtin", "parrot"):
        rows = results[name]["rows"]
        assert [r["split"] for r in rows] == [
            "2-fold CV (nlu/data)",
            "held-out test (es+en)",
            "public OOS: oos_test",
        ]
        assert [r["examples"] for r in rows] == [10, 6, 1]
        assert len(results[name]["cv_gold"]) == 10
    parrot_rows = results["parrot"]["rows"]
    assert parrot_rows[1]["accuracy"] == pytest.approx(1 / 3)
    assert parrot_rows[1]["oos_recall"] == 1.0
    assert parrot_rows[2]["macro_f1"] is None  # one class: macro-F1 says nothing
    assert results["builtin"]["rows"][1]["p99_ms"] > 0
    table = format_table(results)
    assert "| parrot | public OOS: oos_test | 1 | 1.000 | — | 1.000 |" in table
    assert "Latency, builtin: in-process" in table
    assert any("fold 2/2" in m for m in messages)


@pytest.fixture
def small_world(tiny_data: Path, eval_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(comparison, "nlu_data_dir", lambda: tiny_data)
    monkeypatch.setattr(comparison, "EVAL_DIR", eval_dir)
    yield


def test_evaluate_command_compares_and_draws(
    small_world: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    plots = tmp_path / "plots"
    argv = ["nlu", "evaluate", "--backend", "builtin", "--folds", "2", "--plots", str(plots)]
    assert run(argv, settings(tmp_path / "model")) == 0
    out = capsys.readouterr().out
    assert "| builtin | 2-fold CV (nlu/data) | 10 |" in out
    picture = plots / "confusion-builtin.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"confusion matrix, builtin: {picture}" in out


def test_evaluate_command_json(small_world: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["nlu", "evaluate", "--backend", "builtin", "--folds", "0", "--json"]
    assert run(argv, settings(tmp_path / "model")) == 0
    shown: dict[str, Any] = json.loads(capsys.readouterr().out)
    rows = shown["results"]["builtin"]["rows"]
    assert [r["split"] for r in rows] == ["held-out test (es+en)", "public OOS: oos_test"]
    assert shown["pictures"] == {}  # no folds, nothing to draw
