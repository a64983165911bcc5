"""One citizen on SMS, WhatsApp and Telegram: real twilio and python-telegram-bot against local fakes."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from nlu.base import Classifier
from storage.models import Case, Citizen
from tests.support.channels import telegram_on, twilio_on
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, post_signed

Client = TestClient[web.Request, web.Application]
PUBLIC_URL = "https://ventanilla.example.org"
OUR_SMS, OUR_WHATSAPP = "+15017122661", "+14155238886"
PHONE = "+573001234567"  # +57 300 123 4567
SECRET = "webhook-secret-123"
_ids = itertools.count(1)


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTwilio, FakeTelegram]]:
    async with FakeTwilio() as twilio, FakeTelegram() as telegram:
        yield twilio, telegram


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    builtin_classifier: Classifier,
    fakes: tuple[FakeTwilio, FakeTelegram],
) -> Client:
    twilio, telegram = fakes
    sms_on = twilio_on(settings, twilio, public_url=PUBLIC_URL, sms_from=OUR_SMS, whatsapp_from=OUR_WHATSAPP)
    both_on = telegram_on(sms_on, telegram, secret=SECRET)
    return await aiohttp_client(create_app(both_on, classifier=builtin_classifier))


async def arrives(texts: Callable[[], list[str]], count: int) -> list[str]:
    """What the fake provider received once `count` messages are there (the outbox sends them)."""
    for _ in range(200):
        if len(texts()) >= count:
            await asyncio.sleep(0.2)  # anything beyond `count` would be a duplicate: give it a chance
            return texts()
        await asyncio.sleep(0.05)
    raise AssertionError(f"only {texts()} arrived")


async def twilio_says(client: Client, sender: str, to: str, body: str) -> None:
    sid = f"SM{next(_ids):032x}"
    form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": ACCOUNT_SID, "From": sender, "To": to,
            "Body": body, "NumMedia": "0"}  # fmt: skip
    response = await post_signed(
        client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
    )
    assert response.status == 200, await response.text()


async def telegram_sends(client: Client, message: dict[str, Any]) -> None:
    user = {"id": 987654321, "is_bot": False, "first_name": "Ana"}
    update = {"update_id": 800000000 + next(_ids),
              "message": {"message_id": next(_ids), "from": user, "chat": {**user, "type": "private"},
                          "date": 1763800100, **message}}  # fmt: skip
    response = await client.post(
        "/webhooks/telegram", data=json.dumps(update), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status == 200, await response.text()


async def test_sms_report_whatsapp_status_and_telegram_after_sharing_the_number(
    client: Client, fakes: tuple[FakeTwilio, FakeTelegram], sessions: async_sessionmaker[AsyncSession]
) -> None:
    twilio, telegram = fakes
    sms = lambda: [m["body"] for m in twilio.sent_to(PHONE)]  # noqa: E731
    whatsapp = lambda: [m["body"] for m in twilio.sent_to(f"whatsapp:{PHONE}")]  # noqa: E731
    on_telegram = lambda: [str(m["text"]) for m in telegram.sent()]  # noqa: E731

    await twilio_says(client, PHONE, OUR_SMS, "hay un poste de luz caído en la esquina")
    notice, asked, note = (await arrives(sms, 3))[-3:]
    assert "Aviso de privacidad" in notice  # a first contact
    assert "¿Dónde es?" in asked and "No toques el cable" in note  # a fallen pole: the safety note follows
    await twilio_says(client, PHONE, OUR_SMS, "omitir")
    assert "foto" in (await arrives(sms, 4))[-1]
    await twilio_says(client, PHONE, OUR_SMS, "no")
    assert "¿Lo confirmo?" in (await arrives(sms, 5))[-1]
    await twilio_says(client, PHONE, OUR_SMS, "si")
    filed = await arrives(sms, 6)
    async with sessions() as session:
        case = await session.scalar(select(Case))
    assert case is not None and case.service_code == "streetlight" and case.code in filed[-1]
    assert len(filed) == 6 and all(m["from"] == OUR_SMS for m in twilio.sent_to(PHONE))

    await twilio_says(client, f"whatsapp:{PHONE}", f"whatsapp:{OUR_WHATSAPP}", "cómo va mi reclamo?")
    [status] = await arrives(whatsapp, 1)
    assert case.code in status
    assert twilio.sent_to(f"whatsapp:{PHONE}")[0]["from"] == f"whatsapp:{OUR_WHATSAPP}"

    await telegram_sends(client, {"contact": {"phone_number": "573001234567", "first_name": "Ana",
                                              "user_id": 987654321}})  # fmt: skip
    assert "vinculé tu número" in (await arrives(on_telegram, 1))[-1]
    await telegram_sends(client, {"text": "¿cómo va mi caso?"})
    assert case.code in (await arrives(on_telegram, 2))[-1]
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Citizen)) == 1


async def test_replies_queued_when_the_service_stopped_go_out_once_after_restart(
    settings: Settings, builtin_classifier: Classifier, fakes: tuple[FakeTwilio, FakeTelegram]
) -> None:
    twilio, _ = fakes
    on = twilio_on(settings, twilio, public_url=PUBLIC_URL, sms_from=OUR_SMS)
    twilio.fail_next(10_000)  # Twilio is down while the first process runs
    first: Client = TestClient(TestServer(create_app(on, classifier=builtin_classifier)))
    await first.start_server()
    await twilio_says(first, PHONE, OUR_SMS, "hola")
    await asyncio.sleep(0.5)  # the outbox tries, fails, and backs off
    await first.close()  # the service stops with the replies still queued
    assert twilio.messages == [] and len(twilio.requests) >= 1
    twilio.recover()
    second: Client = TestClient(TestServer(create_app(on, classifier=builtin_classifier)))
    await second.start_server()
    try:
        delivered = await arrives(lambda: [m["body"] for m in twilio.sent_to(PHONE)], 3)
    finally:
        await second.close()
    # Each reply once, in order: the privacy notice of a first contact, the greeting, the menu.
    assert len(delivered) == 3 and "Aviso de privacidad" in delivered[0] and "¡Hola!" in delivered[1]
