"""A spoken answer to a voice note (issue 19): real espeak-ng and PyAV make it, the real app sends it after
the text through the Telegram and Twilio fakes or the web chat's poll; only when the city turned it on,
the citizen finds the chat hard, a note brought the message and the channel plays audio. A scripted
transcriber stands in for Whisper (what is heard is not the point here)."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import av
import pytest
from aiohttp import FormData, web
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import erasure, voice_speech
from bot.app import create_app
from bot.appkeys import MEDIA, SETTINGS
from bot.data_export import zip_of
from bot.history import Outcome
from bot.messages import Button, InboundMessage, OutboundMessage
from bot.settings import Settings
from bot.texts import text
from bot.voice_reply import Speaker, to_speak
from storage import preferential
from storage.models import Citizen, Direction, Message, utcnow
from tests.connectors.telegram.test_parser import load as telegram_update
from tests.connectors.twilio.conftest import load as load_twilio
from tests.support.channels import telegram_on, twilio_on
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_twilio import AUTH_TOKEN, FakeTwilio, post_signed
from tests.support.scripted import dialogue_rules
from tests.support.scripted_voice import ScriptedTranscriber
from tests.support.voice_clips import ogg_opus, spoken
from tests.voice.conftest import all_heard, conversation, heard_messages

Client = TestClient[web.Request, web.Application]
Sessions = async_sessionmaker[AsyncSession]
SECRET = "s3cr3t-webhook_token"
PUBLIC_URL = "https://ventanilla.example.org"
WEB_CHAT = "web-8c2f4a9e1d7b3c5a6e0f"
SAID = "hay un bache muy grande frente a mi casa"
MAX_SECONDS = 22.0  # MAX_CHARACTERS at SPEED is about 20 s; a note longer than this was not capped


@dataclass
class Town:
    """The whole app with Telegram, WhatsApp and the web chat on, each provider a local fake."""

    client: Client
    telegram: FakeTelegram
    twilio: FakeTwilio
    transcriber: ScriptedTranscriber
    sessions: Sessions

    async def telegram_says(self, text: str | None, update_id: int) -> None:
        """A Telegram message of the recorded chat: typed, or (None) a voice note."""
        update = telegram_update("vt_voice.json")
        update["update_id"] = update_id
        update["message"]["message_id"] = update_id
        if text is not None:
            del update["message"]["voice"]
            update["message"]["text"] = text
        else:
            self.telegram.add_file("AwACAgEAAxkBAAIBVoice4sec", ogg_opus(spoken("hola")), "voice/file_9.oga")
        response = await self.client.post(
            "/webhooks/telegram",
            data=json.dumps(update),
            headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status == 200

    async def whatsapp_says(self, text: str | None, sid: str) -> None:
        form = load_twilio("inbound", "whatsapp_voice_and_document")
        for key in ("MediaUrl1", "MediaContentType1"):
            del form[key]
        form = form | {"MessageSid": sid, "SmsMessageSid": sid, "NumMedia": "1"}
        if text is not None:
            form = {k: v for k, v in form.items() if not k.startswith("Media")} | {
                "Body": text,
                "NumMedia": "0",
            }
        else:
            self.twilio.add_media(form["MediaUrl0"], ogg_opus(spoken("hola")), "audio/ogg")
        response = await post_signed(
            self.client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
        )
        assert response.status == 200

    async def web_chat_says(self, text: str | None) -> None:
        metadata: dict[str, Any] = {}
        if text is None:
            form = FormData()
            form.add_field("voice", ogg_opus(spoken("hola")), filename="nota.ogg", content_type="audio/ogg")
            uploaded = await self.client.post(f"/webchat/upload?sender={WEB_CHAT}", data=form)
            assert uploaded.status == 201, await uploaded.text()
            metadata = {"attachments": [await uploaded.json()]}
        body = {"sender": WEB_CHAT, "message": text or "", "metadata": metadata}
        response = await self.client.post(
            "/webhooks/rest/webhook", data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        assert response.status == 200

    async def make_plain(self) -> None:
        """The one citizen gets preferential attention, as the bot records it after their yes."""
        async with self.sessions() as session, session.begin():
            citizen = (await session.scalars(select(Citizen))).one()
            await preferential.grant(
                session, citizen, kind="elderly", words="tengo 82 años", channel="telegram"
            )

    async def plain_citizen_speaks_on_telegram(self, update_id: int) -> None:
        """A citizen writes, is given preferential attention, then sends a voice note (update_id + 1)."""
        await self.telegram_says("hola", update_id)
        await self.make_plain()
        self.transcriber.will_hear(SAID)
        await self.telegram_says(None, update_id + 1)

    async def spoken_replies(self) -> list[Message]:
        """The bot's replies that carry audio, once the note's turn is over."""
        await all_heard(self.sessions)
        return [
            m for m in await conversation(self.sessions) if m.direction == Direction.OUT and m.attachments
        ]

    async def audio_at(self, url: str) -> bytes:
        assert url.startswith(f"{PUBLIC_URL}/media/") or url.startswith("/media/"), url
        served = await self.client.get(url.removeprefix(PUBLIC_URL))
        assert served.status == 200 and served.content_type == "audio/ogg"
        return await served.read()


def aloud(settings: Settings, *, reply_aloud: bool = True) -> Settings:
    return settings.model_copy(
        update={"voice": settings.voice.model_copy(update={"enabled": True, "reply_aloud": reply_aloud})}
    )


async def build_town(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]], settings: Settings, sessions: Sessions
) -> AsyncIterator[Town]:
    async with FakeTelegram() as telegram, FakeTwilio() as twilio:
        on = telegram_on(settings, telegram, secret=SECRET)
        on = twilio_on(
            on, twilio, public_url=PUBLIC_URL, sms_from="+15017122661", whatsapp_from="+14155238886"
        )
        transcriber = ScriptedTranscriber()
        app = create_app(on, classifier=dialogue_rules(), transcriber=transcriber)
        yield Town(await aiohttp_client(app), telegram, twilio, transcriber, sessions)


@pytest.fixture
async def town(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]], settings: Settings, sessions: Sessions
) -> AsyncIterator[Town]:
    async for built in build_town(aiohttp_client, aloud(settings), sessions):
        yield built


@pytest.fixture
async def quiet_town(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]], settings: Settings, sessions: Sessions
) -> AsyncIterator[Town]:
    """The city did not turn spoken answers on (the default)."""
    async for built in build_town(aiohttp_client, aloud(settings, reply_aloud=False), sessions):
        yield built


def check_voice_note(data: bytes) -> float:
    """What a phone needs of a voice note: Ogg, Opus, a length; the length in seconds."""
    with av.open(io.BytesIO(data), mode="r") as container:
        [stream] = container.streams.audio
        assert container.format.name == "ogg" and stream.codec_context.name == "opus"
        assert container.duration is not None
        seconds = container.duration / av.time_base
    assert 0.5 < seconds < MAX_SECONDS
    return seconds


async def until(found: Callable[[], list[Any]], what: str) -> list[Any]:
    """Wait for the outbox worker (at most 30 s: a guard against a hang)."""
    for _ in range(300):
        if got := found():
            return got
        await asyncio.sleep(0.1)
    raise AssertionError(f"never sent: {what}")


async def test_a_preferential_citizens_telegram_note_is_answered_in_text_then_aloud(town: Town) -> None:
    await town.plain_citizen_speaks_on_telegram(700000201)
    [reply] = await town.spoken_replies()
    assert reply.text == "" and reply.attachments is not None
    assert reply.attachments[0]["kind"] == "voice" and reply.attachments[0]["content_type"] == "audio/ogg"
    [heard] = heard_messages(await conversation(town.sessions))
    assert reply.in_reply_to_id == heard.id
    [voice] = await until(lambda: town.telegram.sent("sendVoice"), "a Telegram voice note")
    assert str(voice["chat_id"]) == "987654321"
    # Uploaded (Telegram needs no way to us: polling works too), the bytes the city keeps for the inbox.
    assert voice["voice"] == await town.audio_at(reply.attachments[0]["url"])
    check_voice_note(voice["voice"])
    # The text came first: every text reply to the note was sent before the voice note.
    calls = [c.method for c in town.telegram.calls if c.method in ("sendMessage", "sendVoice")]
    assert "sendMessage" in calls and calls[-1] == "sendVoice"
    assert any("Escuché" in str(m.get("text")) for m in town.telegram.sent())
    # Its address is not guessable, and a wrong one is simply not there.
    name = reply.attachments[0]["url"].rsplit("/", 1)[1]
    assert len(name.removesuffix(".ogg")) == 32
    assert (await town.client.get(f"/media/{'0' * 32}.ogg")).status == 404
    assert (await town.client.get(f"/media/{name[:-5]}x.ogg")).status == 404


async def test_a_whatsapp_note_gets_a_voice_note_twilio_fetches_from_the_public_url(town: Town) -> None:
    await town.whatsapp_says("hola", "SM" + "1" * 32)
    await town.make_plain()
    town.transcriber.will_hear(SAID)
    await town.whatsapp_says(None, "SM" + "2" * 32)
    [reply] = await town.spoken_replies()
    to = "whatsapp:+573001234567"

    def with_media() -> list[Any]:
        return [r for r in town.twilio.requests if r.to == to and "MediaUrl" in r.form]

    [sent] = await until(with_media, "a WhatsApp voice note")
    [url] = sent.form.getall("MediaUrl")
    assert url == PUBLIC_URL + reply.attachments[0]["url"]  # type: ignore[index]
    assert sent.from_ == "whatsapp:+14155238886"  # from the number the citizen wrote to
    check_voice_note(await town.audio_at(url))
    texts = [r for r in town.twilio.requests if r.to == to and "Escuché" in r.body]
    assert texts and town.twilio.requests.index(texts[0]) < town.twilio.requests.index(sent)


async def test_the_web_chat_poll_brings_the_spoken_answer_after_the_text(town: Town) -> None:
    await town.web_chat_says("hola")
    await town.make_plain()
    town.transcriber.will_hear(SAID)
    await town.web_chat_says(None)
    [reply] = await town.spoken_replies()
    polled = await (await town.client.get("/webhooks/rest/messages", params={"sender": WEB_CHAT})).json()
    messages = polled["messages"]
    assert "Escuché" in messages[0]["text"] and "audio" not in messages[0]
    assert messages[-1]["audio"] == reply.attachments[0]["url"] and messages[-1]["text"] == ""  # type: ignore[index]
    check_voice_note(await town.audio_at(messages[-1]["audio"]))


async def test_plain_language_asked_for_is_enough(town: Town) -> None:
    await town.telegram_says("hola", 700000211)
    async with town.sessions() as session, session.begin():
        (await session.scalars(select(Citizen))).one().plain_language = True
    town.transcriber.will_hear(SAID)
    await town.telegram_says(None, 700000212)
    assert len(await town.spoken_replies()) == 1


async def test_not_turned_on_text_only(quiet_town: Town) -> None:
    await quiet_town.plain_citizen_speaks_on_telegram(700000221)
    assert await quiet_town.spoken_replies() == []
    await until(
        lambda: [m for m in quiet_town.telegram.sent() if "Escuché" in str(m.get("text"))], "the text"
    )
    assert quiet_town.telegram.sent("sendVoice") == []


async def test_an_ordinary_citizen_gets_text_only(town: Town) -> None:
    await town.telegram_says("hola", 700000231)
    town.transcriber.will_hear(SAID)
    await town.telegram_says(None, 700000232)
    assert await town.spoken_replies() == []


async def test_a_typed_message_gets_text_only(town: Town) -> None:
    await town.telegram_says("hola", 700000241)
    await town.make_plain()
    await town.telegram_says(SAID, 700000242)
    await until(lambda: [m for m in town.telegram.sent() if "bache" in str(m.get("text")).casefold()], "text")
    assert [
        m for m in await conversation(town.sessions) if m.attachments and m.direction == Direction.OUT
    ] == []
    assert town.telegram.sent("sendVoice") == []


async def test_without_espeak_ng_text_only_and_no_error(
    town: Town, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # As on a machine where espeak-ng was never installed (the module looks it up on PATH by this name).
    monkeypatch.setattr(voice_speech, "ESPEAK", "espeak-ng-never-installed")
    assert not voice_speech.available()
    await town.plain_citizen_speaks_on_telegram(700000251)
    assert await town.spoken_replies() == []
    await until(lambda: [m for m in town.telegram.sent() if "Escuché" in str(m.get("text"))], "the text")
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


async def test_an_erased_citizens_spoken_answers_are_gone(town: Town) -> None:
    await town.plain_citizen_speaks_on_telegram(700000261)
    [reply] = await town.spoken_replies()
    url = reply.attachments[0]["url"]  # type: ignore[index]
    assert (await town.client.get(url)).status == 200
    app = town.client.app
    async with town.sessions() as session, session.begin():
        erased = await erasure.erase_citizen(session, app[SETTINGS], reply.citizen_id, by="citizen")
    await erasure.delete_media(app[MEDIA], erased.media)
    assert (await town.client.get(url)).status == 404


async def test_a_spoken_answer_is_in_the_citizens_data_export(town: Town) -> None:
    """Their words read back to them are theirs to take: the zip holds the audio the bot sent."""
    await town.plain_citizen_speaks_on_telegram(700000271)
    [reply] = await town.spoken_replies()
    url = reply.attachments[0]["url"]  # type: ignore[index]
    audio = await (await town.client.get(url)).read()
    app = town.client.app
    async with town.sessions() as session:
        exported = await zip_of(session, app[MEDIA], app[SETTINGS], reply.citizen_id, now=utcnow())
    assert exported is not None
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        assert [
            archive.read(n) for n in archive.namelist() if n == f"fotos/{url.removeprefix('/media/')}"
        ] == [audio]
        assert "respuestas en voz" in archive.read("LEEME.txt").decode()


def reply(words: str, *buttons: str, language: str = "es") -> OutboundMessage:
    return OutboundMessage("telegram", "1", words, tuple(Button(b, b) for b in buttons), language)


def test_what_is_said_aloud_is_the_answer_with_its_choices_not_the_echo() -> None:
    said = to_speak(
        [
            reply(text("voice_heard", "es", heard=SAID)),
            reply("📍 ¿Dónde está? Dime la dirección.", "Omitir", "Cancelar"),
        ]
    )
    assert said == "¿Dónde está? Dime la dirección. Omitir, Cancelar."
    english = to_speak([reply(text("voice_heard", "en", heard="a pothole"), language="en"), reply("Thanks.")])
    assert english == "Thanks."


def test_a_long_answer_is_cut_at_the_end_of_a_sentence() -> None:
    sentence = "Registramos tu caso K7M-4QP y te avisaremos cuando cambie. "
    said = voice_speech.shortened(sentence * 10)
    assert len(said) <= voice_speech.MAX_CHARACTERS and said.endswith("cambie.")
    assert check_voice_note(voice_speech.speak(said, "es")) > 10  # the longest note: under MAX_SECONDS
    assert said.count("K7M-4QP") == voice_speech.MAX_CHARACTERS // len(sentence)
    unbroken = voice_speech.shortened("palabra " * 100)
    assert len(unbroken) <= voice_speech.MAX_CHARACTERS + 1 and unbroken.endswith("palabra.")


@pytest.mark.parametrize(
    ("channel", "plays"),
    [("telegram", True), ("whatsapp", True), ("rest", True), ("sms", False), ("email", False)],
)
def test_only_channels_that_play_audio_get_a_spoken_answer(
    settings: Settings, channel: str, plays: bool
) -> None:
    speaker = Speaker(aloud(settings), None, None)  # type: ignore[arg-type]
    heard = InboundMessage(channel=channel, address="1", provider_message_id="n#heard", transcribed_from=1)
    outcome = Outcome(replies=(reply("Listo."),), message_id=2)
    assert speaker.may_speak(heard, outcome) is plays
    assert not speaker.may_speak(heard, replace(outcome, duplicate=True))  # a replay says nothing new
