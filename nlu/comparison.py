"""Backends side by side on the same splits: k-fold cross-validation, held-out test, public out-of-scope."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from sklearn.model_selection import StratifiedKFold

from nlu.base import Classifier
from nlu.builtin import BuiltinClassifier, nlu_data_dir, train_model
from nlu.evaluate import OUT_OF_SCOPE, intent_scores, out_of_scope_recall, percentile
from nlu.factory import close_classifier
from nlu.training_data import Example, load_examples, load_file, yaml_files

EVAL_DIR = Path(__file__).parent / "eval"
SEED = 0  # the folds are the same for every backend and every run
WARM_UP = 3  # parses before timing starts: the first calls pay for lazy set-up (TensorFlow graphs, pools)
Progress = Callable[[str], None]


class Backend(Protocol):
    """Something that can be trained on examples and then parse: builtin in-process, Rasa over HTTP."""

    name: str
    latency: str  # how the parse latency was measured, for the table's reader

    def trained(self, examples: Sequence[Example], label: str) -> AbstractContextManager[Classifier]: ...


@dataclass
class Scored:
    """One split's gold and predicted intents, and the seconds each parse took."""

    split: str
    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    own: list[bool] = field(default_factory=list)  # the city's own examples, not the public ones

    def add(self, gold: Sequence[str], predicted: Sequence[str], seconds: Sequence[float], own: bool) -> None:
        self.gold += gold
        self.predicted += predicted
        self.seconds += seconds
        self.own += [own] * len(gold)

    def row(self) -> dict[str, Any]:
        """Accuracy and macro-F1 over the own examples (all, when none is own); OOS recall over all."""
        mine = [i for i, own in enumerate(self.own) if own] or range(len(self.gold))
        scores = intent_scores([self.gold[i] for i in mine], [self.predicted[i] for i in mine])
        only_oos = set(self.gold) == {OUT_OF_SCOPE}
        return {
            "split": self.split,
            "examples": len(self.gold),
            "accuracy": scores["accuracy"],
            "macro_f1": None if only_oos else scores["macro_f1"],
            "oos_recall": out_of_scope_recall(self.gold, self.predicted),
            "p50_ms": 1000 * percentile(self.seconds, 0.50),
            "p99_ms": 1000 * percentile(self.seconds, 0.99),
        }


async def parse_timed(classifier: Classifier, texts: Sequence[str]) -> tuple[list[str], list[float]]:
    """Each text's intent and the wall time of its parse, one at a time as the bot does; closes after."""
    try:
        for text in texts[:WARM_UP]:
            await classifier.parse(text)
        intents, seconds = [], []
        for text in texts:
            started = time.perf_counter()
            parse = await classifier.parse(text)
            seconds.append(time.perf_counter() - started)
            intents.append(parse.intent)
        return intents, seconds
    finally:
        await close_classifier(classifier)


class BuiltinBackend:
    name = "builtin"
    latency = "in-process `await parse()`"

    def __init__(self, phone_region: str = "CO") -> None:
        self.phone_region = phone_region

    def trained(self, examples: Sequence[Example], label: str) -> AbstractContextManager[Classifier]:
        from contextlib import nullcontext

        return nullcontext(BuiltinClassifier(train_model(list(examples)), phone_region=self.phone_region))


def _own_and_public(data_dir: Path) -> tuple[list[Example], list[bool]]:
    public = data_dir / "public"
    examples, own = [], []
    for path in yaml_files(data_dir):
        found = load_file(path)
        examples += found
        own += [public not in path.parents] * len(found)
    return examples, own


def _score(backend: Backend, train: Sequence[Example], test: Sequence[Example], label: str) -> Scored:
    scored = Scored(label)
    with backend.trained(train, label) as classifier:
        predicted, seconds = asyncio.run(parse_timed(classifier, [e.text for e in test]))
    scored.add([e.intent for e in test], predicted, seconds, own=True)
    return scored


def compare(
    backends: Sequence[Backend],
    *,
    folds: int = 5,
    data_dir: Path | None = None,
    eval_dir: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, dict[str, Any]]:
    """For each backend: its rows (cross-validation, test split, each public set) and the CV predictions."""
    say = progress or (lambda _: None)
    examples, own = _own_and_public(data_dir or nlu_data_dir())
    eval_dir = eval_dir or EVAL_DIR
    test = load_examples(eval_dir / "test_es.yml", eval_dir / "test_en.yml")
    public_sets = {p.stem: load_file(p) for p in yaml_files(eval_dir / "public")}
    results: dict[str, dict[str, Any]] = {}
    for backend in backends:
        rows: list[dict[str, Any]] = []
        cv = Scored(f"{folds}-fold CV (nlu/data)")
        if folds >= 2:
            labels = np.array([e.intent for e in examples])
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
            for n, (train, held) in enumerate(splitter.split(np.zeros(len(examples)), labels), 1):
                say(f"{backend.name}: fold {n}/{folds}, training on {len(train)}, parsing {len(held)}")
                fold = _score(backend, [examples[i] for i in train], [examples[i] for i in held], f"fold-{n}")
                cv.add(fold.gold, fold.predicted, fold.seconds, own=True)
                cv.own[-len(held) :] = [own[i] for i in held]
            rows.append(cv.row())
        say(f"{backend.name}: training on all {len(examples)} examples for the test split and public sets")
        everything = [*test, *(e for found in public_sets.values() for e in found)]
        full = _score(backend, examples, everything, "full")
        split = Scored("held-out test (es+en)")
        split.add(full.gold[: len(test)], full.predicted[: len(test)], full.seconds[: len(test)], True)
        rows.append(split.row())
        start = len(test)
        for name, found in public_sets.items():
            public = Scored(f"public OOS: {name}")
            end = start + len(found)
            public.add(full.gold[start:end], full.predicted[start:end], full.seconds[start:end], True)
            rows.append(public.row())
            start = end
        mine = [i for i, o in enumerate(cv.own) if o]
        results[backend.name] = {
            "latency": backend.latency,
            "rows": rows,
            "cv_gold": [cv.gold[i] for i in mine],
            "cv_predicted": [cv.predicted[i] for i in mine],
        }
    return results


def format_table(results: dict[str, dict[str, Any]]) -> str:
    """A Markdown table, ready for docs/nlu.md, and how latency was measured for each backend."""
    lines = [
        "| backend | split | examples | accuracy | macro-F1 | OOS recall | p50 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result in results.items():
        for r in result["rows"]:
            f1 = "—" if r["macro_f1"] is None else f"{r['macro_f1']:.3f}"
            lines.append(
                f"| {name} | {r['split']} | {r['examples']:,} | {r['accuracy']:.3f} | {f1} | "
                f"{r['oos_recall']:.3f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} |"
            )
    lines.append("")
    lines += [f"Latency, {name}: {result['latency']}." for name, result in results.items()]
    return "\n".join(lines)
