"""The web chat with `nlu.backend: rasa` against a real Rasa 3.6 server, and what happens when it dies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from nlu.factory import build_classifier, close_classifier
from nlu.rasa.fallback import FallbackClassifier
from nlu.rasa.server import RasaServer
from storage.models import Direction, KnowledgeAsk, Message
from tests.test_end_to_end import COMPLAINT, Client, WebCitizen, files_and_follows_the_complaint, only_case

# Fixture set-up builds Rasa's virtualenv on a machine's first run: minutes, not the usual two.
pytestmark = [pytest.mark.rasa, pytest.mark.timeout(1800)]
COOLDOWN = 0.5


def rasa_parses() -> float:
    return REGISTRY.get_sample_value("ventanilla_nlu_rasa_parses_total") or 0.0


def fallbacks(reason: str) -> float:
    return REGISTRY.get_sample_value("ventanilla_nlu_fallbacks_total", {"reason": reason}) or 0.0


@pytest.fixture
async def rasa_classifier(settings: Settings) -> AsyncIterator[FallbackClassifier]:
    """What `create_app` builds for `nlu.backend: rasa`, with a short cool-down so the test is quick."""
    built = build_classifier(settings)
    assert isinstance(built, FallbackClassifier)
    built.breaker.cooldown = COOLDOWN
    yield built
    await close_classifier(built)


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    rasa_classifier: FallbackClassifier,
) -> Client:
    return await aiohttp_client(create_app(settings, classifier=rasa_classifier))


async def inbound(sessions: async_sessionmaker[AsyncSession]) -> list[Message]:
    async with sessions() as session:
        query = select(Message).where(Message.direction == Direction.IN).order_by(Message.id)
        return list((await session.scalars(query)).all())


async def test_spanish_complaint_filed_with_rasa(
    client: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    assert settings.nlu.backend == "rasa"
    parsed, fell_back = rasa_parses(), sum(fallbacks(r) for r in ("timeout", "unreachable", "circuit_open"))
    await files_and_follows_the_complaint(WebCitizen(client, "web-ana-5f3c9d27e1"), sessions)
    assert rasa_parses() == parsed + 4  # every message went to Rasa…
    assert sum(fallbacks(r) for r in ("timeout", "unreachable", "circuit_open")) == fell_back  # …none around
    intents = [m.intent for m in await inbound(sessions)]
    assert intents[0] == "report_pothole" and intents[-1] == "case_status"


async def test_killing_rasa_falls_back_without_losing_messages(
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    rasa_server: RasaServer,
    rasa_classifier: FallbackClassifier,
) -> None:
    ana = WebCitizen(client, "web-ana-5f3c9d27e1")
    parsed = rasa_parses()
    assert "foto" in await ana.says(COMPLAINT)
    assert rasa_parses() == parsed + 1

    rasa_server.kill()  # SIGKILL: pooled connections die with it
    unreachable, skipped = fallbacks("unreachable"), fallbacks("circuit_open")
    assert "¿Lo confirmo?" in await ana.says("omitir")
    said = await ana.says("si")
    case = await only_case(sessions)
    assert case.code in said and "Registrado" in said
    assert fallbacks("unreachable") == unreachable + 2
    assert rasa_classifier.breaker.state == "open"
    assert await ana.says("muchas gracias")  # skipped Rasa altogether, still answered
    assert fallbacks("circuit_open") == skipped + 1
    assert rasa_parses() == parsed + 1
    metrics = await (await client.get("/metrics")).text()
    assert 'ventanilla_nlu_fallbacks_total{reason="unreachable"}' in metrics
    assert "ventanilla_nlu_rasa_up 0.0" in metrics

    await asyncio.to_thread(rasa_server.start)  # the same port: nothing to reconfigure
    await asyncio.sleep(COOLDOWN)
    said = await ana.says(f"¿cómo va mi reclamo {case.code}?")
    assert f"Caso {case.code}" in said
    assert rasa_parses() == parsed + 2 and rasa_classifier.breaker.state == "closed"
    assert "ventanilla_nlu_rasa_up 1.0" in await (await client.get("/metrics")).text()

    messages = await inbound(sessions)
    assert [m.text for m in messages][1:4] == ["omitir", "si", "muchas gracias"]
    assert all(m.intent for m in messages)  # each was classified, by one backend or the other


async def test_a_question_gets_its_answer_and_a_report_is_still_filed_with_rasa(
    client: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """The knowledge base is matched by our own index before the intent rules (docs/architecture.md), so a
    common question gets its topic's answer whatever the classifier, and a report still files a report."""
    assert settings.nlu.backend == "rasa"
    ana = WebCitizen(client, "web-ana-kb-5f3c9d27e1")
    said = await ana.says("¿dónde pago el predial?")
    assert "cualquier banco" in said and "¿Te sirvió?" in said
    said = await ana.taps("Sí")
    assert "¡Qué bien!" in said
    async with sessions() as session:
        asks = (await session.scalars(select(KnowledgeAsk))).all()
    assert [(a.outcome, a.topic, a.useful) for a in asks] == [("answered", "impuesto-predial", True)]

    await files_and_follows_the_complaint(WebCitizen(client, "web-luis-kb-5f3c9d27e1"), sessions)
