"""The built-in classifier as the dialogue sees it: payloads, odd input, caching, entities."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nlu.base import Classifier
from nlu.builtin import NO_INTENT, BuiltinClassifier, training_data_key


def test_it_is_a_classifier(classifier: BuiltinClassifier) -> None:
    as_protocol: Classifier = classifier
    assert as_protocol is classifier


async def test_async_parse_matches_sync(classifier: BuiltinClassifier) -> None:
    text = "hay un hueco en la calle 45 con carrera 27"
    parsed = await classifier.parse(text)
    assert parsed == classifier.parse_sync(text)
    assert parsed.intent == "report_pothole"
    assert parsed.language == "es"
    assert parsed.entity("address") is not None


def test_ranking_is_the_top_five_in_order(classifier: BuiltinClassifier) -> None:
    parsed = classifier.parse_sync("the streetlight on my corner is out")
    assert len(parsed.ranking) == 5
    confidences = [s.confidence for s in parsed.ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert parsed.ranking[0].intent == parsed.intent == "report_streetlight"
    assert parsed.confidence == confidences[0]
    assert len({s.intent for s in parsed.ranking}) == 5


@pytest.mark.parametrize("intent", ["report_pothole", "affirm", "human_handoff", "out_of_scope"])
def test_button_payload_of_a_known_intent_is_certain(classifier: BuiltinClassifier, intent: str) -> None:
    parsed = classifier.parse_sync(f"/{intent}")
    assert (parsed.intent, parsed.confidence) == (intent, 1.0)


def test_payload_may_carry_entities(classifier: BuiltinClassifier) -> None:
    parsed = classifier.parse_sync('/case_status{"case_code": "K7M-4QP"}')
    assert parsed.intent == "case_status"
    assert parsed.entity("case_code") is not None
    assert parsed.entity("case_code").value == "K7M-4QP"  # type: ignore[union-attr]
    assert classifier.parse_sync("/case_status{not json").intent == "case_status"


def test_unknown_payload_is_classified_as_text(classifier: BuiltinClassifier) -> None:
    parsed = classifier.parse_sync("/launch_rockets")
    assert parsed.confidence < 1.0


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_message_is_not_understood(classifier: BuiltinClassifier, text: str) -> None:
    parsed = classifier.parse_sync(text)
    assert (parsed.intent, parsed.confidence, parsed.ranking, parsed.entities) == (NO_INTENT, 0.0, (), ())


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x00\x00",
        "\ud800 lone surrogate",
        bytes(range(256)).decode("latin-1"),
        "👍🏽🤷‍♀️🇨🇴",
        "a" * 20_000,
        "hueco " * 4000,
        '[x](y) {"entity": 1} /// ###',
        "\u202e\u200b\ufeff",
        "9" * 500,
    ],
)
def test_any_string_gets_a_parse(classifier: BuiltinClassifier, text: str) -> None:
    parsed = classifier.parse_sync(text)
    assert parsed.intent in classifier.intents
    assert 0.0 <= parsed.confidence <= 1.0
    assert all(0 <= e.start <= e.end <= len(text) for e in parsed.entities)


def test_thumbs_up_is_a_yes(classifier: BuiltinClassifier) -> None:
    assert classifier.parse_sync("👍").intent == "affirm"


def test_second_start_loads_the_cached_model(tiny_data: Path, tmp_path: Path) -> None:
    model_dir = tmp_path / "models"
    first = BuiltinClassifier.load_or_train(tiny_data, model_dir)
    [cached] = model_dir.glob("builtin-*.joblib")
    written = cached.stat().st_mtime_ns
    second = BuiltinClassifier.load_or_train(tiny_data, model_dir)
    assert (first.from_cache, second.from_cache) == (False, True)
    assert cached.stat().st_mtime_ns == written
    assert second.parse_sync("hola").intent == first.parse_sync("hola").intent == "greet"


def test_changed_training_data_retrains_and_replaces_the_old_model(tiny_data: Path, tmp_path: Path) -> None:
    model_dir = tmp_path / "models"
    BuiltinClassifier.load_or_train(tiny_data, model_dir)
    before = training_data_key(tiny_data)
    with (tiny_data / "es" / "nlu.yml").open("a", encoding="utf-8") as handle:
        handle.write("- intent: thanks\n  examples: |\n    - gracias\n    - thank you\n")
    assert training_data_key(tiny_data) != before
    retrained = BuiltinClassifier.load_or_train(tiny_data, model_dir)
    assert not retrained.from_cache
    assert "thanks" in retrained.intents
    assert [p.name for p in model_dir.glob("builtin-*.joblib")] == [
        f"builtin-{training_data_key(tiny_data)}.joblib"
    ]


def test_corrupt_cache_is_retrained_not_fatal(tiny_data: Path, tmp_path: Path) -> None:
    model_dir = tmp_path / "models"
    model_dir.mkdir()
    (model_dir / f"builtin-{training_data_key(tiny_data)}.joblib").write_bytes(b"not a pickle")
    classifier = BuiltinClassifier.load_or_train(tiny_data, model_dir)
    assert not classifier.from_cache
    assert BuiltinClassifier.load_or_train(tiny_data, model_dir).from_cache


def test_unwritable_model_dir_still_gives_a_classifier(tiny_data: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    classifier = BuiltinClassifier.load_or_train(tiny_data, blocker / "models")
    assert classifier.parse_sync("hello").intent == "greet"
    assert not os.path.exists(blocker / "models")


def test_entities_use_the_city_phone_region(tiny_data: Path, tmp_path: Path) -> None:
    mexico = BuiltinClassifier.load_or_train(tiny_data, tmp_path, phone_region="MX")
    phone = mexico.parse_sync("llamar al 55 1234 5678").entity("phone_number")
    assert phone is not None
    assert phone.value == "+525512345678"
