"""The built-in classifier: trains from `nlu/data` in seconds and caches the model on disk."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse
import sklearn
from numpy.typing import NDArray
from sklearn.pipeline import Pipeline

from nlu.base import Entity, IntentScore, Parse
from nlu.entities import extract_entities
from nlu.fast_linear import FastTextPipeline, UnsupportedModel
from nlu.intent_model import ModelConfig, fit_pipeline
from nlu.language import LanguageDetector
from nlu.normalise import normalise
from nlu.training_data import Example, load_examples, yaml_files

log = logging.getLogger(__name__)

# Bump when normalisation, features or the model change, so cached models trained the old way are
# not loaded. The scikit-learn version is part of the key too: its pickles do not cross versions.
CODE_VERSION = "1"
# What an empty message gets: no intent, confidence 0, so the dialogue's "not understood" path runs.
NO_INTENT = "none"
RANKING_SIZE = 5
_PAYLOAD = re.compile(r"^/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{.*\})?$", re.DOTALL)


def nlu_data_dir() -> Path:
    """The training data shipped with the package: `nlu/data/`."""
    return Path(__file__).parent / "data"


def training_data_key(data_dir: Path) -> str:
    """A hash of every training file's path and bytes, the code and model versions and scikit-learn's."""
    digest = hashlib.sha256(f"{CODE_VERSION}\0{ModelConfig()!r}\0{sklearn.__version__}\0".encode())
    for path in yaml_files(data_dir):
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


@dataclass
class TrainedModel:
    """Everything a classifier needs, in one object so that one joblib file holds it."""

    pipeline: Pipeline
    languages: LanguageDetector
    intents: frozenset[str]
    key: str
    examples: int
    train_seconds: float


def train_model(examples: list[Example], key: str = "", config: ModelConfig | None = None) -> TrainedModel:
    started = time.perf_counter()
    texts = [e.text for e in examples]
    labels = [e.intent for e in examples]
    pipeline = fit_pipeline([normalise(t) for t in texts], labels, config or ModelConfig())
    languages = LanguageDetector().fit(texts, [e.language or "" for e in examples])
    seconds = time.perf_counter() - started
    return TrainedModel(pipeline, languages, frozenset(labels), key, len(examples), seconds)


class BuiltinClassifier:
    """TF-IDF + logistic regression over `nlu/data`, rule-based entities and language detection."""

    def __init__(self, model: TrainedModel, *, phone_region: str = "CO", from_cache: bool = False) -> None:
        self.model = model
        self.phone_region = phone_region
        self.from_cache = from_cache  # whether load_or_train found the model on disk
        self._classes: list[str] = [str(c) for c in model.pipeline.classes_]
        steps = model.pipeline.named_steps
        self._vectorizers = [vectorizer for _, vectorizer in steps["features"].transformer_list]
        self._estimator = steps["classifier"]
        # For one text at a time, scikit-learn's per-call checks and sparse matrices cost more than the
        # maths: the same probabilities (to 1e-15) in plain NumPy from the fitted arrays take about an
        # eighth of the time (0.23-0.25 ms against 1.86-1.97 ms per message on the test split, measured
        # here), and a whole parse about a third (1.0-1.4 ms against 3.3-4.4 ms).
        self._fast: FastTextPipeline | None = None
        try:
            self._fast = FastTextPipeline(model.pipeline)
        except UnsupportedModel as exc:  # e.g. estimator "svc": its calibration stays scikit-learn's
            log.info("intent model parsed through scikit-learn: %s", exc)

    @classmethod
    def load_or_train(
        cls, data_dir: Path, model_dir: Path, *, phone_region: str = "CO", retrain: bool = False
    ) -> BuiltinClassifier:
        """The cached model for exactly this training data, training and caching it when there is none."""
        key = training_data_key(data_dir)
        path = model_dir / f"builtin-{key}.joblib"
        if path.exists() and not retrain:
            try:
                model = joblib.load(path)
                if isinstance(model, TrainedModel) and model.key == key:
                    return cls(model, phone_region=phone_region, from_cache=True)
            except Exception as exc:  # a truncated or foreign file: train again rather than fail to start
                log.warning("cannot load cached NLU model %s (%s); training again", path, exc)
        model = train_model(load_examples(data_dir), key)
        try:
            _save(model, model_dir, path)
        except OSError as exc:  # a read-only disk costs the next start a few seconds, not this one
            log.warning("cannot cache NLU model in %s: %s", model_dir, exc)
        log.info("trained NLU model on %d examples in %.1f s", model.examples, model.train_seconds)
        return cls(model, phone_region=phone_region)

    @property
    def intents(self) -> frozenset[str]:
        return self.model.intents

    async def parse(self, text: str) -> Parse:
        # A parse takes about half a millisecond (0.4-0.5 on the test split): not worth a thread hop.
        return self.parse_sync(text)

    def parse_sync(self, text: str) -> Parse:
        """What the classifier understood of `text`; any string at all is accepted."""
        stripped = text.strip()
        if not stripped:
            return Parse(text=text, intent=NO_INTENT, confidence=0.0)
        payload = self._payload(text, stripped)
        if payload is not None:
            return payload
        normalised = normalise(stripped)
        if self._fast is not None:
            probabilities = self._fast.predict_proba(normalised)
        else:
            probabilities = self._sklearn_probabilities(normalised)
        order = np.argsort(-probabilities)[:RANKING_SIZE]
        ranking = tuple(IntentScore(self._classes[i], float(probabilities[i])) for i in order)
        return Parse(
            text=text,
            intent=ranking[0].intent,
            confidence=ranking[0].confidence,
            ranking=ranking,
            entities=extract_entities(text, phone_region=self.phone_region),
            language=self.model.languages.detect(text),
        )

    def _sklearn_probabilities(self, normalised: str) -> NDArray[np.float64]:
        """scikit-learn's own transform and predict_proba: the numbers the fast path reproduces."""
        features = scipy.sparse.hstack([v.transform([normalised]) for v in self._vectorizers]).tocsr()
        probabilities: NDArray[np.float64] = self._estimator.predict_proba(features)[0]
        return probabilities

    def _payload(self, text: str, stripped: str) -> Parse | None:
        """A button's "/intent" or "/intent{"entity": "value"}" (Rasa's convention) naming a known intent."""
        match = _PAYLOAD.match(stripped)
        if match is None or match.group("intent") not in self.model.intents:
            return None
        intent = match.group("intent")
        entities = _payload_entities(match.group("entities"))
        ranking = (IntentScore(intent, 1.0),)
        return Parse(text=text, intent=intent, confidence=1.0, ranking=ranking, entities=entities)


def _payload_entities(raw: str | None) -> tuple[Entity, ...]:
    if not raw:
        return ()
    try:
        decoded: Any = json.loads(raw)
    except json.JSONDecodeError:
        return ()  # the intent still stands; a malformed button should not cost the citizen a turn
    if not isinstance(decoded, dict):
        return ()
    return tuple(
        Entity(str(name), str(value), 0, 0, "payload")
        for name, value in decoded.items()
        if isinstance(value, str | int | float)
    )


def dump_atomically(model: object, path: Path) -> None:
    """joblib's file written beside `path` and moved into place: a reader never sees half a model."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".model-", suffix=".tmp")
    os.close(handle)
    try:
        joblib.dump(model, temporary)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from a service running as another user
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _save(model: TrainedModel, model_dir: Path, path: Path) -> None:
    """Write atomically, then drop models of older training data so the folder does not grow."""
    dump_atomically(model, path)
    for old in model_dir.glob("builtin-*.joblib"):
        if old != path:
            old.unlink(missing_ok=True)
