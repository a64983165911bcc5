"""What a citizen sees on the web chat with the real built-in classifier, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from nlu.base import Classifier
from storage.models import Case

Client = TestClient[web.Request, web.Application]


class WebCitizen:
    """Someone on the chat page: sends what they type, or the payload of the button they tap."""

    def __init__(self, client: Client, sender: str) -> None:
        self.client, self.sender, self._n = client, sender, 0
        self.replies: list[dict[str, Any]] = []

    async def says(self, text: str) -> str:
        self._n += 1
        body = {"sender": self.sender, "message": text, "metadata": {"message_id": f"m{self._n}"}}
        response = await self.client.post("/webhooks/rest/webhook", data=json.dumps(body))
        assert response.status == 200, await response.text()
        self.replies = await response.json()
        return "\n".join(r["text"] for r in self.replies)

    async def taps(self, title: str) -> str:
        payload = next(
            b["payload"] for r in self.replies for b in r.get("buttons", []) if b["title"] == title
        )
        return await self.says(payload)


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    builtin_classifier: Classifier,
) -> Client:
    return await aiohttp_client(create_app(settings, classifier=builtin_classifier))


async def only_case(sessions: async_sessionmaker[AsyncSession]) -> Case:
    async with sessions() as session:
        [case] = (await session.scalars(select(Case))).all()
        return case


COMPLAINT = "hay un hueco enorme en la calle 45 con carrera 27, ya se cayeron dos motos"


async def files_and_follows_the_complaint(
    ana: WebCitizen, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """COMPLAINT in Spanish to a case code, then its status, whichever classifier understands it."""
    said = await ana.says(COMPLAINT)
    assert "foto" in said
    said = await ana.says("omitir")
    assert "¿Lo confirmo?" in said and "calle 45 con carrera 27" in said
    said = await ana.says("si")
    case = await only_case(sessions)
    assert case.code in said and "Registrado" in said
    assert (case.service_code, case.address) == ("pothole", "calle 45 con carrera 27")
    said = await ana.says(f"¿cómo va mi reclamo {case.code}?")
    assert f"Caso {case.code}" in said and "abierto" in said


async def test_spanish_complaint_to_case_code_and_status(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await files_and_follows_the_complaint(WebCitizen(client, "web-ana-5f3c9d27e1"), sessions)


async def test_english_complaint_to_case_code_and_status(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    tom = WebCitizen(client, "web-tom-5f3c9d27e1")
    said = await tom.says("there's a huge pothole on 45th st and 27th ave, two motorbikes already fell")
    assert "photo" in said
    said = await tom.taps("Skip")
    assert "Shall I confirm?" in said
    said = await tom.says("yes")
    case = await only_case(sessions)
    assert f"Your code is {case.code}" in said
    assert case.service_code == "pothole" and case.language == "en"
    said = await tom.says(f"what's the status of {case.code.lower()}?")
    assert f"Case {case.code}" in said and "open" in said


async def test_each_missing_detail_is_asked_once_in_the_citizens_words(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    luz = WebCitizen(client, "web-luz-5f3c9d27e1")
    assert "¿Dónde es?" in await luz.says("el poste de luz de mi cuadra no prende hace una semana")
    assert "foto" in await luz.says("frente al colegio San José")
    assert "¿Lo confirmo?" in await luz.says("no tengo")
    assert "✅" in await luz.says("dale")
    case = await only_case(sessions)
    assert (case.service_code, case.address) == ("streetlight", "frente al colegio San José")
