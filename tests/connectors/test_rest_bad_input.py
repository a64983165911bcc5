"""Bad input on the web chat gets a 4xx and loses nothing; 503 only when the database is really down
(issue 12, findings 7 and 8). Each test sends what the audit sent."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Message
from tests.connectors.conftest import Client
from tests.connectors.test_rest import count, send


async def test_a_json_integer_of_five_thousand_digits_is_bad_json_not_a_500(service: Client) -> None:
    body = '{"sender": "web-big-5f3c9d27e1", "message": "hola", "n": ' + "9" * 5000 + "}"
    response = await service.post(
        "/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400 and (await response.json())["error"] == "bad_json"


async def test_a_superscript_cursor_is_a_400(service: Client) -> None:
    response = await service.get(
        "/webhooks/rest/messages", params={"sender": "web-cursor-5f3c9d27e1", "after": "²"}
    )
    assert response.status == 400


async def test_an_upload_without_a_multipart_boundary_is_a_400(service: Client) -> None:
    for content_type in ("multipart/form-data", "multipart/form-data; boundary="):
        response = await service.post(
            "/webchat/upload?sender=web-boundary-5f3c9d27e1",
            data=b"--x\r\n\r\n",
            headers={"Content-Type": content_type},
        )
        assert response.status == 400, (content_type, response.status, await response.text())


async def test_the_longest_sender_and_message_id_are_stored_once_not_503_forever(
    service: Client,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    sender, message_id = (
        "web-0123456789" + "w" * 114,
        "m" * 100,
    )  # each at its own limit; together longer than the column
    for _ in range(2):  # the retry of the same message is recognised, not stored twice
        status, replies = await send(
            service, {"sender": sender, "message": "hola", "metadata": {"message_id": message_id}}
        )
        assert status == 200 and replies
    async with sessions() as session:
        stored = (
            await session.scalars(select(Message).where(Message.address == sender, Message.direction == "in"))
        ).all()
    assert len(stored) == 1


async def test_a_lone_surrogate_and_a_nul_are_cleaned_not_503(
    service: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    raw = json.dumps(
        {
            "sender": "web-odd-5f3c9d27e1",
            "message": "hay un bache \ud800 en la calle 5\u0000",
            "metadata": {"x": "\ud800\u0000"},
        }
    )
    response = await service.post(
        "/webhooks/rest/webhook", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status == 200, await response.text()
    assert await count(sessions, Message) >= 2
