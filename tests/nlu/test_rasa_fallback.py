"""The fallback wrapper: the built-in answers when Rasa cannot, the breaker skips Rasa, then tries again."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer
from prometheus_client import REGISTRY

from nlu.builtin import BuiltinClassifier
from nlu.rasa.client import RasaClassifier
from nlu.rasa.fallback import CircuitBreaker, FallbackClassifier, RateLimitedLog
from tests.nlu.fake_rasa import FakeRasa, rasa_answer


class Clock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("ventanilla_nlu_fallbacks_total", {"reason": reason}) or 0.0


def rasa_parses() -> float:
    return REGISTRY.get_sample_value("ventanilla_nlu_rasa_parses_total") or 0.0


def test_breaker_opens_after_failures_and_lets_one_trial_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures_to_open=2, cooldown=10, clock=clock)
    assert breaker.allow() and breaker.state == "closed"
    assert not breaker.failed()  # one failure is not a pattern
    assert breaker.failed()
    assert breaker.state == "open" and not breaker.allow()
    clock.now += 10
    assert breaker.state == "half_open"
    assert breaker.allow()
    assert not breaker.allow()  # one trial at a time
    assert breaker.failed()  # the trial failed: a new cool-down
    assert not breaker.allow()
    clock.now += 10
    assert breaker.allow()
    breaker.abandoned()  # a cancelled trial frees the slot
    assert breaker.allow()
    assert breaker.succeeded()
    assert breaker.state == "closed" and breaker.failures == 0
    assert not breaker.succeeded()


def test_log_is_rate_limited(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    logs = RateLimitedLog(every=60, clock=clock)
    with caplog.at_level(logging.WARNING, logger="nlu.rasa.fallback"):
        for _ in range(5):
            logs.warning("timeout", "Rasa slow")
        logs.warning("unreachable", "Rasa down")
        clock.now += 61
        logs.warning("timeout", "Rasa slow")
    assert [r.getMessage() for r in caplog.records] == [
        "Rasa slow",
        "Rasa down",
        "Rasa slow (4 more like it since the last report)",
    ]


@pytest.fixture
async def wrapped(
    server: TestServer, classifier: BuiltinClassifier
) -> AsyncIterator[tuple[FallbackClassifier, Clock]]:
    clock = Clock()
    rasa = RasaClassifier(str(server.make_url("/")), classifier, timeout=0.3)
    fallback = FallbackClassifier(rasa, classifier, breaker=CircuitBreaker(2, 5, clock), clock=clock)
    yield fallback, clock
    await fallback.close()


async def test_rasa_answers_while_it_can(wrapped: tuple[FallbackClassifier, Clock], fake: FakeRasa) -> None:
    fallback, _ = wrapped
    fake.body = rasa_answer("x", "report_noise", 0.77)
    before = rasa_parses()
    parse = await fallback.parse("hay un bache")
    assert (parse.intent, parse.confidence) == ("report_noise", 0.77)  # Rasa's answer, not the built-in's
    assert rasa_parses() == before + 1


async def test_failures_fall_back_then_skip_rasa_then_recover(
    wrapped: tuple[FallbackClassifier, Clock], fake: FakeRasa, caplog: pytest.LogCaptureFixture
) -> None:
    fallback, clock = wrapped
    fake.status = 503
    http_errors, skipped = fallbacks("http_error"), fallbacks("circuit_open")
    with caplog.at_level(logging.WARNING, logger="nlu.rasa.fallback"):
        first = await fallback.parse("hay un hueco enorme en la calle 45")
        second = await fallback.parse("se cayó un árbol en el parque")
        third = await fallback.parse("no pasó el camión de la basura")
    # Every message still gets the built-in classifier's real answer.
    assert [p.intent for p in (first, second, third)] == ["report_pothole", "report_tree", "report_garbage"]
    assert fallbacks("http_error") == http_errors + 2
    assert fallbacks("circuit_open") == skipped + 1
    assert len(fake.texts) == 2  # the third never went to Rasa
    assert REGISTRY.get_sample_value("ventanilla_nlu_rasa_up") == 0
    assert any("built-in classifier answers for the next 5 s" in r.getMessage() for r in caplog.records)

    fake.status, fake.body = 200, rasa_answer("x", "greet", 0.9)
    clock.now += 5
    with caplog.at_level(logging.WARNING, logger="nlu.rasa.fallback"):
        back = await fallback.parse("hola")
    assert back.intent == "greet" and fallback.breaker.state == "closed"
    assert REGISTRY.get_sample_value("ventanilla_nlu_rasa_up") == 1
    assert "answers again" in caplog.records[-1].getMessage()


async def test_timeouts_and_garbage_fall_back(
    wrapped: tuple[FallbackClassifier, Clock], fake: FakeRasa
) -> None:
    fallback, _ = wrapped
    timeouts, garbage = fallbacks("timeout"), fallbacks("bad_answer")
    fake.delay = 1.0
    assert (await fallback.parse("gracias")).intent == "thanks"
    fake.delay, fake.raw = 0.0, b"not json"
    assert (await fallback.parse("muchas gracias")).intent == "thanks"
    assert (fallbacks("timeout"), fallbacks("bad_answer")) == (timeouts + 1, garbage + 1)


async def test_unexpected_errors_fall_back_too(
    wrapped: tuple[FallbackClassifier, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    fallback, _ = wrapped

    def broken(*args: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(fallback.rasa, "to_parse", broken)
    errors = fallbacks("error")
    assert (await fallback.parse("gracias")).intent == "thanks"
    assert fallbacks("error") == errors + 1


async def test_buttons_neither_count_as_rasa_nor_close_the_breaker(
    wrapped: tuple[FallbackClassifier, Clock], fake: FakeRasa
) -> None:
    fallback, clock = wrapped
    fake.status = 503
    await fallback.parse("hola")
    await fallback.parse("hola")
    assert fallback.breaker.state == "open"
    clock.now += 5
    parsed = rasa_parses()
    assert (await fallback.parse("/affirm")).intent == "affirm"
    assert (await fallback.parse("")).intent == "none"
    assert fallback.breaker.state == "half_open" and rasa_parses() == parsed
    assert len(fake.texts) == 2
