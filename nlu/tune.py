"""Compare model settings by cross-validation on the training data only (never on nlu/eval)."""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold

from nlu.builtin import nlu_data_dir
from nlu.evaluate import intent_scores
from nlu.intent_model import OUT_OF_SCOPE, ModelConfig, fit_pipeline
from nlu.normalise import normalise
from nlu.training_data import load_file, yaml_files

THRESHOLD = 0.45  # config.yml's nlu.confidence_threshold: below it the bot asks again


@dataclass(frozen=True)
class Sample:
    text: str
    intent: str
    public: bool  # from nlu/data/public (CLINC150, multilingual dialog), not the city's own examples


def load_samples(data_dir: Path) -> list[Sample]:
    public = data_dir / "public"
    return [
        Sample(normalise(e.text), e.intent, public in path.parents)
        for path in yaml_files(data_dir)
        for e in load_file(path)
    ]


def cross_validate(samples: Sequence[Sample], config: ModelConfig, folds: int) -> dict[str, float]:
    """Held-out figures pooled over the folds: own-data macro-F1, public OOS recall, false-OOS rate."""
    labels = np.array([s.intent for s in samples])
    gold: list[str] = []
    predicted: list[str] = []
    confidence: list[float] = []
    public: list[bool] = []
    seconds = 0.0
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train, test in splitter.split(np.zeros(len(samples)), labels):
        started = time.perf_counter()
        pipeline = fit_pipeline([samples[i].text for i in train], list(labels[train]), config)
        seconds += time.perf_counter() - started
        probabilities = pipeline.predict_proba([samples[i].text for i in test])
        classes = list(pipeline.classes_)
        for i, row in zip(test, probabilities, strict=True):
            gold.append(samples[i].intent)
            predicted.append(classes[int(row.argmax())])
            confidence.append(float(row.max()))
            public.append(samples[i].public)
    own = [i for i, p in enumerate(public) if not p]
    own_scores = intent_scores([gold[i] for i in own], [predicted[i] for i in own])
    public_oos = [i for i, p in enumerate(public) if p]
    in_scope = [i for i in own if gold[i] != OUT_OF_SCOPE]
    unsure = [i for i in in_scope if confidence[i] < THRESHOLD]
    return {
        "own_macro_f1": own_scores["macro_f1"],
        "own_accuracy": own_scores["accuracy"],
        "public_oos_recall": _share(public_oos, lambda i: predicted[i] == OUT_OF_SCOPE),
        "false_oos": _share(in_scope, lambda i: predicted[i] == OUT_OF_SCOPE),
        "in_scope_unsure": len(unsure) / max(1, len(in_scope)),
        # What the citizen feels: understood, and sure enough that the bot does not ask again.
        "in_scope_confident": _share(
            in_scope, lambda i: predicted[i] == gold[i] and confidence[i] >= THRESHOLD
        ),
        "fit_seconds": seconds / folds,
    }


def _share(indices: Sequence[int], test: Callable[[int], bool]) -> float:
    return sum(1 for i in indices if test(i)) / max(1, len(indices))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.tune", description=__doc__)
    parser.add_argument("--data", type=Path, default=nlu_data_dir())
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--estimator", nargs="+", default=["logreg", "svc"])
    parser.add_argument("--c", nargs="+", type=float, default=[1.0, 3.0, 10.0, 30.0])
    parser.add_argument("--oos-weight", nargs="+", type=float, default=[0.5, 1.0, 2.0])
    parser.add_argument("--char-ngrams", nargs="+", default=["2-5"], help="e.g. 2-5 1-4")
    parser.add_argument("--unweighted", action="store_true", help="every example weighs the same")
    args = parser.parse_args(argv)
    samples = load_samples(args.data)
    print(f"{len(samples)} examples, {sum(s.public for s in samples)} of them public out-of-scope")
    print("estimator  C      oos_w  chars  own_mF1  own_acc  pub_oos_rec  false_oos  unsure  sure_ok  fit_s")
    grid = itertools.product(args.estimator, args.c, args.oos_weight, args.char_ngrams)
    for estimator, c, oos_weight, chars in grid:
        low, high = (int(n) for n in chars.split("-"))
        config = replace(
            ModelConfig(),
            estimator=estimator,
            c=c,
            oos_weight=oos_weight,
            char_ngrams=(low, high),
            balanced=not args.unweighted,
        )
        r = cross_validate(samples, config, args.folds)
        print(
            f"{estimator:<10} {c:<6g} {oos_weight:<6g} {chars:<6} {r['own_macro_f1']:.3f}    "
            f"{r['own_accuracy']:.3f}    {r['public_oos_recall']:.3f}        {r['false_oos']:.3f}      "
            f"{r['in_scope_unsure']:.3f}   {r['in_scope_confident']:.3f}    {r['fit_seconds']:.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
