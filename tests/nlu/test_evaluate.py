"""The evaluation figures, checked against ones worked out by hand."""

from __future__ import annotations

import pytest

from nlu.base import Entity, Parse
from nlu.evaluate import entity_overlap, evaluate, format_report, intent_scores
from nlu.training_data import Example


def test_scores_by_hand() -> None:
    gold = ["greet", "greet", "thanks", "deny"]
    predicted = ["greet", "thanks", "thanks", "affirm"]
    report = intent_scores(gold, predicted)
    assert report["accuracy"] == pytest.approx(0.5)
    greet, thanks = report["per_intent"]["greet"], report["per_intent"]["thanks"]
    assert (greet["precision"], greet["recall"], greet["support"]) == (1.0, 0.5, 2)
    assert thanks["precision"] == pytest.approx(0.5)
    assert thanks["f1"] == pytest.approx(2 / 3)
    # macro over gold intents only (greet 2/3, thanks 2/3, deny 0): "affirm" was never asked about
    assert report["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    assert report["per_intent"]["affirm"]["support"] == 0
    assert {(c["gold"], c["predicted"], c["count"]) for c in report["confusions"]} == {
        ("greet", "thanks", 1),
        ("deny", "affirm", 1),
    }


def test_address_overlap_counts_words() -> None:
    text = "hueco en la calle 45 con carrera 27 hoy"
    gold = [[Entity("address", "calle 45 con carrera 27", 12, 35)]]
    found = [[Entity("address", "calle 45", 12, 20)]]
    scores = entity_overlap([text], gold, found, "address")
    assert scores["precision"] == 1.0
    assert scores["recall"] == pytest.approx(2 / 5)
    assert scores["support"] == 1


class Scripted:
    """A fake classifier that answers from a table."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    async def parse(self, text: str) -> Parse:
        return Parse(text=text, intent=self.answers.get(text, "out_of_scope"), confidence=0.9)


async def test_evaluate_runs_any_classifier_and_formats() -> None:
    examples = [Example("hola", "greet"), Example("chao", "goodbye"), Example("pon alarma", "out_of_scope")]
    report = await evaluate(Scripted({"hola": "greet", "chao": "greet"}), examples)
    assert report["accuracy"] == pytest.approx(2 / 3)
    assert report["per_intent"]["goodbye"]["recall"] == 0.0
    text = format_report(report)
    assert "macro-F1" in text
    assert "goodbye -> greet" in text
