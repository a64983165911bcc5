"""`RasaClassifier` against a fake Rasa server: the mapping onto `Parse`, and each way Rasa can fail."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from nlu.builtin import BuiltinClassifier
from nlu.rasa.client import RasaClassifier, RasaError
from tests.nlu.fake_rasa import FakeRasa, rasa_answer


@pytest.fixture
async def rasa(server: TestServer, classifier: BuiltinClassifier) -> AsyncIterator[RasaClassifier]:
    client = RasaClassifier(str(server.make_url("/")), classifier, timeout=0.5)
    yield client
    await client.close()


async def test_maps_intent_ranking_entities_and_language(rasa: RasaClassifier, fake: FakeRasa) -> None:
    text = "¿cómo va mi caso k7m4qp? lo reporté en la calle 45 con carrera 27, el carro es rojo"
    ranking = [{"name": f"intent_{i}", "confidence": 0.1 - i / 100} for i in range(6)]
    ranking.insert(0, {"name": "case_status", "confidence": 0.8})
    fake.body = rasa_answer(
        text,
        "case_status",
        0.8,
        intent_ranking=ranking,
        entities=[
            # Rasa's own case code (lower case, from its regex) is replaced by ours, normalised.
            {
                "entity": "case_code",
                "value": "k7m4qp",
                "start": 17,
                "end": 23,
                "extractor": "RegexEntityExtractor",
            },
            {"entity": "color", "value": "rojo", "start": 79, "end": 83, "extractor": "DIETClassifier"},
            {"entity": "broken", "start": "x"},
        ],
    )
    parse = await rasa.parse(text)
    assert (parse.intent, parse.confidence) == ("case_status", 0.8)
    assert [s.intent for s in parse.ranking] == [
        "case_status",
        "intent_0",
        "intent_1",
        "intent_2",
        "intent_3",
    ]
    assert [(e.entity, e.value, e.extractor) for e in parse.entities] == [
        ("case_code", "K7M-4QP", "builtin"),
        ("address", "calle 45 con carrera 27", "builtin"),
        ("color", "rojo", "DIETClassifier"),
    ]
    assert parse.language == "es"
    assert fake.texts == [text]


async def test_ranking_defaults_to_the_intent(rasa: RasaClassifier, fake: FakeRasa) -> None:
    fake.body = {"intent": {"name": "greet", "confidence": 1}, "entities": None}
    parse = await rasa.parse("hello there")
    assert [(s.intent, s.confidence) for s in parse.ranking] == [("greet", 1.0)]
    assert parse.language == "en"


async def test_payloads_and_empty_text_never_reach_rasa(rasa: RasaClassifier, fake: FakeRasa) -> None:
    affirm = await rasa.parse("/affirm")
    assert (affirm.intent, affirm.confidence) == ("affirm", 1.0)
    report = await rasa.parse('/report_pothole{"address": "calle 5"}')
    assert report.entity("address") is not None
    empty = await rasa.parse("   ")
    assert (empty.intent, empty.confidence) == ("none", 0.0)
    await rasa.parse("/start")  # not one of our intents: it is text, and Rasa reads it
    assert fake.texts == ["/start"]


@pytest.mark.parametrize(
    ("status", "raw", "body", "reason"),
    [
        (500, None, None, "http_error"),
        (200, b"<html>oops</html>", None, "bad_answer"),
        (200, b"[1, 2]", None, "bad_answer"),
        (200, None, {"intent": None, "entities": []}, "bad_answer"),
        (200, None, {"intent": {"name": "greet", "confidence": "high"}}, "bad_answer"),
        (200, None, {"intent": {"name": "", "confidence": 0.5}}, "bad_answer"),
    ],
)
async def test_garbage_is_an_error_with_a_reason(
    rasa: RasaClassifier,
    fake: FakeRasa,
    status: int,
    raw: bytes | None,
    body: dict[str, object] | None,
    reason: str,
) -> None:
    fake.status, fake.raw, fake.body = status, raw, body
    with pytest.raises(RasaError) as caught:
        await rasa.parse("hola")
    assert caught.value.reason == reason


async def test_slow_answer_times_out(rasa: RasaClassifier, fake: FakeRasa) -> None:
    fake.delay = 2.0
    with pytest.raises(RasaError) as caught:
        await rasa.parse("hola")
    assert caught.value.reason == "timeout"


async def test_nobody_listening_is_unreachable(classifier: BuiltinClassifier) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    rasa = RasaClassifier(f"http://127.0.0.1:{port}/", classifier, timeout=0.5)
    try:
        with pytest.raises(RasaError) as caught:
            await rasa.parse("hola")
        assert caught.value.reason == "unreachable"
    finally:
        await rasa.close()
        await rasa.close()  # twice is fine


async def test_confidence_is_clamped(rasa: RasaClassifier, fake: FakeRasa) -> None:
    fake.body = {"intent": {"name": "greet", "confidence": 1.0000001}}
    assert (await rasa.parse("hola")).confidence == 1.0
