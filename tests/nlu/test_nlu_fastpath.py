"""The NumPy fast path gives scikit-learn's own probabilities and language log-odds, to 1e-9."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from nlu.builtin import RANKING_SIZE, BuiltinClassifier, nlu_data_dir, train_model
from nlu.fast_linear import FastTextPipeline, Floats, NaiveBayesLogOdds, UnsupportedModel
from nlu.intent_model import ModelConfig, build_pipeline
from nlu.language import LanguageDetector, _prepare
from nlu.normalise import normalise
from nlu.training_data import Example, load_examples

TOLERANCE = 1e-9
ODD_INPUTS = [
    "",
    "😀🎉",  # nothing left after normalisation
    "...",
    "👍",
    "👍🏽🤷‍♀️🇨🇴",
    "zzqx blorf qwrtp vlemk",  # no known word
    "HÓLA SeÑoR, ¿CÓMO VA mi CASO? GRACIAS!!!",
    "Hay Un HUECO enorme en la Cárrera 7 con CALLE 45",
    "123 456 7890",
    "llamar al 300 123 4567, caso K7M-4QP",
    "9" * 500,
    "x" * 2000,
    ("hay un hueco enorme en la calle 45, nadie lo arregla y ya hubo dos accidentes. " * 30)[:2000],
    ("the streetlight on my corner has been out for weeks, please send someone! " * 30)[:2000],
    "\x00 \ud800 lone surrogate \u202e\u200b\ufeff",
    bytes(range(256)).decode("latin-1"),
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [e.text for e in load_examples(nlu_data_dir())] + ODD_INPUTS


def test_odd_inputs_include_one_empty_after_normalisation() -> None:
    assert normalise("😀🎉") == ""


def test_the_shipped_model_takes_the_fast_path(classifier: BuiltinClassifier) -> None:
    assert classifier._fast is not None
    detector = classifier.model.languages
    detector.spanish_log_odds("hola")
    assert isinstance(detector._fast_log_odds, NaiveBayesLogOdds)


def _mismatches(texts: list[str], fast: Callable[[str], Floats], slow: Callable[[str], Floats]) -> list[str]:
    """Texts whose probabilities differ by more than the tolerance or whose top intents differ in order."""
    wrong = []
    for text in texts:
        expected, got = slow(text), fast(text)
        ranked = np.argsort(-expected)[:RANKING_SIZE].tolist() == np.argsort(-got)[:RANKING_SIZE].tolist()
        if not ranked or expected.shape != got.shape or np.max(np.abs(expected - got)) > TOLERANCE:
            wrong.append(text)
    return wrong


def test_intent_probabilities_match_scikit_learn(classifier: BuiltinClassifier, texts: list[str]) -> None:
    assert classifier._fast is not None
    normalised = [normalise(t.strip()) for t in texts]
    assert _mismatches(normalised, classifier._fast.predict_proba, classifier._sklearn_probabilities) == []


def test_parse_is_the_same_as_through_scikit_learn(classifier: BuiltinClassifier) -> None:
    slow = BuiltinClassifier(classifier.model)
    slow._fast = None
    for text in [*ODD_INPUTS, "hay un hueco en la calle 45", "/launch_rockets", "the light is out"]:
        fast, reference = classifier.parse_sync(text), slow.parse_sync(text)
        assert [s.intent for s in fast.ranking] == [s.intent for s in reference.ranking]
        assert fast.confidence == pytest.approx(reference.confidence, abs=TOLERANCE)
        assert fast.intent == reference.intent
        assert (fast.entities, fast.language) == (reference.entities, reference.language)


def test_language_log_odds_match_scikit_learn(classifier: BuiltinClassifier, texts: list[str]) -> None:
    detector = classifier.model.languages
    fast = NaiveBayesLogOdds(detector._vectorizer, detector._model, "es", "en")
    wrong = [
        text
        for text in texts
        if abs(fast(_prepare(text)) - detector._sklearn_log_odds(_prepare(text))) > TOLERANCE
    ]
    assert wrong == []


def test_the_detector_pickles_as_before(classifier: BuiltinClassifier) -> None:
    detector = classifier.model.languages
    detector.detect("hay un hueco")
    loaded = pickle.loads(pickle.dumps(detector))
    assert set(vars(loaded)) == {"_vectorizer", "_model"}
    assert loaded.spanish_log_odds("hay un hueco") == detector.spanish_log_odds("hay un hueco")


def test_untrained_detector_still_answers_from_cues() -> None:
    assert LanguageDetector().spanish_log_odds("¿cómo va mi caso?") > 0


@pytest.fixture(scope="module")
def sample() -> list[Example]:
    """A few examples of every intent: enough to fit small models in well under a second."""
    seen: dict[str, int] = {}
    chosen = []
    for example in load_examples(nlu_data_dir()):
        if seen.get(example.intent, 0) < 12:
            seen[example.intent] = seen.get(example.intent, 0) + 1
            chosen.append(example)
    return chosen


def _pipeline(**tfidf: object) -> Pipeline:
    words = TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\b\w+\b|[?!]", **tfidf)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, **tfidf)
    union = FeatureUnion([("words", words), ("chars", chars)])
    return Pipeline([("features", union), ("classifier", LogisticRegression(C=10.0, max_iter=3000))])


@pytest.mark.parametrize(
    "tfidf",
    [
        {"norm": "l2", "sublinear_tf": True},
        {"norm": "l1", "sublinear_tf": False},
        {"norm": None, "sublinear_tf": True},
        {"norm": "l2", "use_idf": False},
        {"norm": "l2", "binary": True, "sublinear_tf": True},
    ],
)
@pytest.mark.parametrize("intents", [2, 4])  # two: LogisticRegression's binary (one score) case
def test_other_vectorizer_settings_match_too(
    sample: list[Example], tfidf: dict[str, object], intents: int
) -> None:
    kept = sorted({e.intent for e in sample})[:intents]
    examples = [e for e in sample if e.intent in kept]
    texts = [normalise(e.text) for e in examples]
    pipeline = _pipeline(**tfidf).fit(texts, [e.intent for e in examples])
    fast = FastTextPipeline(pipeline)
    assert fast.classes == kept
    probe = [*texts, *(normalise(t) for t in ODD_INPUTS)]
    assert _mismatches(probe, fast.predict_proba, lambda t: pipeline.predict_proba([t])[0]) == []


def test_float32_features_are_refused(sample: list[Example]) -> None:
    pipeline = _pipeline(dtype=np.float32).fit([e.text for e in sample], [e.intent for e in sample])
    with pytest.raises(UnsupportedModel, match="float32"):
        FastTextPipeline(pipeline)


def test_calibrated_svc_falls_back_to_scikit_learn(sample: list[Example]) -> None:
    with pytest.raises(UnsupportedModel, match="CalibratedClassifierCV"):
        FastTextPipeline(build_pipeline(ModelConfig(estimator="svc"), {}))
    svc = BuiltinClassifier(train_model(sample, config=ModelConfig(estimator="svc")))
    assert svc._fast is None
    parsed = svc.parse_sync("hay un hueco en la calle")
    expected = svc._sklearn_probabilities(normalise("hay un hueco en la calle"))
    assert parsed.confidence == float(expected.max())
