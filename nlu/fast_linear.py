"""The fitted text models' maths for one message in plain NumPy, without scikit-learn's per-call checks."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import FeatureUnion, Pipeline

Floats = NDArray[np.float64]
Indices = NDArray[np.intp]


class UnsupportedModel(ValueError):
    """A fitted model whose numbers this module does not reproduce exactly: keep scikit-learn's path."""


class TermCounts:
    """A fitted vectorizer's own tokeniser (`build_analyzer`) and vocabulary: term counts of one text."""

    def __init__(self, vectorizer: CountVectorizer) -> None:
        self._analyse: Callable[[str], list[str]] = vectorizer.build_analyzer()
        self._vocabulary: dict[str, int] = vectorizer.vocabulary_
        self._binary = bool(vectorizer.binary)
        self.size = len(self._vocabulary)

    def __call__(self, text: str) -> tuple[Indices, Floats]:
        """Column indices of the text's known terms and how often each occurs (1 when binary)."""
        vocabulary = self._vocabulary
        indices: list[int] = []
        counts: list[int] = []
        for term, count in Counter(self._analyse(text)).items():
            index = vocabulary.get(term)
            if index is not None:
                indices.append(index)
                counts.append(count)
        if self._binary:
            return np.array(indices, dtype=np.intp), np.ones(len(indices))
        return np.array(indices, dtype=np.intp), np.array(counts, dtype=np.float64)


class TfidfTerms:
    """What `TfidfVectorizer.transform` gives one text, as (column indices, weights)."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        if np.dtype(vectorizer.dtype) != np.float64:
            raise UnsupportedModel(f"TfidfVectorizer dtype {vectorizer.dtype!r} (only float64)")
        if vectorizer.norm not in (None, "l1", "l2"):
            raise UnsupportedModel(f"TfidfVectorizer norm {vectorizer.norm!r}")
        self._counts = TermCounts(vectorizer)
        self._sublinear = bool(vectorizer.sublinear_tf)
        self._idf: Floats | None = None
        if vectorizer.use_idf:
            self._idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self._norm: str | None = vectorizer.norm
        self.size = self._counts.size

    def __call__(self, text: str) -> tuple[Indices, Floats]:
        # The same operations in the same order as TfidfTransformer.transform and sklearn's normalize.
        indices, weights = self._counts(text)
        if self._sublinear:
            np.log(weights, out=weights)
            weights += 1.0
        if self._idf is not None:
            weights *= self._idf[indices]
        if self._norm is not None:
            total = float(np.abs(weights).sum()) if self._norm == "l1" else math.sqrt(weights @ weights)
            if total != 0.0:
                weights /= total
        return indices, weights


class FastTextPipeline:
    """`Pipeline([FeatureUnion of TfidfVectorizers, LogisticRegression]).predict_proba` for one text.

    The same probabilities (to rounding, about 1e-15) in a fraction of the time: the per-message work is
    the vectorizers' own tokenisation, a dictionary look-up per term and a weighted sum of a few rows of
    the transposed coefficients.
    """

    def __init__(self, pipeline: Pipeline) -> None:
        if len(pipeline.steps) != 2:
            raise UnsupportedModel(f"pipeline of {len(pipeline.steps)} steps (expected features, classifier)")
        (_, union), (_, estimator) = pipeline.steps
        if type(union) is not FeatureUnion or union.transformer_weights is not None:
            raise UnsupportedModel(f"features {type(union).__name__} (only an unweighted FeatureUnion)")
        if type(estimator) is not LogisticRegression:
            raise UnsupportedModel(f"estimator {type(estimator).__name__} (only LogisticRegression)")
        # Older scikit-learn had one-vs-rest multiclass probabilities; reproduce only softmax (and binary).
        if getattr(estimator, "multi_class", "auto") not in ("auto", "deprecated", "multinomial"):
            raise UnsupportedModel(f"LogisticRegression multi_class={estimator.multi_class!r}")
        if estimator.solver == "liblinear" and len(estimator.classes_) > 2:
            raise UnsupportedModel("one-vs-rest LogisticRegression (liblinear)")
        self._parts: list[tuple[int, TfidfTerms]] = []
        offset = 0
        for name, vectorizer in union.transformer_list:
            if type(vectorizer) is not TfidfVectorizer:
                raise UnsupportedModel(f"{name!r}: {type(vectorizer).__name__} (only TfidfVectorizer)")
            part = TfidfTerms(vectorizer)
            self._parts.append((offset, part))
            offset += part.size
        coef = np.asarray(estimator.coef_, dtype=np.float64)
        if coef.shape[1] != offset:
            raise UnsupportedModel(f"{coef.shape[1]} coefficients per class for {offset} features")
        # One row per feature, contiguous: a message gathers a handful of rows.
        self._coef_by_feature: Floats = np.ascontiguousarray(coef.T)
        self._intercept: Floats = np.asarray(estimator.intercept_, dtype=np.float64)
        self._binary = len(estimator.classes_) <= 2
        self.classes: list[str] = [str(c) for c in estimator.classes_]

    def predict_proba(self, text: str) -> Floats:
        """Each class's probability, in `classes` order, for an already-normalised text."""
        scores = np.zeros(len(self._intercept))
        for offset, part in self._parts:
            indices, weights = part(text)
            if len(indices):
                scores += weights @ self._coef_by_feature[indices + offset]
        scores += self._intercept  # after the products, as LogisticRegression.decision_function adds it
        if self._binary:  # LogisticRegression's _predict_proba_lr with one score column
            positive = float(expit(scores[0]))
            return np.array([1.0 - positive, positive])
        scores -= scores.max()  # sklearn.utils.extmath.softmax, step for step
        np.exp(scores, out=scores)
        scores /= scores.sum()
        return scores


class NaiveBayesLogOdds:
    """log P(a | text) − log P(b | text) of a fitted MultinomialNB over a CountVectorizer's counts.

    The normaliser of `predict_log_proba` cancels, so this is the difference of the two joint log
    likelihoods: counts · feature_log_prob_ᵀ + class_log_prior_.
    """

    def __init__(self, vectorizer: CountVectorizer, model: MultinomialNB, a: str, b: str) -> None:
        if type(model) is not MultinomialNB:
            raise UnsupportedModel(f"{type(model).__name__} (only MultinomialNB)")
        if not isinstance(vectorizer, CountVectorizer):
            raise UnsupportedModel(f"{type(vectorizer).__name__} (only CountVectorizer)")
        classes = [str(c) for c in model.classes_]
        rows = [classes.index(a), classes.index(b)]
        log_prob = np.asarray(model.feature_log_prob_, dtype=np.float64)[rows]
        self._counts = TermCounts(vectorizer)
        if log_prob.shape[1] != self._counts.size:
            raise UnsupportedModel(f"{log_prob.shape[1]} feature probabilities for {self._counts.size} terms")
        self._log_prob_by_feature: Floats = np.ascontiguousarray(log_prob.T)
        self._log_prior: Floats = np.asarray(model.class_log_prior_, dtype=np.float64)[rows]

    def __call__(self, text: str) -> float:
        indices, counts = self._counts(text)
        joint = self._log_prior + counts @ self._log_prob_by_feature[indices]
        return float(joint[0] - joint[1])
