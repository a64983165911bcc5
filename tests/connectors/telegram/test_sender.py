"""TelegramSender against the fake Bot API: keyboards, long texts, and how failures reach the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.messages import Attachment, Button, OutboundMessage
from bot.settings import Settings
from connectors.base import DeliveryError
from connectors.registry import senders
from connectors.telegram.client import CALL
from connectors.telegram.sender import TelegramSender, split_text
from storage.media import new_name, url_of
from tests.support.fake_telegram import FakeTelegram

CHAT = "987654321"


@pytest.fixture
async def sender(telegram_settings: Settings) -> AsyncIterator[TelegramSender]:
    sender = TelegramSender.from_settings(telegram_settings)
    yield sender
    await sender.close()


def reply(text: str = "¿Lo confirmo?", *buttons: Button, address: str = CHAT) -> OutboundMessage:
    return OutboundMessage(channel="telegram", address=address, text=text, buttons=buttons)


async def send(sender: TelegramSender, message: OutboundMessage) -> str:
    delivery = await sender.send(message, idempotency_key="msg-1-abc", last_inbound_at=None)
    return delivery.provider_message_id


async def test_choices_become_an_inline_keyboard_that_sends_the_payload_back(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    message_id = await send(sender, reply("¿Lo confirmo?", Button("Sí", "/affirm"), Button("No", "/deny")))
    [call] = fake_telegram.sent()
    assert message_id == "5001"
    assert (call["chat_id"], call["text"]) == (CHAT, "¿Lo confirmo?")
    assert call["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Sí", "callback_data": "/affirm"}],
            [{"text": "No", "callback_data": "/deny"}],
        ]
    }
    assert "parse_mode" not in call  # a citizen's "<b>" is shown as typed, never interpreted


async def test_a_payload_over_64_bytes_is_sent_as_the_choice_number(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    long = "/report_" + "ñ" * 40
    await send(
        sender, reply("¿Qué quieres reportar?", Button("Baches", "/report_pothole"), Button("Otro", long))
    )
    keyboard = fake_telegram.sent()[0]["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["/report_pothole", "2"]


async def test_a_share_contact_choice_asks_for_the_phone_number(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    await send(
        sender,
        reply(
            "Comparte tu número", Button("Compartir mi número", "/share_contact"), Button("Omitir", "/skip")
        ),
    )
    markup = fake_telegram.sent()[0]["reply_markup"]
    assert markup["keyboard"] == [
        [{"text": "Compartir mi número", "request_contact": True}],
        [{"text": "Omitir"}],
    ]
    assert markup["one_time_keyboard"] is True and markup["resize_keyboard"] is True


async def test_plain_text_has_no_keyboard_and_long_text_is_split(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    await send(sender, reply("Hola"))
    assert "reply_markup" not in fake_telegram.sent()[0]
    text = ("Una línea del historial del caso. " * 20 + "\n") * 12
    last = await send(sender, reply(text, Button("Menú", "/menu")))
    pieces = fake_telegram.sent()[1:]
    assert len(pieces) == 2 and all(len(p["text"]) <= 4096 for p in pieces)
    assert " ".join(p["text"] for p in pieces).split() == text.split()
    assert "reply_markup" not in pieces[0] and "reply_markup" in pieces[1]  # buttons under the last piece
    assert last == "5003"


async def test_a_citizen_who_blocked_the_bot_is_opted_out(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.block(CHAT)
    with pytest.raises(DeliveryError) as caught:
        await send(sender, reply())
    assert (caught.value.retryable, caught.value.opted_out) == (False, True)
    assert "blocked by the user" in caught.value.reason


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_retryable(
    sender: TelegramSender, fake_telegram: FakeTelegram, status: int
) -> None:
    fake_telegram.fail_next(1, status=status)
    with pytest.raises(DeliveryError) as caught:
        await send(sender, reply())
    assert (caught.value.retryable, caught.value.opted_out) == (True, False)
    assert await send(sender, reply()) == "5001"  # the fake recovered; the next attempt goes through


async def test_flood_control_is_retryable(
    sender: TelegramSender, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # python-telegram-bot's opt-in, else it warns while raising
    fake_telegram.fail_next(1, status=429)
    with pytest.raises(DeliveryError) as caught:
        await send(sender, reply())
    assert caught.value.retryable and "rate limited" in caught.value.reason


async def test_a_slow_api_times_out_as_retryable(
    sender: TelegramSender, fake_telegram: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("connectors.telegram.sender.CALL", {**CALL, "read_timeout": 0.2})
    fake_telegram.delay = 1.0
    with pytest.raises(DeliveryError) as caught:
        await send(sender, reply())
    assert caught.value.retryable


async def test_a_refused_connection_is_retryable(telegram_settings: Settings) -> None:
    secrets = telegram_settings.secrets.model_copy(update={"telegram_api_base_url": "http://127.0.0.1:9/bot"})
    sender = TelegramSender.from_settings(telegram_settings.model_copy(update={"secrets": secrets}))
    try:
        with pytest.raises(DeliveryError) as caught:
            await send(sender, reply())
        assert caught.value.retryable
    finally:
        await sender.close()


@pytest.mark.parametrize(("address", "text"), [("not-a-chat", "Hola"), (CHAT, "   ")])
async def test_what_telegram_would_refuse_fails_without_retry(
    sender: TelegramSender, address: str, text: str
) -> None:
    with pytest.raises(DeliveryError) as caught:
        await send(sender, reply(text, address=address))
    assert not caught.value.retryable and not caught.value.opted_out


async def test_a_bad_request_is_not_retried(sender: TelegramSender, fake_telegram: FakeTelegram) -> None:
    fake_telegram.fail_next(1, status=400)
    with pytest.raises(DeliveryError) as caught:
        await send(sender, reply())
    assert (caught.value.retryable, caught.value.opted_out) == (False, False)
    assert caught.value.reason.startswith("bad request")


async def test_the_registry_builds_the_telegram_sender_when_a_token_is_set(
    telegram_settings: Settings, settings: Settings
) -> None:
    found = senders(telegram_settings)
    try:
        assert isinstance(found["telegram"], TelegramSender)
    finally:
        for sender in set(found.values()):
            await sender.close()
    assert "telegram" not in senders(settings)


def test_split_text_keeps_short_texts_whole_and_cuts_long_words_hard() -> None:
    assert split_text("hola") == ["hola"]
    assert split_text("x" * 10, limit=4) == ["xxxx", "xxxx", "xx"]


async def test_a_spoken_answer_erased_before_it_left_is_given_up_and_nothing_is_sent(
    sender: TelegramSender, fake_telegram: FakeTelegram
) -> None:
    # Issue 19: a voice note is uploaded from the media store; one erased meanwhile is not there to send.
    gone = Attachment(url_of(new_name("audio/ogg")), "audio/ogg", "voice")
    with pytest.raises(DeliveryError) as raised:
        await sender.send(replace(reply(""), attachments=(gone,)), idempotency_key="k", last_inbound_at=None)
    assert not raised.value.retryable and "gone" in raised.value.reason
    assert fake_telegram.sent("sendVoice") == [] and fake_telegram.sent() == []
