"""The knowledge base with `nlu.backend: rasa`: it is matched by our own index before the intent rules, so a
common question gets its topic's answer whatever the classifier, and a report still files a report."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from nlu.factory import build_classifier, close_classifier
from nlu.rasa.fallback import FallbackClassifier
from storage.models import KnowledgeAsk
from tests.test_end_to_end import Client, WebCitizen, files_and_follows_the_complaint

pytestmark = [pytest.mark.rasa, pytest.mark.timeout(1800)]


@pytest.fixture
async def rasa_classifier(settings: Settings) -> AsyncIterator[FallbackClassifier]:
    built = build_classifier(settings)
    assert isinstance(built, FallbackClassifier)
    yield built
    await close_classifier(built)


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    rasa_classifier: FallbackClassifier,
) -> Client:
    return await aiohttp_client(create_app(settings, classifier=rasa_classifier))


async def test_a_question_gets_its_answer_and_a_report_is_still_filed_with_rasa(
    client: Client, sessions: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
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
