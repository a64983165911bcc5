"""Which of the city's topics a question is about: a retrieval model over the topics' example questions.

Trained like the intent model (TF-IDF word and character n-grams, logistic regression) with one class
per topic and one more, "none", made of every intent training example (reports, case status, small talk
and the public out-of-scope sets): so "¿qué días pasa la basura?" finds the garbage schedule while "no
pasó la basura" stays a report. It knows nothing of files or the dialogue: questions in, ranking out.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.pipeline import Pipeline

from nlu.builtin import dump_atomically, training_data_key
from nlu.fast_linear import FastTextPipeline
from nlu.intent_model import OUT_OF_SCOPE, ModelConfig, fit_pipeline
from nlu.normalise import normalise
from nlu.training_data import load_examples

log = logging.getLogger(__name__)

CODE_VERSION = "1"
NONE = OUT_OF_SCOPE  # the class of everything that is not a question for the knowledge base
# The background class outnumbers any topic many times over; weighted as the intent model weighs
# out-of-scope: each class carries the same total weight, "none" a share of it.
CONFIG = ModelConfig(oos_weight=1.0)


@dataclass(frozen=True)
class Question:
    """One example question of a topic (its title counts as one too)."""

    text: str
    topic: str


@dataclass(frozen=True)
class Candidate:
    topic: str
    score: float  # the model's probability of this topic


@dataclass(frozen=True)
class Ranking:
    """The topics likeliest for one text, best first, and the probability that it is none of them."""

    candidates: tuple[Candidate, ...]
    none: float

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


class KnowledgeIndex:
    """A fitted model and its fast one-text path."""

    def __init__(self, model: Pipeline, key: str, examples: int, seconds: float) -> None:
        self.model, self.key, self.examples, self.train_seconds = model, key, examples, seconds
        self._fast = FastTextPipeline(model)
        self._none = self._fast.classes.index(NONE)

    @classmethod
    def train(cls, questions: Sequence[Question], background: Sequence[str], key: str = "") -> KnowledgeIndex:
        started = time.perf_counter()
        texts = [normalise(q.text) for q in questions] + [normalise(t) for t in background]
        labels = [q.topic for q in questions] + [NONE] * len(background)
        model = fit_pipeline(texts, labels, CONFIG)
        return cls(model, key, len(texts), time.perf_counter() - started)

    def rank(self, text: str, most: int = 3) -> Ranking:
        stripped = text.strip()
        if not stripped:
            return Ranking((), 1.0)
        probabilities = self._fast.predict_proba(normalise(stripped))
        order = np.argsort(-probabilities)
        classes = self._fast.classes
        candidates = tuple(Candidate(classes[i], float(probabilities[i])) for i in order if i != self._none)[
            :most
        ]
        return Ranking(candidates, float(probabilities[self._none]))


def background_texts(data_dir: Path) -> list[str]:
    """Every intent example of the training data: what a question for the knowledge base is not."""
    return [e.text for e in load_examples(data_dir)]


def index_key(questions: Sequence[Question], data_dir: Path) -> str:
    digest = hashlib.sha256(f"{CODE_VERSION}\0{CONFIG!r}\0{sklearn.__version__}\0".encode())
    digest.update(training_data_key(data_dir).encode())
    for q in sorted(questions, key=lambda q: (q.topic, q.text)):
        digest.update(f"{q.topic}\0{q.text}\0".encode())
    return digest.hexdigest()[:20]


def load_or_train(questions: Sequence[Question], data_dir: Path, model_dir: Path) -> KnowledgeIndex:
    """The cached index for exactly these questions (and training data), trained and cached when new."""
    key = index_key(questions, data_dir)
    path = model_dir / f"knowledge-{key}.joblib"
    if path.exists():
        try:
            model = joblib.load(path)
            return KnowledgeIndex(model, key, 0, 0.0)
        except Exception as exc:  # a truncated or foreign file: train again rather than fail
            log.warning("cannot load cached knowledge index %s (%s); training again", path, exc)
    index = KnowledgeIndex.train(questions, background_texts(data_dir), key)
    try:
        _save(index, model_dir, path)
    except OSError as exc:
        log.warning("cannot cache the knowledge index in %s: %s", model_dir, exc)
    log.info("trained the knowledge index on %d examples in %.1f s", index.examples, index.train_seconds)
    return index


def _save(index: KnowledgeIndex, model_dir: Path, path: Path) -> None:
    """Write atomically; keep the two newest others (a city editing back and forth reloads at once)."""
    dump_atomically(index.model, path)
    older = sorted(model_dir.glob("knowledge-*.joblib"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in older if p != path][2:]:
        old.unlink(missing_ok=True)
