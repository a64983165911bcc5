"""Tell Spanish from English in short, messy chat text, or say it cannot tell."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB

from nlu.entities import find_case_codes
from nlu.fast_linear import NaiveBayesLogOdds, UnsupportedModel
from nlu.normalise import strip_accents

LANGUAGES = ("es", "en")
# Below this probability the detector answers None and the conversation keeps its language.
MIN_PROBABILITY = 0.75


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORDS = re.compile(r"[^\W\d_]+")
_SPANISH_MARKS = re.compile(r"[ñÑ¿¡]")
_SPANISH_ACCENTS = re.compile(r"[áéíóúÁÉÍÓÚüÜ]")
# Words either side writes the same ("ok", "no", "taxi"): alone they say nothing about the language.
NEUTRAL = _words("ok okay oki okey k no taxi bus wifi whatsapp hmm mmm jaja jajaja haha lol xd")
SPANISH_WORDS = _words(
    "el la los las de del que en y por para con una un es hay mi mis su esta estan pero muy ya hace "
    "desde como cuando donde porque tengo quiero necesito gracias hola buenas buenos dias tardes noches "
    "si senor senora calle favor ayuda caso"
)
ENGLISH_WORDS = _words(
    "the an of and is are was there my our to in on for with this that it please thanks thank you "
    "hello hi hey yes street what how where when can i need want help case have has been"
)


COMMON_WORDS = {"es": SPANISH_WORDS, "en": ENGLISH_WORDS}


def keeps_language(text: str, current: str) -> bool:
    """Whether the text has a common word of `current` and none of the other language's: whatever the
    detector says of its letters, the citizen still writes `current` ("normal mode please")."""
    words = {strip_accents(w.lower()) for w in _WORDS.findall(text[:2000])}
    others = [common for language, common in COMMON_WORDS.items() if language != current]
    return bool(words & COMMON_WORDS.get(current, frozenset())) and not any(words & c for c in others)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


class LanguageDetector:
    """Character n-gram naive Bayes, nudged by cues no model should have to learn (ñ, ¿, "the")."""

    # The naive Bayes log-odds of one text, built on first use from the fitted pair below. A class
    # attribute, so detectors unpickled from models cached before it existed have it too.
    _fast_log_odds: Callable[[str], float] | None = None

    def __init__(self) -> None:
        self._vectorizer: CountVectorizer | None = None
        self._model: MultinomialNB | None = None

    def __getstate__(self) -> dict[str, Any]:
        # Derived from the fitted objects: the cached model file stays exactly what it was.
        state = self.__dict__.copy()
        state.pop("_fast_log_odds", None)
        return state

    def fit(self, texts: Sequence[str], languages: Sequence[str]) -> LanguageDetector:
        """Learn from texts labelled "es" or "en" (other labels are skipped)."""
        pairs = [(t, lang) for t, lang in zip(texts, languages, strict=True) if lang in LANGUAGES]
        if len({lang for _, lang in pairs}) < 2:  # nothing to tell apart: cues alone will do
            return self
        vectorizer = CountVectorizer(analyzer="char_wb", ngram_range=(1, 3), lowercase=True)
        features = vectorizer.fit_transform([_prepare(t) for t, _ in pairs])
        self._model = MultinomialNB(alpha=0.5).fit(features, [lang for _, lang in pairs])
        self._vectorizer = vectorizer
        return self

    def spanish_log_odds(self, text: str) -> float:
        """How much more Spanish than English the text looks (0 when it cannot tell)."""
        words = [strip_accents(w.lower()) for w in _WORDS.findall(text[:2000])]
        odds = 3.0 * bool(_SPANISH_MARKS.search(text)) + 1.5 * bool(_SPANISH_ACCENTS.search(text))
        odds += sum(1.0 for w in words if w in SPANISH_WORDS) - sum(1.0 for w in words if w in ENGLISH_WORDS)
        if self._model is not None and self._vectorizer is not None:
            # Naive Bayes over-counts correlated n-grams; damp it so cues still weigh on short texts.
            odds += 0.5 * self._naive_bayes_log_odds(_prepare(text))
        return odds

    def _naive_bayes_log_odds(self, prepared: str) -> float:
        fast = self._fast_log_odds
        if fast is None:
            try:
                fast = NaiveBayesLogOdds(self._vectorizer, self._model, "es", "en")
            except UnsupportedModel:
                fast = self._sklearn_log_odds
            self._fast_log_odds = fast
        return fast(prepared)

    def _sklearn_log_odds(self, prepared: str) -> float:
        """log P(es) − log P(en) by scikit-learn's own transform and predict_log_proba."""
        assert self._model is not None and self._vectorizer is not None
        log_prob = self._model.predict_log_proba(self._vectorizer.transform([prepared]))[0]
        classes = list(self._model.classes_)
        return float(log_prob[classes.index("es")] - log_prob[classes.index("en")])

    def detect(self, text: str) -> str | None:
        """ "es", "en", or None when the text has no telling words ("ok", "123", "👍", "K7M-4QP")."""
        text = text[:2000]
        for code in reversed(find_case_codes(text)):
            text = text[: code.start] + " " + text[code.end :]
        words = [strip_accents(w.lower()) for w in _WORDS.findall(text[:2000])]
        if not words or all(w in NEUTRAL or len(w) == 1 for w in words):
            return None
        probability = _sigmoid(self.spanish_log_odds(text))
        if probability >= MIN_PROBABILITY:
            return "es"
        if probability <= 1.0 - MIN_PROBABILITY:
            return "en"
        return None


def _prepare(text: str) -> str:
    return strip_accents(text[:2000].lower())
