"""POST /webhooks/telegram over HTTP: the secret, replays, files, refusals, and every recorded update."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.texts import text
from storage.models import Citizen, Conversation, Direction, Message, OutboxItem
from tests.connectors.telegram.conftest import SECRET, Client, count
from tests.connectors.telegram.test_parser import EXPECTED, FIXTURES, load
from tests.support.fake_telegram import FakeTelegram
from tests.support.media import both_backends, kept_bytes, kept_names
from tests.support.scripted import ScriptedClassifier

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(range(256)) * 8
OGG = b"OggS" + b"\x00" * 300


async def post(client: Client, body: Any, secret: str | None = SECRET) -> tuple[int, Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    response = await client.post("/webhooks/telegram", data=raw, headers=headers)
    return response.status, await response.json()


async def messages(sessions: async_sessionmaker[AsyncSession], direction: str | None = None) -> list[Message]:
    async with sessions() as session:
        query = select(Message).order_by(Message.id)
        if direction:
            query = query.where(Message.direction == direction)
        return list(await session.scalars(query))


async def test_an_update_with_the_right_secret_is_stored_and_answered_through_the_outbox(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    status, body = await post(client, load("vt_start.json"))
    assert (status, body) == (200, {"result": "stored"})
    inbound, *replies = await messages(sessions)
    assert (inbound.channel, inbound.address, inbound.provider_message_id) == (
        "telegram",
        "987654321",
        "u700000112",
    )
    assert inbound.text == "/start" and inbound.raw == load("vt_start.json")
    assert replies and all(r.direction == Direction.OUT and r.address == "987654321" for r in replies)
    assert await count(sessions, OutboxItem) == len(replies)


async def test_an_update_whose_turn_fails_is_answered_200_kept_and_queued_for_a_person(
    client: Client, scripted: ScriptedClassifier, sessions: async_sessionmaker[AsyncSession]
) -> None:
    # A bug in a turn: answering 5xx would make Telegram resend the update, failing the same way each
    # time and holding back the citizen's later updates, until Telegram gave up and the message was lost.
    scripted.fails_on.append("bache")
    update = load("vt_start.json")
    update["message"]["text"] = "hay un bache en la calle 10"
    del update["message"]["entities"]
    status, body = await post(client, update)
    assert (status, body) == (200, {"result": "stored"})
    inbound, reply = await messages(sessions)
    assert inbound.text == "hay un bache en la calle 10" and inbound.intent == "error"
    assert reply.text == text("set_aside", "es") and await count(sessions, OutboxItem) == 1
    async with sessions() as session:
        conversation = await session.scalar(select(Conversation))
    assert conversation is not None and (conversation.holder, conversation.handoff_reason) == (
        "waiting",
        "error",
    )
    assert await post(client, update) == (200, {"result": "duplicate"})
    assert len(await messages(sessions)) == 2


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET.upper(), SECRET + "x", SECRET[:-1]])
async def test_a_missing_or_wrong_secret_is_refused_before_anything_is_read(
    client: Client, sessions: async_sessionmaker[AsyncSession], secret: str | None
) -> None:
    status, body = await post(client, load("message.json"), secret=secret)
    assert (status, body["error"]) == (403, "forbidden")
    status, _ = await post(client, b"{not json", secret=secret)  # not even parsed
    assert status == 403
    assert await count(sessions, Message) == 0 and await count(sessions, Citizen) == 0


async def test_without_a_configured_secret_every_update_is_refused(
    aiohttp_client: Any,
    telegram_settings: Settings,
    scripted: Any,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from bot.app import create_app

    secrets = telegram_settings.secrets.model_copy(update={"telegram_webhook_secret": None})
    client = await aiohttp_client(
        create_app(telegram_settings.model_copy(update={"secrets": secrets}), classifier=scripted)
    )
    for secret in (None, "", SECRET):
        status, _ = await post(client, load("message.json"), secret=secret)
        assert status == 403
    assert await count(sessions, Message) == 0


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        (b"", 400, "bad_json"),
        (b"{not json", 400, "bad_json"),
        (b"\xff\xfe garbage", 400, "bad_json"),
        (b"[1, 2]", 400, "bad_update"),
        (b'{"test": "ok"}', 400, "bad_update"),
        (b'{"update_id": "12"}', 400, "bad_update"),
        (json.dumps({"update_id": 1, "message": {"text": "x" * 70_000}}).encode(), 413, "too_large"),
    ],
)
async def test_bad_bodies_get_a_clear_4xx_and_store_nothing(
    client: Client, sessions: async_sessionmaker[AsyncSession], body: bytes, status: int, error: str
) -> None:
    got, answer = await post(client, body)
    assert (got, answer["error"]) == (status, error)
    assert await count(sessions, Message) == 0


INLINE_QUERY = {
    "update_id": 700000201,
    "inline_query": {
        "id": "9911",
        "from": {"id": 987654321, "is_bot": False, "first_name": "Ana"},
        "query": "bache",
        "offset": "",
    },
}


@pytest.mark.parametrize(
    "update",
    [
        load("pre_checkout_query.json"),
        load("shipping_query.json"),
        load("vt_my_chat_member_blocked.json"),
        load("message_with_successful_payment.json"),
        INLINE_QUERY,
        {"update_id": 700000202},
        {"update_id": 700000203, "business_message": {"from_the": "future"}},
    ],
)
async def test_unknown_update_types_are_acknowledged_logged_and_not_stored(
    client: Client, sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture, update: Any
) -> None:
    with caplog.at_level(logging.INFO, logger="connectors.telegram"):
        status, body = await post(client, update)
    assert (status, body) == (200, {"result": "ignored"})
    assert f"telegram update {update['update_id']} ignored" in caplog.text
    assert await count(sessions, Message) == 0 and await count(sessions, Citizen) == 0


async def test_a_citizen_sharing_their_own_number_gets_it_on_record(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert (await post(client, load("vt_contact_own.json")))[1] == {"result": "stored"}
    async with sessions() as session:
        assert await session.scalar(select(Citizen.phone_e164)) == "+573001234567"


async def test_an_update_delivered_five_times_is_one_message_and_one_set_of_replies(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    update = load("vt_edited_message.json")
    results = [await post(client, update) for _ in range(5)]
    assert results == [(200, {"result": "stored"})] + [(200, {"result": "duplicate"})] * 4
    assert len(await messages(sessions, Direction.IN)) == 1
    replies = await messages(sessions, Direction.OUT)
    assert len(replies) >= 1 and await count(sessions, OutboxItem) == len(replies)


@both_backends
async def test_a_photo_is_fetched_through_the_bot_api_into_the_media_store(
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    fake_telegram: FakeTelegram,
    settings: Settings,
) -> None:
    fake_telegram.add_file("AgACAgEAAxkBAAPhotoLarge", JPEG, "photos/file_7.jpg")
    for _ in range(3):  # Telegram's retries must not leave copies behind
        assert (await post(client, load("vt_photo.json")))[0] == 200
    [inbound] = await messages(sessions, Direction.IN)
    [attachment] = inbound.attachments or []
    assert attachment["kind"] == "photo" and attachment["content_type"] == "image/jpeg"
    name = attachment["url"].removeprefix("/media/")
    assert attachment["url"] == f"/media/{name}" and name.endswith(".jpg") and len(name) == 36
    assert await kept_bytes(settings, name) == JPEG
    assert await kept_names(settings) == [name]  # the two retries' copies were removed
    assert fake_telegram.sent("getFile") == [{"file_id": "AgACAgEAAxkBAAPhotoLarge"}] * 3
    assert (await client.get(attachment["url"])).status == 200  # the inbox can show it


@both_backends
async def test_a_voice_note_is_kept_as_a_voice_attachment(
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    fake_telegram: FakeTelegram,
    settings: Settings,
) -> None:
    fake_telegram.add_file("AwACAgEAAxkBAAIBVoice4sec", OGG, "voice/file_9.oga")
    assert (await post(client, load("vt_voice.json")))[0] == 200
    [inbound] = await messages(sessions, Direction.IN)
    [attachment] = inbound.attachments or []
    assert (attachment["kind"], attachment["content_type"]) == ("voice", "audio/ogg")
    assert await kept_bytes(settings, attachment["url"].removeprefix("/media/")) == OGG
    served = await client.get(attachment["url"])
    assert served.headers["Content-Type"] == "audio/ogg" and await served.read() == OGG


async def test_file_servers_failing_make_telegram_deliver_again_and_nothing_is_stored(
    client: Client, sessions: async_sessionmaker[AsyncSession], fake_telegram: FakeTelegram
) -> None:
    fake_telegram.add_file("AgACAgEAAxkBAAPhotoLarge", JPEG)
    fake_telegram.fail_next(1, status=502, method="getFile")
    status, _ = await post(client, load("vt_photo.json"))
    assert status == 503 and await count(sessions, Message) == 0
    assert (await post(client, load("vt_photo.json")))[1] == {"result": "stored"}
    [inbound] = await messages(sessions, Direction.IN)
    assert inbound.attachments and inbound.attachments[0]["kind"] == "photo"


async def test_a_file_telegram_no_longer_has_is_left_out_and_the_text_kept(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert (await post(client, load("vt_photo.json")))[1] == {"result": "stored"}
    [inbound] = await messages(sessions, Direction.IN)
    assert inbound.text == "el poste está caído" and not inbound.attachments


async def test_a_group_gets_a_polite_refusal_and_nothing_is_stored(
    client: Client, sessions: async_sessionmaker[AsyncSession], fake_telegram: FakeTelegram
) -> None:
    status, body = await post(client, load("vt_group_message.json"))
    assert (status, body) == (200, {"result": "refused"})
    [refusal] = [m for m in fake_telegram.sent() if m["chat_id"] == "-1001234567890"]
    assert "conversaciones privadas" in refusal["text"] and "private chats" in refusal["text"]
    assert fake_telegram.sent("leaveChat") == [{"chat_id": "-1001234567890"}]
    assert await count(sessions, Message) == 0 and await count(sessions, Citizen) == 0


async def test_a_button_press_is_the_payload_and_stops_the_spinner(
    client: Client, sessions: async_sessionmaker[AsyncSession], fake_telegram: FakeTelegram
) -> None:
    for _ in range(2):
        await post(client, load("vt_callback_query.json"))
    [inbound] = await messages(sessions, Direction.IN)
    assert inbound.text == "/affirm" and inbound.provider_message_id == "u700000101"
    # Answered once: the retried delivery is a duplicate and its query was already answered.
    assert fake_telegram.sent("answerCallbackQuery") == [{"callback_query_id": "4382bfdwdsb323b2d9"}]


async def test_the_service_starts_while_telegram_is_down(
    aiohttp_client: Any,
    telegram_settings: Settings,
    scripted: Any,
    fake_telegram: FakeTelegram,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from bot.app import create_app

    fake_telegram.fail_next(1, status=502, method="getMe")
    client = await aiohttp_client(create_app(telegram_settings, classifier=scripted))
    assert (await client.get("/healthz")).status == 200
    assert (await post(client, load("message.json")))[1] == {"result": "stored"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_every_recorded_update_is_answered_without_a_server_error(client: Client, name: str) -> None:
    body = (FIXTURES / name).read_bytes()
    status, answer = await post(client, body)
    assert status < 500, answer
    assert status == (400 if EXPECTED[name] == "not an update" else 200)


async def test_an_update_the_parser_trips_on_is_acknowledged_not_retried_forever(
    client: Client, sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise AttributeError("a field no Bot API version had")

    monkeypatch.setattr("connectors.telegram.updates.parse_update", broken)
    assert await post(client, load("message.json")) == (200, {"result": "ignored"})
    assert await count(sessions, Message) == 0
