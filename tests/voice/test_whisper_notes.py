"""Real voice notes, heard by the real Whisper: espeak-ng speech encoded as OGG/Opus, sent as Telegram and
WhatsApp send them, through the fakes of their APIs, the real app, the real built-in classifier."""

from __future__ import annotations

import asyncio
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
from bot.texts import text
from bot.voice import Whisper
from nlu.base import Classifier
from storage.models import Conversation, Direction
from tests.connectors.telegram.test_parser import load as telegram_update
from tests.connectors.twilio.conftest import load as load_twilio
from tests.support.channels import telegram_on, twilio_on
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_twilio import AUTH_TOKEN, FakeTwilio, post_signed
from tests.support.voice_clips import noise, ogg_opus, spoken, tone
from tests.voice.conftest import MAX_SECONDS, all_heard, conversation, heard_messages, voice_on

Client = TestClient[web.Request, web.Application]
Sessions = async_sessionmaker[AsyncSession]
SECRET = "s3cr3t-webhook_token"
PUBLIC_URL = "https://ventanilla.example.org"
POTHOLE = "hay un bache muy grande en la calle diez con carrera quince"


@pytest.fixture
async def telegram(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    builtin_classifier: Classifier,
    whisper: Whisper,
) -> tuple[Client, FakeTelegram]:
    fake = FakeTelegram()
    await fake.__aenter__()
    app = create_app(
        voice_on(telegram_on(settings, fake, secret=SECRET)),
        classifier=builtin_classifier,
        transcriber=whisper,
    )

    async def close_fake(_: web.Application) -> None:
        await fake.__aexit__(None, None, None)

    app.on_cleanup.append(close_fake)
    return await aiohttp_client(app), fake


def whatsapp_voice_note() -> dict[str, str]:
    """The recorded WhatsApp voice note, without the document that came with it."""
    form = load_twilio("inbound", "whatsapp_voice_and_document")
    for key in ("MediaUrl1", "MediaContentType1"):
        del form[key]
    return form | {"NumMedia": "1"}


async def send_telegram(client: Client, fake: FakeTelegram, audio: bytes, update_id: int = 700000107) -> Any:
    fake.add_file("AwACAgEAAxkBAAIBVoice4sec", audio, "voice/file_9.oga")
    update = telegram_update("vt_voice.json")
    update["update_id"] = update_id
    response = await client.post(
        "/webhooks/telegram",
        data=json.dumps(update),
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status == 200
    return await response.json()


async def sent_to_telegram(fake: FakeTelegram, fragment: str) -> list[str]:
    """What the outbox worker has sent, once `fragment` is among it (or after a while, without it)."""
    for _ in range(300):
        texts = [str(m.get("text", "")) for m in fake.sent()]
        if any(fragment in t for t in texts):
            break
        await asyncio.sleep(0.1)
    return texts


async def test_a_spanish_telegram_note_is_heard_and_starts_a_pothole_report_once(
    telegram: tuple[Client, FakeTelegram], sessions: Sessions
) -> None:
    client, fake = telegram
    note = ogg_opus(spoken(POTHOLE, "es"))
    assert await send_telegram(client, fake, note) == {"result": "stored"}
    await all_heard(sessions)
    assert await send_telegram(client, fake, note) == {"result": "duplicate"}  # Telegram delivers again
    messages = await conversation(sessions)
    [heard] = heard_messages(messages)  # one transcription, one turn
    assert "bache" in heard.text and "carrera quince" in heard.text
    replies = [m.text for m in messages if m.in_reply_to_id == heard.id]
    assert f"Escuché: «{heard.text}»" in replies
    async with sessions() as session:
        found = await session.scalar(select(Conversation))
    assert found is not None and found.state
    assert (found.state.get("flow"), found.state["slots"].get("service")) == ("report", "pothole")
    assert any("Escuché: «" in t for t in await sent_to_telegram(fake, "Escuché"))
    original = next(m for m in messages if m.id == heard.transcribed_from)
    assert original.attachments and original.attachments[0]["kind"] == "voice"  # a person can play it


async def test_an_english_note_is_answered_in_english(
    telegram: tuple[Client, FakeTelegram], sessions: Sessions
) -> None:
    client, fake = telegram
    said = "there is a big pothole on main street next to the school"
    await send_telegram(client, fake, ogg_opus(spoken(said, "en")))
    [note] = await all_heard(sessions)
    assert (note.outcome, note.language) == ("heard", "en")
    messages = await conversation(sessions)
    [heard] = heard_messages(messages)
    assert "pothole" in heard.text.lower() and heard.language == "en"
    assert any(m.text.startswith("I heard: “") for m in messages if m.in_reply_to_id == heard.id)


@pytest.mark.parametrize("sound", ["noise", "tone", "too long"])
async def test_what_cannot_be_heard_gets_the_fallback_and_a_person_offered(
    sound: str, telegram: tuple[Client, FakeTelegram], sessions: Sessions
) -> None:
    client, fake = telegram
    audio = {
        "noise": lambda: noise(5),
        "tone": lambda: tone(5),
        "too long": lambda: tone(MAX_SECONDS + 5),
    }[sound]()
    await send_telegram(client, fake, ogg_opus(audio))
    [note] = await all_heard(sessions)
    assert note.outcome == ("too_long" if sound == "too long" else "unclear")
    messages = await conversation(sessions)
    [unheard] = heard_messages(messages)
    assert unheard.text == ""
    [reply] = [m for m in messages if m.in_reply_to_id == unheard.id and "privacidad" not in m.text]
    assert reply.text == text("voice_unheard", "es") and reply.buttons
    assert reply.buttons[0]["payload"] == "/human_handoff"


async def test_a_whatsapp_voice_note_is_fetched_from_twilio_and_heard(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    builtin_classifier: Classifier,
    whisper: Whisper,
    sessions: Sessions,
) -> None:
    async with FakeTwilio() as fake:
        on = twilio_on(
            settings, fake, public_url=PUBLIC_URL, sms_from="+15017122661", whatsapp_from="+14155238886"
        )
        client = await aiohttp_client(
            create_app(voice_on(on), classifier=builtin_classifier, transcriber=whisper)
        )
        form = whatsapp_voice_note()
        fake.add_media(form["MediaUrl0"], ogg_opus(spoken(POTHOLE, "es")), "audio/ogg")
        response = await post_signed(
            client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
        )
        assert response.status == 200
        await all_heard(sessions)
        messages = await conversation(sessions)
        [heard] = heard_messages(messages)
        assert heard.channel == "whatsapp" and "bache" in heard.text
        replies = [m for m in messages if m.in_reply_to_id == heard.id and m.direction == Direction.OUT]
        assert replies[0].text.startswith("Escuché: «") or replies[1].text.startswith("Escuché: «")
        for _ in range(300):  # the replies leave from the number the citizen wrote to
            if any("Escuché" in m["body"] for m in fake.sent_to("whatsapp:+573001234567")):
                break
            await asyncio.sleep(0.1)
        sent = [m for m in fake.sent_to("whatsapp:+573001234567") if "Escuché" in m["body"]]
        assert sent and sent[0]["from"] == "whatsapp:+14155238886"
