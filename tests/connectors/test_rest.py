"""The web chat webhook over HTTP: Rasa REST shape, replays, and every kind of bad input."""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import FormData, web
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from storage import queries
from storage.models import Case, Message
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
) -> Client:
    return await aiohttp_client(create_app(settings, classifier=scripted))


async def send(client: Client, body: Any, **headers: str) -> tuple[int, Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = await client.post(
        "/webhooks/rest/webhook", data=raw, headers={"Content-Type": "application/json", **headers}
    )
    return response.status, await response.json()


def photo_form(content: bytes) -> FormData:
    form = FormData()
    form.add_field("photo", io.BytesIO(content), filename="photo.png", content_type="image/png")
    return form


async def count(sessions: async_sessionmaker[AsyncSession], model: type[Any]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_citizen_files_a_case_in_rasa_rest_shape(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    status, replies = await send(client, {"sender": "web-1", "message": "hay un bache en la calle 10 # 4-20"})
    assert status == 200
    assert replies[-1]["recipient_id"] == "web-1"
    assert replies[-1]["buttons"] == [{"title": "Omitir", "payload": "/skip"}]
    await send(client, {"sender": "web-1", "message": "/skip"})
    status, replies = await send(client, {"sender": "web-1", "message": "/affirm"})
    async with sessions() as session:
        code = await session.scalar(select(Case.code))
    assert status == 200 and code and code in replies[0]["text"]
    # With the code, the one question whether its description may be published.
    assert replies[0]["buttons"] == [
        {"title": "Sí, publicar", "payload": "/affirm"},
        {"title": "No publicar", "payload": "/deny"},
    ]


async def test_replayed_message_id_is_recorded_and_answered_once(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    body = {"sender": "web-2", "message": "hola", "metadata": {"message_id": "7f3a"}}
    first = await send(client, body)
    for _ in range(4):
        assert await send(client, body) == first
    assert await count(sessions, Message) == 1 + len(first[1])
    # The same id from another sender is another message.
    await send(client, {**body, "sender": "web-3"})
    assert await count(sessions, Message) == 2 * (1 + len(first[1]))


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (b"", 400, "bad_json"),
        (b"{not json", 400, "bad_json"),
        (bytes(range(256)) * 4, 400, "bad_json"),
        (b"[1, 2]", 400, "bad_json"),
        ({"message": "hola"}, 400, "bad_sender"),
        ({"sender": "", "message": "hola"}, 400, "bad_sender"),
        ({"sender": "a b", "message": "hola"}, 400, "bad_sender"),
        ({"sender": 12345, "message": "hola"}, 400, "bad_sender"),
        ({"sender": "x" * 129, "message": "hola"}, 400, "bad_sender"),
        ({"sender": "<script>", "message": "hola"}, 400, "bad_sender"),
        ({"sender": "web-4", "message": ""}, 400, "empty_message"),
        ({"sender": "web-4", "message": "   "}, 400, "empty_message"),
        ({"sender": "web-4", "message": {"text": "hola"}}, 400, "bad_message"),
        ({"sender": "web-4", "message": "hola", "metadata": "x"}, 400, "bad_metadata"),
        (
            {"sender": "web-4", "message": "", "metadata": {"location": {"latitude": 91, "longitude": 0}}},
            400,
            "bad_metadata",
        ),
        (
            {"sender": "web-4", "message": "", "metadata": {"location": {"latitude": "4", "longitude": 0}}},
            400,
            "bad_metadata",
        ),
        (
            {
                "sender": "web-4",
                "message": "x",
                "metadata": {"attachments": [{"url": "javascript:alert(1)"}]},
            },
            400,
            "bad_metadata",
        ),
        ({"sender": "web-4", "message": "x", "metadata": {"message_id": "a b"}}, 400, "bad_metadata"),
        ({"sender": "web-4", "message": "x" * 70_000}, 413, "too_large"),
    ],
)
async def test_bad_input_gets_a_clear_4xx_and_stores_nothing(
    client: Client, sessions: async_sessionmaker[AsyncSession], body: Any, status: int, error: str
) -> None:
    got_status, answer = await send(client, body)
    assert (got_status, answer["error"]) == (status, error)
    assert answer["message"]  # a sentence a person can read
    assert await count(sessions, Message) == 0


async def test_errors_speak_the_clients_language(client: Client) -> None:
    _, answer = await send(
        client, {"sender": "web-5", "message": ""}, **{"Accept-Language": "en-US,en;q=0.9"}
    )
    assert answer["message"].startswith("The message is empty")
    _, answer = await send(client, {"sender": "web-5", "message": ""})
    assert answer["message"].startswith("El mensaje está vacío")


async def test_long_text_and_garbage_text_get_a_polite_reply(client: Client) -> None:
    status, replies = await send(client, {"sender": "web-6", "message": "bla " * 5000})
    assert status == 200 and "muy largo" in replies[0]["text"]
    status, replies = await send(client, {"sender": "web-6", "message": "\x00\ufffd\u202e\x07"})
    assert status == 200 and replies  # not understood, but answered


async def test_form_posts_are_refused_with_415(client: Client) -> None:
    response = await client.post("/webhooks/rest/webhook", data={"sender": "web-7", "message": "hola"})
    assert response.status == 415


async def test_a_photo_uploaded_then_sent_starts_a_report(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    response = await client.post("/webchat/upload", data=photo_form(PNG))
    assert response.status == 201
    uploaded = await response.json()
    assert uploaded["content_type"] == "image/png"
    assert await (await client.get(uploaded["url"])).read() == PNG
    status, replies = await send(
        client, {"sender": "web-8", "message": "", "metadata": {"attachments": [uploaded]}}
    )
    assert status == 200 and "¿Qué quieres reportar?" in replies[0]["text"]
    bad = await client.post("/webchat/upload", data=photo_form(b"MZ\x90\x00 not an image"))
    assert bad.status == 400


async def test_health_and_metrics(client: Client) -> None:
    assert (await client.get("/healthz")).status == 200
    await send(client, {"sender": "web-9", "message": "hola"})
    metrics = await (await client.get("/metrics")).text()
    assert 'ventanilla_messages_in_total{channel="rest"}' in metrics


async def test_messages_written_later_reach_the_web_chat_once(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await send(client, {"sender": "web-10", "message": "quiero hablar con una persona"})
    async with sessions() as session, session.begin():
        asked = await session.scalar(select(Message).where(Message.direction == "in"))
        assert asked is not None
        common = {"citizen_id": asked.citizen_id, "direction": "out", "channel": "rest", "address": "web-10"}
        await queries.add_message(
            session, author="staff", text="Hola, soy Marta", delivery_status="pending", **common
        )
        await queries.add_message(session, author="staff", text="nota", internal=True, **common)
    first = await (await client.get("/webhooks/rest/messages", params={"sender": "web-10"})).json()
    assert [m["text"] for m in first["messages"]] == ["Hola, soy Marta"]  # not the bot's, not the note
    again = await (await client.get("/webhooks/rest/messages", params={"sender": "web-10"})).json()
    assert again["messages"] == []  # delivered once
    async with sessions() as session, session.begin():
        await queries.add_message(session, author="system", text="Tu caso avanzó", **common)
    later = await client.get("/webhooks/rest/messages", params={"sender": "web-10", "after": first["cursor"]})
    assert [m["text"] for m in (await later.json())["messages"]] == ["Tu caso avanzó"]
    for params in ({"sender": "web 10"}, {"sender": "web-10", "after": "-1"}, {}):
        assert (await client.get("/webhooks/rest/messages", params=params)).status == 400
