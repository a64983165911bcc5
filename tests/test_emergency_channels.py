"""An emergency on web chat, Telegram and SMS: the city's number from the settings at once, a person
offered, never a report, and the emergency counted per channel in /metrics.

Telegram and SMS go through the real python-telegram-bot and twilio clients against the local fakes; the
replies are read where a citizen would see them (the fake Bot API, the fake Twilio REST API).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from bot.settings_loading import DEFAULT_CONFIG, load_settings
from nlu.base import Classifier
from storage.models import Case, Conversation, Direction, Holder, Message
from tests.support.channels import telegram_on, twilio_on
from tests.support.fake_telegram import BOT_USER, FakeTelegram
from tests.support.fake_twilio import FakeTwilio
from tests.support.scripted import ScriptedClassifier
from tests.test_cross_channel import (
    OUR_SMS,
    OUR_WHATSAPP,
    PHONE,
    PUBLIC_URL,
    SECRET,
    Client,
    arrives,
    telegram_sends,
    twilio_says,
)

Sessions = async_sessionmaker[AsyncSession]
CHANNELS = ("rest", "telegram", "sms")
FIRE = "hay un incendio en el edificio, ayuda"
# Numbers and words no city uses by default: seen in a reply, they can only have come from the settings.
OTHER_NUMBERS = ["112", "911"]
OTHER_TEXT = {
    "es": "EMERGENCIA: marca ya el {numbers}, no esperes a que te respondamos.",
    "en": "EMERGENCY: dial {numbers} right now, do not wait for us to answer.",
}
OFFER = {"es": "¿Quieres que también te atienda una persona del equipo?",
         "en": "Would you also like a person on our team to help you?"}  # fmt: skip
_ids = itertools.count(1)
PERSON_BUTTON = {"es": "Hablar con una persona", "en": "Talk to a person"}


def config_path() -> Path:
    """The config file the shared `settings` fixture reads (tests/conftest.py)."""
    return Path(os.environ.get("VENTANILLA_CONFIG", DEFAULT_CONFIG))


@pytest.fixture(params=["config_yml", "other_numbers"])
def settings(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Settings:
    """As tests/conftest.py's, once with config.yml as it is, once with a copy whose city.emergency has
    other numbers and another text, loaded by the same loader."""
    overrides = {
        "database.url": database_url,
        "media.dir": str(tmp_path / "media"),
        "nlu.model_dir": str(tmp_path),
    }
    if request.param == "config_yml":
        return load_settings(None, None, **overrides)
    raw = yaml.safe_load(config_path().read_text(encoding="utf-8"))
    raw["city"]["emergency"] = {"numbers": OTHER_NUMBERS, "text": OTHER_TEXT}
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load_settings(path, None, **overrides)


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTwilio, FakeTelegram]]:
    async with FakeTwilio() as twilio, FakeTelegram() as telegram:
        yield twilio, telegram


@dataclass
class Reply:
    text: str
    buttons: list[tuple[str, str]]  # (title, payload); SMS has none: it numbers the options in the text


@dataclass
class Channel:
    """One citizen on one channel of an app with SMS and Telegram on, reading replies where they land."""

    name: str
    client: Client
    twilio: FakeTwilio
    telegram: FakeTelegram
    _web_replies: list[Reply]

    async def says(self, text: str) -> None:
        if self.name == "rest":
            response = await self.client.post(
                "/webhooks/rest/webhook", json={"sender": "web-ana-5f3c9d27e1", "message": text}
            )
            assert response.status == 200, await response.text()
            for reply in await response.json():
                buttons = [(b["title"], b["payload"]) for b in reply.get("buttons", [])]
                self._web_replies.append(Reply(reply["text"], buttons))
        elif self.name == "telegram":
            await telegram_sends(self.client, {"text": text})
        else:
            await twilio_says(self.client, PHONE, OUR_SMS, text)

    async def presses(self, title: str) -> None:
        """Choose an option of the last reply as the channel lets a citizen: a web chat button sends its
        payload, a Telegram inline button a callback query, and on SMS the citizen types its number."""
        last = self._replies()[-1]
        if self.name == "sms":
            numbered = re.search(rf"^(\d+)\. {re.escape(title)}$", last.text, re.MULTILINE)
            assert numbered is not None, last.text
            await self.says(numbered[1])
            return
        payload = dict(last.buttons)[title]
        if self.name == "rest":
            await self.says(payload)
            return
        user = {"id": 987654321, "is_bot": False, "first_name": "Ana"}
        update = {"update_id": 810000000 + next(_ids),
                  "callback_query": {"id": f"cb{next(_ids)}", "from": user, "chat_instance": "-739489",
                                     "message": {"message_id": 5001, "from": BOT_USER, "date": 1763800000,
                                                 "chat": {**user, "type": "private"}, "text": last.text},
                                     "data": payload}}  # fmt: skip
        response = await self.client.post(
            "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        assert response.status == 200, await response.text()

    def _replies(self) -> list[Reply]:
        if self.name == "rest":
            return list(self._web_replies)
        if self.name == "telegram":
            return [Reply(str(m["text"]), _inline_buttons(m)) for m in self.telegram.sent()]
        return [Reply(m["body"], []) for m in self.twilio.sent_to(PHONE)]

    async def replies(self, count: int) -> list[Reply]:
        """Every reply so far, once at least `count` have arrived (the outbox sends Telegram and SMS)."""
        await arrives(lambda: [r.text for r in self._replies()], count)
        return self._replies()


def _inline_buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(button["text"], button["callback_data"]) for row in rows for button in row]


@pytest.fixture
def open_channel(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    fakes: tuple[FakeTwilio, FakeTelegram],
) -> Callable[[str, Classifier], Awaitable[Channel]]:
    """`await open_channel("sms", classifier)`: the whole app, every channel on, talking to the fakes."""
    twilio, telegram = fakes
    sms_on = twilio_on(settings, twilio, public_url=PUBLIC_URL, sms_from=OUR_SMS, whatsapp_from=OUR_WHATSAPP)
    all_on = telegram_on(sms_on, telegram, secret=SECRET)

    async def open_(name: str, classifier: Classifier) -> Channel:
        client = await aiohttp_client(create_app(all_on, classifier=classifier))
        return Channel(name, client, twilio, telegram, [])

    return open_


async def emergencies_counted(client: Client) -> dict[str, float]:
    """ventanilla_emergencies_total per channel, as GET /metrics shows it (0 for a channel not seen)."""
    response = await client.get("/metrics")
    assert response.status == 200
    counted = dict.fromkeys(CHANNELS, 0.0)
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            if sample.name == "ventanilla_emergencies_total":
                counted[sample.labels["channel"]] = sample.value
    return counted


async def the_conversation(sessions: Sessions) -> Conversation:
    async with sessions() as session:
        conversations = list(await session.scalars(select(Conversation)))
    assert len(conversations) == 1, conversations
    return conversations[0]


async def cases_filed(sessions: Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Case)) or 0)


async def last_inbound_intent(sessions: Sessions) -> str | None:
    async with sessions() as session:
        query = select(Message.intent).where(Message.direction == Direction.IN).order_by(Message.id.desc())
        return await session.scalar(query.limit(1))


def expected_numbers(settings: Settings) -> tuple[str, list[str]]:
    """The numbers as the reply writes them, and numbers that must not be in it."""
    numbers = settings.city.emergency.numbers
    if numbers == OTHER_NUMBERS:
        return "112 / 911", ["123"]
    assert numbers == ["123"], "config.yml's emergency numbers changed: update this test"
    return "123", ["112", "911"]


def assert_emergency_answer(replies: list[Reply], settings: Settings, channel: str, language: str) -> None:
    """The number first, before anything else; then the offer of a person, with a button for it."""
    assert len(replies) == 2, [r.text for r in replies]
    number, not_there = expected_numbers(settings)
    answer, offer = replies
    assert answer.text == settings.city.emergency.say(language)
    assert number in answer.text and not any(n in answer.text for n in not_there)
    if settings.city.emergency.numbers == OTHER_NUMBERS:
        assert answer.text.startswith(OTHER_TEXT[language].split("{")[0])  # the text is the config's too
    assert offer.text.startswith(OFFER[language])
    if channel == "sms":  # no buttons on SMS: the options are numbered in the text
        assert f"1. {PERSON_BUTTON[language]}" in offer.text
    else:
        assert (PERSON_BUTTON[language], "/human_handoff") in offer.buttons


async def assert_no_report(sessions: Sessions) -> None:
    conversation = await the_conversation(sessions)
    state = conversation.state or {}
    assert state.get("flow") is None and state.get("step") is None, state
    assert state.get("emergency") is True and state.get("offered_person") is True
    assert conversation.holder == Holder.BOT  # a person is offered, not forced
    assert await cases_filed(sessions) == 0


@pytest.mark.parametrize("channel", CHANNELS)
async def test_an_emergency_gets_the_configured_number_at_once_and_no_report(
    open_channel: Callable[[str, Classifier], Awaitable[Channel]],
    builtin_classifier: Classifier,
    settings: Settings,
    sessions: Sessions,
    channel: str,
) -> None:
    citizen = await open_channel(channel, builtin_classifier)
    before = await emergencies_counted(citizen.client)

    await citizen.says(FIRE)

    assert_emergency_answer(await citizen.replies(2), settings, channel, "es")
    await assert_no_report(sessions)
    assert await last_inbound_intent(sessions) == "emergency"
    after = await emergencies_counted(citizen.client)
    assert after[channel] == before[channel] + 1
    assert {c: after[c] for c in CHANNELS if c != channel} == {c: before[c] for c in CHANNELS if c != channel}


@pytest.mark.parametrize("channel", CHANNELS)
async def test_gas_is_an_emergency_without_a_model(
    open_channel: Callable[[str, Classifier], Awaitable[Channel]],
    scripted: ScriptedClassifier,
    settings: Settings,
    sessions: Sessions,
    channel: str,
) -> None:
    # The scripted classifier reads "huele a gas" as an unsure pothole report: only the phrase list
    # (bot/danger_words.py EMERGENCY_PHRASES) can make it an emergency.
    citizen = await open_channel(channel, scripted)
    before = await emergencies_counted(citizen.client)

    await citizen.says("huele a gas")

    assert_emergency_answer(await citizen.replies(2), settings, channel, "es")
    await assert_no_report(sessions)
    assert (await emergencies_counted(citizen.client))[channel] == before[channel] + 1


@pytest.mark.parametrize("channel", CHANNELS)
async def test_an_emergency_in_the_middle_of_a_report_ends_the_report_and_files_nothing(
    open_channel: Callable[[str, Classifier], Awaitable[Channel]],
    scripted: ScriptedClassifier,
    settings: Settings,
    sessions: Sessions,
    channel: str,
) -> None:
    citizen = await open_channel(channel, scripted)
    await citizen.says("hay un bache enorme en la calle 10 # 20-30")
    asked = await citizen.replies(1)
    assert "foto" in asked[-1].text
    assert (await the_conversation(sessions)).state["flow"] == "report"
    before = await emergencies_counted(citizen.client)

    await citizen.says("ayuda, se prendió fuego la casa de al lado")  # while the bot waits for a photo

    replies = await citizen.replies(len(asked) + 2)
    assert_emergency_answer(replies[len(asked) :], settings, channel, "es")
    await assert_no_report(sessions)
    assert (await emergencies_counted(citizen.client))[channel] == before[channel] + 1
    await citizen.says("sí")  # a yes now answers the offer of a person, not the report that is gone
    conversation = await the_conversation(sessions)
    assert (conversation.holder, conversation.handoff_reason) == (Holder.WAITING, "emergency")
    assert await cases_filed(sessions) == 0


async def test_in_english_the_configured_english_text(
    open_channel: Callable[[str, Classifier], Awaitable[Channel]],
    builtin_classifier: Classifier,
    settings: Settings,
    sessions: Sessions,
) -> None:
    citizen = await open_channel("rest", builtin_classifier)
    await citizen.says("there is a gas leak in my building, it smells really strong")
    assert_emergency_answer(await citizen.replies(2), settings, "rest", "en")
    await assert_no_report(sessions)


@pytest.mark.parametrize("channel", CHANNELS)
async def test_accepting_the_person_offered_queues_the_conversation_as_an_emergency(
    open_channel: Callable[[str, Classifier], Awaitable[Channel]],
    scripted: ScriptedClassifier,
    sessions: Sessions,
    channel: str,
) -> None:
    citizen = await open_channel(channel, scripted)
    await citizen.says("hay un incendio en el edificio, ayuda")
    await citizen.replies(2)

    await citizen.presses(PERSON_BUTTON["es"])  # the button, the callback, or "1" on SMS

    assert "Te paso con una persona" in (await citizen.replies(3))[-1].text
    conversation = await the_conversation(sessions)
    assert (conversation.holder, conversation.handoff_reason) == (Holder.WAITING, "emergency")
    assert conversation.waiting_since is not None
    assert await cases_filed(sessions) == 0
