"""The web chat webhook over HTTP: Rasa REST shape, replays, and every kind of bad input."""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import FormData, web
from aiohttp.test_utils import TestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from storage import messages as message_rows
from storage.models import Case, Message
from tests.support.media import both_backends
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]


def png(size: tuple[int, int] = (40, 30), mode: str = "RGBA", **save: Any) -> bytes:
    """A real picture, as a phone or a screenshot would make it."""
    out = io.BytesIO()
    colors: dict[str, float | tuple[float, ...]] = {
        "RGBA": (200, 30, 30, 255),
        "RGB": (200, 30, 30),
        "L": 200,
    }
    color = colors[mode]
    Image.new(mode, size, color).save(out, "PNG", **save)
    return out.getvalue()


PNG = png()


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
    status, replies = await send(
        client, {"sender": "web-1-5f3c9d27e1", "message": "hay un bache en la calle 10 # 4-20"}
    )
    assert status == 200
    assert replies[-1]["recipient_id"] == "web-1-5f3c9d27e1"
    assert replies[-1]["buttons"] == [{"title": "Omitir", "payload": "/skip"}]
    await send(client, {"sender": "web-1-5f3c9d27e1", "message": "/skip"})
    status, replies = await send(client, {"sender": "web-1-5f3c9d27e1", "message": "/affirm"})
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
    body = {"sender": "web-2-5f3c9d27e1", "message": "hola", "metadata": {"message_id": "7f3a"}}
    first = await send(client, body)
    for _ in range(4):
        assert await send(client, body) == first
    assert await count(sessions, Message) == 1 + len(first[1])
    # The same id from another sender is another message.
    await send(client, {**body, "sender": "web-3-5f3c9d27e1"})
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
        ({"sender": "web-4-5f3c9d27e1", "message": ""}, 400, "empty_message"),
        ({"sender": "web-4-5f3c9d27e1", "message": "   "}, 400, "empty_message"),
        ({"sender": "web-4-5f3c9d27e1", "message": {"text": "hola"}}, 400, "bad_message"),
        ({"sender": "web-4-5f3c9d27e1", "message": "hola", "metadata": "x"}, 400, "bad_metadata"),
        (
            {
                "sender": "web-4-5f3c9d27e1",
                "message": "",
                "metadata": {"location": {"latitude": 91, "longitude": 0}},
            },
            400,
            "bad_metadata",
        ),
        (
            {
                "sender": "web-4-5f3c9d27e1",
                "message": "",
                "metadata": {"location": {"latitude": "4", "longitude": 0}},
            },
            400,
            "bad_metadata",
        ),
        (
            {
                "sender": "web-4-5f3c9d27e1",
                "message": "x",
                "metadata": {"attachments": [{"url": "javascript:alert(1)"}]},
            },
            400,
            "bad_metadata",
        ),
        (
            {"sender": "web-4-5f3c9d27e1", "message": "x", "metadata": {"message_id": "a b"}},
            400,
            "bad_metadata",
        ),
        ({"sender": "web-4-5f3c9d27e1", "message": "x" * 70_000}, 413, "too_large"),
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
        client, {"sender": "web-5-5f3c9d27e1", "message": ""}, **{"Accept-Language": "en-US,en;q=0.9"}
    )
    assert answer["message"].startswith("The message is empty")
    _, answer = await send(client, {"sender": "web-5-5f3c9d27e1", "message": ""})
    assert answer["message"].startswith("El mensaje está vacío")


async def test_long_text_and_garbage_text_get_a_polite_reply(client: Client) -> None:
    status, replies = await send(client, {"sender": "web-6-5f3c9d27e1", "message": "bla " * 5000})
    assert status == 200 and "muy largo" in replies[-1]["text"]
    status, replies = await send(client, {"sender": "web-6-5f3c9d27e1", "message": "\x00\ufffd\u202e\x07"})
    assert status == 200 and replies  # not understood, but answered


async def test_form_posts_are_refused_with_415(client: Client) -> None:
    response = await client.post(
        "/webhooks/rest/webhook", data={"sender": "web-7-5f3c9d27e1", "message": "hola"}
    )
    assert response.status == 415


@both_backends
async def test_a_photo_uploaded_then_sent_starts_a_report(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    response = await client.post("/webchat/upload?sender=web-8-5f3c9d27e1", data=photo_form(PNG))
    assert response.status == 201, await response.text()
    uploaded = await response.json()
    assert uploaded["content_type"] == "image/png"  # it has transparency, so it stays a PNG
    response = await client.get(uploaded["url"])
    assert response.headers["Content-Type"] == "image/png"
    served = await response.read()
    assert Image.open(io.BytesIO(served)).size == (40, 30)  # the same picture, drawn again
    status, replies = await send(
        client, {"sender": "web-8-5f3c9d27e1", "message": "", "metadata": {"attachments": [uploaded]}}
    )
    assert status == 200 and "¿Qué quieres reportar?" in replies[-1]["text"]
    bad = await client.post(
        "/webchat/upload?sender=web-8-5f3c9d27e1", data=photo_form(b"MZ\x90\x00 no image")
    )
    assert bad.status == 400


async def test_health_and_metrics(client: Client) -> None:
    assert (await client.get("/healthz")).status == 200
    await send(client, {"sender": "web-9-5f3c9d27e1", "message": "hola"})
    metrics = await (await client.get("/metrics")).text()
    assert 'ventanilla_messages_in_total{channel="rest"}' in metrics


async def test_messages_written_later_reach_the_web_chat_once(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await send(client, {"sender": "web-10-5f3c9d27e1", "message": "quiero hablar con una persona"})
    async with sessions() as session, session.begin():
        asked = await session.scalar(select(Message).where(Message.direction == "in"))
        assert asked is not None
        common = {
            "citizen_id": asked.citizen_id,
            "direction": "out",
            "channel": "rest",
            "address": "web-10-5f3c9d27e1",
        }
        await message_rows.add_message(
            session, author="staff", text="Hola, soy Marta", delivery_status="pending", **common
        )
        await message_rows.add_message(session, author="staff", text="nota", internal=True, **common)
    first = await (await client.get("/webhooks/rest/messages", params={"sender": "web-10-5f3c9d27e1"})).json()
    assert [m["text"] for m in first["messages"]] == ["Hola, soy Marta"]  # not the bot's, not the note
    # A poll without a cursor marks nothing: asked again, the same reply is still waiting.
    again = await (await client.get("/webhooks/rest/messages", params={"sender": "web-10-5f3c9d27e1"})).json()
    assert [m["text"] for m in again["messages"]] == ["Hola, soy Marta"]
    async with sessions() as session:
        statuses = await session.scalars(
            select(Message.delivery_status).where(Message.author == "staff", ~Message.internal)
        )
        assert set(statuses) == {"pending"}
    async with sessions() as session, session.begin():
        await message_rows.add_message(session, author="system", text="Tu caso avanzó", **common)
    later = await client.get(
        "/webhooks/rest/messages", params={"sender": "web-10-5f3c9d27e1", "after": first["cursor"]}
    )
    assert [m["text"] for m in (await later.json())["messages"]] == ["Tu caso avanzó"]
    # The cursor said the page has Marta's reply: now it is delivered, and a fresh page is not shown it.
    fresh = await (await client.get("/webhooks/rest/messages", params={"sender": "web-10-5f3c9d27e1"})).json()
    assert fresh["messages"] == []
    for params in ({"sender": "web 10"}, {"sender": "web-10-5f3c9d27e1", "after": "-1"}, {}):
        assert (await client.get("/webhooks/rest/messages", params=params)).status == 400
