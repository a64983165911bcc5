"""The conversation page: one timeline across channels, replies that reach the citizen, internal notes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.messages import Location
from storage.models import ChannelIdentity, Conversation, FirstResponse, Message, OutboxItem, utcnow
from tests.inbox.conftest import CHAT_ID, Client, Staff, arrives, conversation_of, telegram_says, web_chat
from tests.support.conversation import Citizen
from tests.support.fake_telegram import FakeTelegram


async def test_a_reply_to_the_web_chat_is_stored_for_it(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await web_chat(client, "web-ana-5f3c9d27e1", "humano")
    conversation = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    here = f"/inbox/conversations/{conversation.id}"
    page = await agent.page(here)
    assert "Responder por Web" in page and "Respuestas rápidas" in page
    assert "te atiende una persona del equipo" in page  # a canned answer in the citizen's language
    response = await agent.post(f"{here}/reply", {"text": "Hola, soy Ana. ¿En qué te ayudo?"})
    assert response.status == 303 and response.headers["Location"] == f"{here}?done=sent"
    async with sessions() as session:
        reply = await session.scalar(select(Message).where(Message.author == "staff"))
        answered = await session.scalar(select(FirstResponse))
        outbox = await session.scalar(select(func.count()).select_from(OutboxItem))
    assert reply is not None and reply.delivery_status == "pending" and reply.staff_id is not None
    assert reply.channel == "rest" and reply.address == "web-ana-5f3c9d27e1" and outbox == 0
    assert answered is not None and answered.waiting_since == conversation.waiting_since
    claimed = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert claimed.holder == "staff" and claimed.first_response_at is not None
    page = await agent.page(here)
    assert "Hola, soy Ana." in page and "pendiente" in page
    assert (await agent.post(f"{here}/reply", {"text": "   "})).headers["Location"].endswith("done=empty")


async def test_a_reply_reaches_the_citizen_on_telegram_and_a_note_never_does(
    telegram_client: Client,
    telegram: FakeTelegram,
    browser: Callable[[], Staff],
    add_staff: Callable[..., Awaitable[int]],
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await telegram_says(telegram_client, "humano")
    assert "Te paso con una persona" in (await arrives(telegram, 2))[-1]  # after the privacy notice
    await add_staff("ana")
    ana = Staff(telegram_client.make_url("/"))
    try:
        await ana.log_in("ana")
        async with sessions() as session:
            conversation = await session.scalar(select(Conversation))
        assert conversation is not None and conversation.last_channel == "telegram"
        here = f"/inbox/conversations/{conversation.id}"
        assert "Telegram" in await ana.page(here)
        await ana.post(f"{here}/note", {"text": "Vecina conocida; llamar a la JAC si no responde"})
        await ana.post(f"{here}/reply", {"text": "Hola Ana, te escribe Ana de la alcaldía."})
        sent = await arrives(telegram, 3)
        assert sent == [sent[0], sent[1], "Hola Ana, te escribe Ana de la alcaldía."]
        assert telegram.sent()[2]["chat_id"] in (CHAT_ID, str(CHAT_ID))
        async with sessions() as session:
            note = await session.scalar(select(Message).where(Message.internal.is_(True)))
            queued = (await session.scalars(select(OutboxItem.message_id))).all()
        assert note is not None and note.id not in queued and note.delivery_status is None
        page = await ana.page(here)
        assert "Nota interna" in page and "llamar a la JAC" in page
    finally:
        await ana.close()


async def test_whatsapp_window_warning_and_media_in_the_timeline(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    maria = citizen("+573001112233", "whatsapp")
    await maria.says("mira este bache", photo="/media/abc123.jpg", location=Location(4.6097, -74.0817))
    await maria.says(
        "y otra foto", photo="https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"
    )
    await maria.says("humano")
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None
    here = f"/inbox/conversations/{conversation.id}"
    page = await agent.page(here)
    assert "24 horas" not in page
    assert '<img class="photo" src="/media/abc123.jpg"' in page
    assert 'href="https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"' in page
    assert "https://www.openstreetmap.org/?mlat=4.609700&amp;mlon=-74.081700" in page
    assert "WhatsApp no está activo" in page  # Twilio is off in this test: the reply would wait
    async with sessions() as session, session.begin():
        await session.execute(update(ChannelIdentity).values(last_inbound_at=utcnow() - timedelta(hours=25)))
    assert "24 horas" in await agent.page(here)


async def test_the_timeline_joins_every_channel_and_case_events(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    web = citizen("web-7-5f3c9d27e1")
    await web.says("hay un bache enorme frente al colegio")
    await web.says("omitir")
    await web.says("omitir")
    await web.says("si")
    await web.says("humano")
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None
    fragment = await (await agent.get(f"/inbox/conversations/{conversation.id}/timeline")).text()
    assert (
        fragment.index("hay un bache enorme")
        < fragment.index('class="entry event"')
        < fragment.index("Te paso con una persona")
    )
    assert "<html" not in fragment and "Abierto" in fragment


def _kinds(page: str) -> list[str]:
    import re

    return re.findall(r'class="entry (\w+)"', page)


async def test_internal_notes_are_marked_and_audited(
    client: Client, agent: Staff, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await web_chat(client, "web-ana-5f3c9d27e1", "humano")
    conversation = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    here = f"/inbox/conversations/{conversation.id}"
    response = await agent.post(f"{here}/note", {"text": "revisar el caso anterior"})
    assert response.headers["Location"].endswith("done=noted")
    assert _kinds(await agent.page(here))[-1] == "note"
    held = await conversation_of(sessions, "web-ana-5f3c9d27e1")
    assert held.holder == "waiting"  # a note does not take the conversation
    async with sessions() as session:
        pending: Any = (await session.scalars(select(Message.delivery_status).where(Message.internal))).all()
    assert pending == [None]
