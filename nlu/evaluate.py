"""Score a classifier on an annotated test file: accuracy, macro-F1, per intent, confusions, addresses."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlu.base import Classifier, Entity
from nlu.training_data import Example, load_examples

TOP_CONFUSIONS = 15
OUT_OF_SCOPE = "out_of_scope"
_WORD = re.compile(r"[^\W_]+")


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


def intent_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold intents, per-intent figures and the commonest confusions."""
    pairs = list(zip(gold, predicted, strict=True))
    gold_counts = Counter(gold)
    predicted_counts = Counter(predicted)
    correct = Counter(g for g, p in pairs if g == p)
    per_intent: dict[str, dict[str, float]] = {}
    for intent in sorted(set(gold) | set(predicted)):
        precision = _ratio(correct[intent], predicted_counts[intent])
        recall = _ratio(correct[intent], gold_counts[intent])
        per_intent[intent] = {
            "precision": precision,
            "recall": recall,
            "f1": _f1(precision, recall),
            "support": gold_counts[intent],
        }
    confusions = Counter((g, p) for g, p in pairs if g != p)
    in_scope = [p for g, p in pairs if g != OUT_OF_SCOPE]
    return {
        "examples": len(pairs),
        "accuracy": _ratio(sum(correct.values()), len(pairs)),
        # Intents only predicted (never gold) would add a 0 each for data the file never tested.
        "macro_f1": _ratio(sum(per_intent[i]["f1"] for i in gold_counts), len(gold_counts)),
        "per_intent": per_intent,
        "confusions": [
            {"gold": g, "predicted": p, "count": n} for (g, p), n in confusions.most_common(TOP_CONFUSIONS)
        ],
        # Messages the city does handle but the classifier turned away.
        "false_out_of_scope_rate": _ratio(sum(p == OUT_OF_SCOPE for p in in_scope), len(in_scope)),
    }


def _word_positions(text: str, spans: Sequence[Entity]) -> set[int]:
    return {m.start() for m in _WORD.finditer(text) for s in spans if s.start <= m.start() < s.end}


def entity_overlap(
    texts: Sequence[str], gold: Sequence[Sequence[Entity]], found: Sequence[Sequence[Entity]], entity: str
) -> dict[str, float]:
    """Word-overlap precision/recall of one entity type: the share of words marked right."""
    hits = marked = expected = 0
    for text, gold_entities, found_entities in zip(texts, gold, found, strict=True):
        gold_words = _word_positions(text, [e for e in gold_entities if e.entity == entity])
        found_words = _word_positions(text, [e for e in found_entities if e.entity == entity])
        hits += len(gold_words & found_words)
        marked += len(found_words)
        expected += len(gold_words)
    precision, recall = _ratio(hits, marked), _ratio(hits, expected)
    spans = sum(1 for entities in gold for e in entities if e.entity == entity)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall), "support": spans}


async def evaluate(classifier: Classifier, examples: Sequence[Example]) -> dict[str, Any]:
    """Parse every example and score the intents and, where the file marks them, the addresses."""
    parses = [await classifier.parse(example.text) for example in examples]
    report = intent_scores([e.intent for e in examples], [p.intent for p in parses])
    texts = [e.text for e in examples]
    gold_entities = [e.entities for e in examples]
    labelled = [(e.language, p.language) for e, p in zip(examples, parses, strict=True) if e.language]
    if labelled:
        report["language"] = {
            "examples": len(labelled),
            "accuracy": _ratio(sum(g == p for g, p in labelled), len(labelled)),
            "undecided": _ratio(sum(p is None for _, p in labelled), len(labelled)),
        }
    report["entities"] = {
        name: entity_overlap(texts, gold_entities, [p.entities for p in parses], name)
        for name in sorted({e.entity for entities in gold_entities for e in entities})
    }
    return report


async def evaluate_file(classifier: Classifier, *paths: Path) -> dict[str, Any]:
    return await evaluate(classifier, load_examples(*paths))


def format_report(report: dict[str, Any]) -> str:
    """The report as a plain-text table for a terminal."""
    lines = [
        f"examples   {report['examples']}",
        f"accuracy   {report['accuracy']:.3f}",
        f"macro-F1   {report['macro_f1']:.3f}",
        f"in-scope messages taken for out_of_scope: {report['false_out_of_scope_rate']:.3f}",
        "",
        f"{'intent':<26}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}",
    ]
    for intent, s in report["per_intent"].items():
        lines.append(
            f"{intent:<26}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['support']:>9d}"
        )
    if report["confusions"]:
        lines += ["", "most frequent confusions (gold -> predicted)"]
        lines += [f"{c['count']:>5}  {c['gold']} -> {c['predicted']}" for c in report["confusions"]]
    if "language" in report:
        lang = report["language"]
        lines += ["", f"language: {lang['accuracy']:.3f} right, {lang['undecided']:.3f} undecided (None)"]
    for name, s in report.get("entities", {}).items():
        lines += [
            "",
            f"entity {name} (word overlap, {s['support']} marked spans): precision {s['precision']:.3f} "
            f"recall {s['recall']:.3f} f1 {s['f1']:.3f}",
        ]
    return "\n".join(lines)


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` (0–1) of `values` lie (nearest rank); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def out_of_scope_recall(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """The share of out-of-scope messages the classifier called out of scope."""
    pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if g == OUT_OF_SCOPE]
    return _ratio(sum(p == OUT_OF_SCOPE for _, p in pairs), len(pairs))


def confusion_matrix(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] | None = None
) -> tuple[list[str], list[list[int]]]:
    """Counts of (gold row, predicted column), over `labels` (default: every intent seen, sorted)."""
    names = list(labels) if labels is not None else sorted(set(gold) | set(predicted))
    index = {name: i for i, name in enumerate(names)}
    matrix = [[0] * len(names) for _ in names]
    for g, p in zip(gold, predicted, strict=True):
        if g in index and p in index:
            matrix[index[g]][index[p]] += 1
    return names, matrix
