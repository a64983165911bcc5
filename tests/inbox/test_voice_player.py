"""An agent plays a citizen's voice note in the conversation, and can download it (issue 18)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.messages import Attachment, InboundMessage
from storage.models import Conversation, Message
from tests.inbox.conftest import Client, Staff
from tests.support.conversation import Citizen

NOTE = "/media/3f9a5f3c9d27e1b0c4a6e8d2f1b3c5a7.webm"
TELEGRAM_NOTE = "/media/0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f.ogg"


async def test_a_voice_note_plays_in_the_timeline_with_a_download_link(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    web = citizen("web-ana-5f3c9d27e1")
    await web.send(
        InboundMessage("rest", web.address, "v-1", attachments=(Attachment(NOTE, "audio/webm", "voice"),))
    )
    await web.send(
        InboundMessage(
            "rest",
            web.address,
            "v-2",
            # A note whose address is not ours, and one that would run a script: neither is played.
            attachments=(
                Attachment("https://api.twilio.com/Media/ME1", "audio/ogg", "voice"),
                Attachment("javascript:alert(1)", "audio/webm", "voice"),
            ),
        )
    )
    await web.says("humano")
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None
    response = await agent.get(f"/inbox/conversations/{conversation.id}")
    page = await response.text()
    assert f'<audio controls preload="none" src="{NOTE}" aria-label="Nota de voz">' in page
    assert f'<a class="small" href="{NOTE}" download>Descargar la nota de voz</a>' in page
    assert page.count("<audio") == 1
    assert 'href="https://api.twilio.com/Media/ME1"' in page  # a provider's link, not played here
    assert "javascript:" not in page
    assert "media-src 'self'" in response.headers["Content-Security-Policy"]


async def test_the_player_speaks_the_agents_language(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    voice = (Attachment(TELEGRAM_NOTE, "audio/ogg", "voice"),)
    ana = citizen("5550001", "telegram")
    await ana.send(InboundMessage("telegram", ana.address, "t-1", attachments=voice))
    await ana.says("humano")
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None
    response = await agent.get(
        f"/inbox/conversations/{conversation.id}", headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    page = await response.text()
    assert f'src="{TELEGRAM_NOTE}" aria-label="Voice note"' in page and "Download the voice note" in page


async def test_an_agent_sees_which_message_a_note_became_and_one_not_made_out(
    client: Client, agent: Staff, citizen: Callable[..., Citizen], sessions: async_sessionmaker[AsyncSession]
) -> None:
    # What the voice worker hands the pipeline (bot/voice_notes.py): the transcript, or no words at all.
    ana = citizen("web-ana-77c1a9e2b4")
    await ana.send(
        InboundMessage("rest", ana.address, "v-1", attachments=(Attachment(NOTE, "audio/webm", "voice"),))
    )
    note_id = await _last_message_id(sessions)
    await ana.send(
        InboundMessage(
            "rest", ana.address, "v-1#heard", "hay un bache en la calle diez", transcribed_from=note_id
        )
    )
    await ana.send(InboundMessage("rest", ana.address, "v-2#heard", "", transcribed_from=note_id))
    await ana.says("humano")
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None
    page = await (await agent.get(f"/inbox/conversations/{conversation.id}")).text()
    assert page.count("Transcripción de la nota de voz anterior") == 1
    assert "hay un bache en la calle diez" in page
    assert "(nota de voz sin transcripción)" in page
    assert "plazo de conservación" not in page  # not mistaken for a message retention blanked


async def _last_message_id(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        found = await session.scalar(select(Message.id).order_by(Message.id.desc()).limit(1))
    assert found is not None
    return found
