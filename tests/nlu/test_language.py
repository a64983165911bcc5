"""Spanish or English, from short messy chat text; None when a message gives no clue."""

from __future__ import annotations

import pytest

from nlu.builtin import BuiltinClassifier
from nlu.language import LanguageDetector, keeps_language


@pytest.fixture(scope="module")
def detector(classifier: BuiltinClassifier) -> LanguageDetector:
    return classifier.model.languages


@pytest.mark.parametrize(
    "text",
    [
        "hay un hueco enorme en la calle",
        "¿cómo va mi caso?",
        "holaaa",
        "gracias",
        "no hay luz en el parque",
        "se llevaron la basura? no",
        "q onda, el semaforo no sirve",
        "buenas noches",
        "necesito hablar con alguien",
        "el perro sigue ahi",
    ],
)
def test_spanish(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) == "es"


@pytest.mark.parametrize(
    "text",
    [
        "there is a pothole on my street",
        "hello",
        "thanks!!",
        "what's the status of my case",
        "the light is out",
        "trash wasnt picked up",
        "can i talk to a person",
        "yes please",
        "dog keeps barking all night",
    ],
)
def test_english(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) == "en"


@pytest.mark.parametrize(
    "text", ["ok", "OK!!", "123", "👍", "😡😡", "", "   ", "K7M-4QP", "no", "3001234567"]
)
def test_no_guess_when_nothing_tells(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_cues_work_even_without_a_trained_model() -> None:
    untrained = LanguageDetector()
    assert untrained.detect("¿dónde está mi caso?") == "es"
    assert untrained.detect("where is the case, please") == "en"
    assert untrained.detect("ok") is None


@pytest.mark.parametrize(
    ("text", "current", "keeps"),
    [
        ("normal mode please", "en", True),  # "please": still English, whatever "modo"-like letters say
        ("thanks, normal mode", "en", True),
        ("hay un bache en la calle 10", "en", False),  # Spanish common words: a real switch
        ("pothole on main street", "es", False),  # no Spanish common word to keep
        ("the hueco de la esquina", "es", False),  # both: the detector decides
        ("modo normal por favor", "es", True),
    ],
)
def test_a_message_with_only_the_current_languages_common_words_keeps_it(
    text: str, current: str, keeps: bool
) -> None:
    assert keeps_language(text, current) is keeps
