"""The scikit-learn intent model: TF-IDF word and character n-grams into a linear classifier."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class ModelConfig:
    """What `python -m nlu.tune` compares; the defaults won its 5-fold cross-validation (docs/nlu.md)."""

    estimator: str = "logreg"  # logreg | svc (LinearSVC with sigmoid calibration)
    c: float = 100.0  # weak regularisation: confident enough to clear the dialogue's 0.45 threshold
    # Out-of-scope examples outnumber any one intent many times over; classes are weighted so each
    # carries the same total weight, and out_of_scope then gets this many times its share.
    oos_weight: float = 0.5
    balanced: bool = True  # False: every example weighs the same (to measure what weighting buys)
    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)


def class_weights(labels: Sequence[str], oos_weight: float) -> dict[str, float]:
    """Balanced weights (total weight equal per class), with out_of_scope scaled by `oos_weight`."""
    counts = Counter(labels)
    per_class = len(labels) / len(counts)
    weights = {label: per_class / count for label, count in counts.items()}
    if OUT_OF_SCOPE in weights:
        weights[OUT_OF_SCOPE] *= oos_weight
    return weights


def build_pipeline(config: ModelConfig, weights: dict[str, float]) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=config.word_ngrams,
                    token_pattern=r"(?u)\b\w+\b|[?!]",
                    sublinear_tf=True,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=config.char_ngrams, sublinear_tf=True, min_df=2
                ),
            ),
        ]
    )
    if config.estimator == "svc":
        svc = LinearSVC(C=config.c, class_weight=weights, max_iter=5000)
        estimator: LogisticRegression | CalibratedClassifierCV = CalibratedClassifierCV(
            svc, method="sigmoid", cv=3
        )
    elif config.estimator == "logreg":
        estimator = LogisticRegression(C=config.c, class_weight=weights, max_iter=3000)
    else:
        raise ValueError(f"unknown estimator {config.estimator!r}")
    return Pipeline([("features", features), ("classifier", estimator)])


def fit_pipeline(texts: Sequence[str], labels: Sequence[str], config: ModelConfig) -> Pipeline:
    """A fitted pipeline over already-normalised texts."""
    if len(set(labels)) < 2:
        raise ValueError("training data needs at least two intents")
    weights = class_weights(labels, config.oos_weight) if config.balanced else dict.fromkeys(set(labels), 1.0)
    pipeline = build_pipeline(config, weights)
    # On small machines multi-threaded BLAS makes this fit several times slower, not faster.
    with threadpool_limits(limits=1):
        pipeline.fit(list(texts), list(labels))
    return pipeline
