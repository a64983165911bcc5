"""The web chat's sender id is no longer the credential (issue 12, finding 6).

The audit read every staff reply with `GET /webhooks/rest/messages?sender=…&after=0`, listed a citizen's
open cases and wrote as them, knowing only the id; the server took any id, "1" included. Each test here
performs one of those attacks from a second client (its own cookies, or none) against a citizen who
chats from a browser, and checks what the citizen would notice: nothing read, nothing written, nothing
taken over. The honest shapes (the page, a widget sending a random UUID and keeping its cookies, a
client holding a token) keep working.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from connectors.rest.keys import COOKIE
from storage import citizens
from storage import messages as message_rows
from storage.models import ChannelIdentity, Citizen, Message, WebchatKey
from tests.connectors.conftest import Client

Sessions = async_sessionmaker[AsyncSession]
VICTIM = "web-3f9a0c6e2b7d41a8e5f1"  # the shape the page makes: "web-" and 20 hex digits


async def say(
    client: Client | aiohttp.ClientSession, url: str, sender: str, text: str, **headers: str
) -> Any:
    response = await client.post(
        url,
        data=json.dumps({"sender": sender, "message": text}),
        headers={"Content-Type": "application/json", **headers},
    )
    return response.status, await response.json()


@pytest.fixture
async def stranger(service: Client) -> AsyncIterator[aiohttp.ClientSession]:
    """Another browser: its own cookie jar, talking to the same service."""
    async with aiohttp.ClientSession(
        base_url=str(service.make_url("/")), cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as session:
        yield session


async def victim_with_a_staff_reply(service: Client, sessions: Sessions) -> int:
    """The citizen opens the page, writes, and a person from the city answers with her address."""
    assert (await service.get("/")).status == 200
    status, _ = await say(service, "/webhooks/rest/webhook", VICTIM, "quiero hablar con una persona")
    assert status == 200
    async with sessions() as session, session.begin():
        identity = await citizens.find_identity(session, "rest", VICTIM)
        assert identity is not None
        await message_rows.add_message(
            session,
            citizen_id=identity.citizen_id,
            direction="out",
            author="staff",
            channel="rest",
            address=VICTIM,
            text="Ana, vamos a tu casa en la calle 45 # 12-30, apto 501",
            delivery_status="pending",
        )
        return identity.citizen_id


async def test_the_page_hands_out_a_secret_only_the_browser_keeps(service: Client) -> None:
    page = await service.get("/")
    cookie = page.cookies[COOKIE]
    assert len(cookie.value) == 22  # 128 random bits
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"
    assert not cookie["secure"]  # plain http here; over https it is Secure (next test)
    again = await service.get("/")
    assert COOKIE not in again.cookies  # the browser keeps the one it has


async def test_behind_the_https_proxy_the_secret_is_secure(service: Client) -> None:
    page = await service.get("/", headers={"X-Forwarded-Proto": "https"})
    assert page.cookies[COOKIE]["secure"]


async def test_a_stranger_cannot_read_the_staff_replies(
    service: Client, sessions: Sessions, stranger: aiohttp.ClientSession
) -> None:
    await victim_with_a_staff_reply(service, sessions)
    for params in ({"sender": VICTIM, "after": "0"}, {"sender": VICTIM}):
        response = await stranger.get("/webhooks/rest/messages", params=params)
        body = await response.json()
        assert response.status == 403 and body["error"] == "not_your_chat"
        assert "apto 501" not in json.dumps(body)
    async with sessions() as session:
        status = await session.scalar(select(Message.delivery_status).where(Message.author == "staff"))
    assert status == "pending"  # the victim still gets it
    mine = await service.get("/webhooks/rest/messages", params={"sender": VICTIM})
    assert [m["text"] for m in (await mine.json())["messages"]] == [
        "Ana, vamos a tu casa en la calle 45 # 12-30, apto 501"
    ]


async def test_a_stranger_cannot_write_as_the_citizen_nor_list_her_cases(
    service: Client, sessions: Sessions, stranger: aiohttp.ClientSession
) -> None:
    await victim_with_a_staff_reply(service, sessions)
    async with sessions() as session:
        before = await session.scalar(select(func.count()).select_from(Message))
    for text in ("¿cómo va mi caso?", "hay un bache en la calle 1", "vincular"):
        status, body = await say(stranger, "/webhooks/rest/webhook", VICTIM, text)
        assert status == 403 and body["error"] == "not_your_chat"
    # Nor with a token of its own, nor with a forged cookie.
    token = (await (await stranger.post("/webchat/token")).json())["token"]
    status, _ = await say(stranger, "/webhooks/rest/webhook", VICTIM, "hola", Authorization=f"Bearer {token}")
    assert status == 403
    status, _ = await say(stranger, "/webhooks/rest/webhook", VICTIM, "hola", Cookie=f"{COOKIE}={'A' * 22}")
    assert status == 403
    async with sessions() as session:
        after = await session.scalar(select(func.count()).select_from(Message))
    assert after == before  # nothing was written into her history


@pytest.mark.parametrize("sender", ["1", "web-ana", "aaaaaaaaaaaaaaaaaaaaaaaa", "0000-0000-0000-0001"])
async def test_guessable_ids_are_refused_and_nothing_is_stored(
    service: Client, sessions: Sessions, sender: str
) -> None:
    status, body = await say(service, "/webhooks/rest/webhook", sender, "hola")
    assert status == 400 and body["error"] == "guessable_sender"
    assert "16" in body["message"]  # says how long an id must be
    poll = await service.get("/webhooks/rest/messages", params={"sender": sender})
    assert poll.status == 400
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Citizen)) == 0


async def test_a_widget_with_a_random_uuid_and_its_cookies_keeps_working(
    stranger: aiohttp.ClientSession, sessions: Sessions
) -> None:
    """Chat widgets written for Rasa's REST channel send a UUID and keep cookies: nothing else changes."""
    sender = str(uuid.uuid4())
    for text in ("hola", "hay un bache en la calle 10 # 4-20", "/skip"):
        status, replies = await say(stranger, "/webhooks/rest/webhook", sender, text)
        assert status == 200 and replies
    poll = await stranger.get("/webhooks/rest/messages", params={"sender": sender, "after": "0"})
    assert poll.status == 200
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(WebchatKey)) == 1


async def test_a_client_without_cookies_uses_a_token(service: Client) -> None:
    async with aiohttp.ClientSession(
        base_url=str(service.make_url("/")), cookie_jar=aiohttp.DummyCookieJar()
    ) as app:
        issued = await app.post("/webchat/token")
        assert issued.status == 201
        token = (await issued.json())["token"]
        sender = str(uuid.uuid4())
        for text in ("hola", "¿cómo va mi caso?"):
            status, _ = await say(
                app, "/webhooks/rest/webhook", sender, text, Authorization=f"Bearer {token}"
            )
            assert status == 200
        status, _ = await say(app, "/webhooks/rest/webhook", sender, "sin token")
        assert status == 403


async def test_an_id_from_before_the_secrets_belongs_to_the_first_browser_that_comes_back(
    service: Client, sessions: Sessions, stranger: aiohttp.ClientSession
) -> None:
    """Ids made before this change have no secret yet: the page that comes back binds its own."""
    async with sessions() as session, session.begin():
        await citizens.create_citizen_with_identity(session, "rest", VICTIM, language="es", display_name=None)
    assert (await service.get("/")).status == 200
    status, _ = await say(service, "/webhooks/rest/webhook", VICTIM, "hola de nuevo")
    assert status == 200
    status, _ = await say(stranger, "/webhooks/rest/webhook", VICTIM, "hola")
    assert status == 403


async def test_a_poll_for_an_id_nobody_used_reads_nothing_and_stores_nothing(
    stranger: aiohttp.ClientSession, sessions: Sessions
) -> None:
    response = await stranger.get("/webhooks/rest/messages", params={"sender": str(uuid.uuid4())})
    assert response.status == 200 and (await response.json())["messages"] == []
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(WebchatKey)) == 0
        assert await session.scalar(select(func.count()).select_from(ChannelIdentity)) == 0


async def test_two_browsers_racing_for_a_new_id_one_wins(
    service: Client, stranger: aiohttp.ClientSession
) -> None:
    sender = str(uuid.uuid4())
    assert (await service.get("/")).status == 200
    assert (await stranger.get("/")).status == 200
    results = await asyncio.gather(
        say(service, "/webhooks/rest/webhook", sender, "hola"),
        say(stranger, "/webhooks/rest/webhook", sender, "hola"),
    )
    assert sorted(status for status, _ in results) == [200, 403]


async def test_a_first_message_that_fails_still_hands_over_the_secret(service: Client) -> None:
    """The id is bound before the turn: a client must get the secret even if that answer is an error."""
    sender = str(uuid.uuid4())
    response = await service.post(
        "/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": "hola", "metadata": {"attachments": [
            {"url": "/media/" + "0" * 32 + ".jpg", "content_type": "image/jpeg"}
        ]}}),
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status == 400 and COOKIE in response.cookies
    status, _ = await say(service, "/webhooks/rest/webhook", sender, "hola")
    assert status == 200
