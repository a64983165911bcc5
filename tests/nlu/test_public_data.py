"""The public out-of-scope data: attributed, and never the same sentences in training and evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.training_data import load_examples

NLU = Path(__file__).resolve().parents[2] / "nlu"
FILES = [
    NLU / "data" / "public" / "oos_en.yml",
    NLU / "data" / "public" / "oos_es.yml",
    NLU / "eval" / "public" / "clinc150_oos_test.yml",
    NLU / "eval" / "public" / "fb_es_oos_test.yml",
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_says_where_it_comes_from(path: Path) -> None:
    header = path.read_text(encoding="utf-8").split("version:")[0]
    assert "Source:" in header
    assert "Licence: CC BY" in header
    assert "Cite:" in header
    assert {e.intent for e in load_examples(path)} == {"out_of_scope"}


def test_evaluation_sets_are_whole_and_unseen() -> None:
    training = {e.text.casefold() for e in load_examples(NLU / "data")}
    clinc = load_examples(NLU / "eval" / "public" / "clinc150_oos_test.yml")
    spanish = load_examples(NLU / "eval" / "public" / "fb_es_oos_test.yml")
    assert len(clinc) == 1000
    assert len(spanish) == 1000
    assert not [e.text for e in clinc + spanish if e.text.casefold() in training]
