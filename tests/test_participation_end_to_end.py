"""End to end on the Telegram and Twilio fakes (real python-telegram-bot and twilio): a citizen opted in on
Telegram who linked WhatsApp gets a survey once, on their last channel, answers on both and counts once;
BAJA stops the next survey; a citizen not opted in gets nothing; quiet hours with a clock passed in; after
24 hours WhatsApp only as the survey's template, else skipped. The sending pass is the one `ventanilla
surveys send --now …` runs (serve's loop is left out: it would decide by the wall clock)."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import broadcasts_ctx, create_app
from bot.cli import build_parser
from bot.settings import Settings
from nlu.base import Classifier
from storage.models import ChannelIdentity, Delivery, Subscription, SubscriptionStatus, utcnow
from tests.support import surveys
from tests.support.channels import telegram_on, twilio_on
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, post_signed

Client = TestClient[web.Request, web.Application]
PUBLIC_URL = "https://ventanilla.example.org"
OUR_SMS, OUR_WHATSAPP = "+15017122661", "+14155238886"
PHONE, OTHER_PHONE, CHAT_ID = "+573001234567", "+573109876543", 987654321
SECRET = "webhook-secret-123"
SLUG, TEMPLATE = "presupuesto-2027", "HX0123456789abcdef0123456789abcdef"
_ids = itertools.count(1)


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTwilio, FakeTelegram]]:
    async with FakeTwilio() as twilio, FakeTelegram() as telegram:
        yield twilio, telegram


@pytest.fixture
def on(settings: Settings, fakes: tuple[FakeTwilio, FakeTelegram]) -> Settings:
    twilio, telegram = fakes
    sms_on = twilio_on(settings, twilio, public_url=PUBLIC_URL, sms_from=OUR_SMS, whatsapp_from=OUR_WHATSAPP)
    return telegram_on(sms_on, telegram, secret=SECRET)


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    on: Settings,
    builtin_classifier: Classifier,
) -> Client:
    app = create_app(on, classifier=builtin_classifier)
    app.cleanup_ctx.remove(broadcasts_ctx)  # the test's clock decides, through the command's pass
    return await aiohttp_client(app)


async def twilio_says(client: Client, sender: str, to: str, body: str) -> None:
    sid = f"SM{next(_ids):032x}"
    form = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": sender, "To": to, "Body": body,
            "NumMedia": "0"}  # fmt: skip
    response = await post_signed(
        client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
    )
    assert response.status == 200, await response.text()


async def whatsapp_says(client: Client, body: str) -> None:
    await twilio_says(client, f"whatsapp:{PHONE}", f"whatsapp:{OUR_WHATSAPP}", body)


async def telegram_sends(client: Client, message: dict[str, Any]) -> None:
    user = {"id": CHAT_ID, "is_bot": False, "first_name": "Ana"}
    update = {"update_id": 800000000 + next(_ids),
              "message": {"message_id": next(_ids), "from": user, "chat": {**user, "type": "private"},
                          "date": 1763800100, **message}}  # fmt: skip
    response = await client.post(
        "/webhooks/telegram", data=json.dumps(update), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status == 200, await response.text()


async def arrives(texts: Callable[[], list[str]], fragment: str) -> str:
    for _ in range(300):
        found = [t for t in texts() if fragment in t]
        if found:
            return found[-1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"{fragment!r} never arrived: {texts()}")


def texts_to(twilio: FakeTwilio, to: str) -> Callable[[], list[str]]:
    return lambda: [m["body"] for m in twilio.sent_to(to)]


def texts_on(telegram: FakeTelegram) -> Callable[[], list[str]]:
    return lambda: [str(m["text"]) for m in telegram.sent()]


async def settled() -> None:
    await asyncio.sleep(0.5)  # the outbox had its chance: what is not there was never queued


async def command(settings: Settings, *argv: str) -> int:
    args: argparse.Namespace = build_parser().parse_args(list(argv))
    return int(await asyncio.to_thread(args.func, args, settings))  # it runs its own event loop


def city_time(settings: Settings, after: datetime, hour: int, minute: int) -> datetime:
    """The first moment after `after` that is hour:minute in the city."""
    local = after.astimezone(settings.city.zone)
    moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment if moment > local else moment + timedelta(days=1)


def daytime(settings: Settings, after: datetime) -> datetime:
    """`after` itself if it is daytime in the city, else the next 08:05 (within the WhatsApp window)."""
    if 8 * 60 + 5 <= (local := after.astimezone(settings.city.zone)).hour * 60 + local.minute < 19 * 60:
        return after + timedelta(minutes=1)
    return city_time(settings, after, 8, 5)


async def opt_in(sessions: async_sessionmaker[AsyncSession], channel: str, address: str) -> int:
    """What the topics part's dialogue records when the citizen says yes (written directly here)."""
    async with sessions() as session, session.begin():
        citizen_id = await surveys.citizen_of(session, channel, address)
        session.add(
            Subscription(citizen_id=citizen_id, topic="encuestas", channel=channel, shown="Encuestas")
        )
        return citizen_id


async def ana_on_telegram_and_whatsapp(client: Client, twilio: FakeTwilio, telegram: FakeTelegram) -> None:
    """Ana writes on Telegram, shares her number there, then writes from it on WhatsApp: one citizen."""
    await telegram_sends(client, {"text": "hola buenas"})
    await telegram_sends(client, {"contact": {"phone_number": PHONE.lstrip("+"), "first_name": "Ana",
                                              "user_id": CHAT_ID}})  # fmt: skip
    await arrives(lambda: [str(m["text"]) for m in telegram.sent()], "vinculé tu número")
    await whatsapp_says(client, "hola")
    await arrives(lambda: [m["body"] for m in twilio.sent_to(f"whatsapp:{PHONE}")], "")


async def create_survey(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, slug: str = SLUG, **changes: Any
) -> None:
    async with sessions() as session, session.begin():
        await surveys.create(session, settings, surveys.definition(slug, **changes))


async def deliveries(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, str | None]]:
    async with sessions() as session:
        found = await session.scalars(select(Delivery).order_by(Delivery.id))
        return [(d.status, d.reason) for d in found]


async def test_a_survey_reaches_ana_once_answers_on_both_channels_count_once_and_baja_stops_the_next(
    client: Client,
    on: Settings,
    fakes: tuple[FakeTwilio, FakeTelegram],
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    twilio, telegram = fakes
    on_whatsapp, on_telegram = texts_to(twilio, f"whatsapp:{PHONE}"), texts_on(telegram)
    to_beto = texts_to(twilio, OTHER_PHONE)
    await ana_on_telegram_and_whatsapp(client, twilio, telegram)
    # She opts in by chat on Telegram: the offer, then her yes.
    await telegram_sends(client, {"text": "kiero recibir las encuestas d la ciudad"})
    await arrives(on_telegram, "¿Te suscribo?")
    await telegram_sends(client, {"text": "si dale"})
    await arrives(on_telegram, "te suscribí a encuestas")
    async with sessions() as session:
        ana = await surveys.citizen_of(session, "telegram", str(CHAT_ID))
        [chosen] = (await session.scalars(select(Subscription))).all()
    assert (chosen.citizen_id, chosen.topic, chosen.status) == (ana, "encuestas", "active")
    assert "¿Te suscribo?" in chosen.shown  # the words she said yes to are kept
    await whatsapp_says(client, "hola")  # WhatsApp is her last channel again
    await arrives(on_whatsapp, "")
    await twilio_says(client, OTHER_PHONE, OUR_SMS, "hola, buenas tardes")  # Beto: never opted in
    await arrives(to_beto, "")
    await create_survey(sessions, on)

    now = daytime(on, utcnow()).isoformat()
    assert await command(on, "surveys", "send", SLUG, "--now", now) == 0
    out = capsys.readouterr().out
    assert "1 queued, 0 already reached" in out and "sent now: 1" in out
    opening = await arrives(on_whatsapp, "📋 Presupuesto participativo 2027")
    assert "1. Parque del barrio" in opening  # WhatsApp has no buttons here: numbered choices
    assert await command(on, "surveys", "send", SLUG, "--now", now) == 0  # sent again by mistake
    assert "0 queued, 1 already reached" in capsys.readouterr().out
    await settled()
    assert sum("📋" in t for t in on_whatsapp() + on_telegram()) == 1  # once, whatever the channels
    assert not any("📋" in t for t in to_beto())

    # WhatsApp says it arrived; then she answers there, and again on Telegram: one answer, the last.
    [message] = [m for m in twilio.messages if "📋" in m["body"]]
    form = {"MessageSid": message["sid"], "AccountSid": ACCOUNT_SID, "MessageStatus": "delivered",
            "To": f"whatsapp:{PHONE}"}  # fmt: skip
    status = await post_signed(
        client, "/webhooks/twilio/status", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
    )
    assert status.status == 200
    assert await deliveries(sessions) == [("delivered", None)]
    await whatsapp_says(client, "2")
    await arrives(on_whatsapp, "2/4")
    await telegram_sends(client, {"text": "la 1 y la 3"})  # the next question, on the other channel
    await arrives(on_telegram, "3/4")
    await telegram_sends(client, {"text": "cancelar"})
    await telegram_sends(client, {"text": "encuesta"})  # from the start again: the answers are replaced
    await arrives(on_telegram, "1/4")
    await telegram_sends(client, {"text": "biblioteca"})
    await arrives(on_telegram, "2/4. ¿Qué más")
    assert await surveys.answers_of(sessions, SLUG) == [
        (ana, "obra", "biblioteca"),
        (ana, "prioridades", ["seguridad", "transporte"]),
    ]
    assert await deliveries(sessions) == [("answered", None)]

    # BAJA on WhatsApp, confirmed with one reply, pauses her topics on every channel: the next survey
    # does not reach her.
    await whatsapp_says(client, "BAJA")
    await arrives(on_whatsapp, "ALTA para volver")
    async with sessions() as session:
        subscription = await session.scalar(select(Subscription).where(Subscription.citizen_id == ana))
        assert subscription is not None and subscription.status == SubscriptionStatus.PAUSED
    await create_survey(sessions, on, "parques-2027", title={"es": "Parques", "en": "Parks"})
    assert await command(on, "surveys", "send", "parques-2027", "--now", now) == 0
    assert "0 queued" in capsys.readouterr().out
    await settled()
    assert not any("Parques" in t for t in on_whatsapp() + on_telegram())


async def test_quiet_hours_hold_the_survey_until_the_morning(
    client: Client,
    on: Settings,
    fakes: tuple[FakeTwilio, FakeTelegram],
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, telegram = fakes
    on_telegram = texts_on(telegram)
    await telegram_sends(client, {"text": "hola"})
    await arrives(on_telegram, "")
    await opt_in(sessions, "telegram", str(CHAT_ID))
    await create_survey(sessions, on)
    night = city_time(on, utcnow(), 21, 0)
    assert await command(on, "surveys", "send", SLUG, "--now", night.isoformat()) == 0
    assert "quiet hours: nothing sent" in capsys.readouterr().out
    await settled()
    assert not any("📋" in t for t in on_telegram())
    assert await deliveries(sessions) == [("queued", None)]
    morning = city_time(on, night, 8, 5)
    assert await command(on, "surveys", "send", SLUG, "--now", morning.isoformat()) == 0
    assert "0 queued, 1 already reached" in (out := capsys.readouterr().out) and "sent now: 1" in out
    await arrives(on_telegram, "📋 Presupuesto participativo 2027")
    assert await deliveries(sessions) == [("sent", None)]


@pytest.mark.parametrize("template", [TEMPLATE, None])
async def test_whatsapp_after_24_hours_only_as_the_surveys_template_else_skipped(
    template: str | None,
    client: Client,
    on: Settings,
    fakes: tuple[FakeTwilio, FakeTelegram],
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    twilio, _ = fakes
    await whatsapp_says(client, "hola")
    await arrives(lambda: [m["body"] for m in twilio.sent_to(f"whatsapp:{PHONE}")], "")
    await opt_in(sessions, "whatsapp", PHONE)
    async with sessions() as session:
        identity = await session.scalar(select(ChannelIdentity).where(ChannelIdentity.channel == "whatsapp"))
        assert identity is not None and identity.last_inbound_at is not None
        last_seen = identity.last_inbound_at
    await create_survey(sessions, on, whatsapp_template_sid=template)
    later = daytime(on, last_seen + timedelta(hours=25))
    before = len(twilio.requests)
    assert await command(on, "surveys", "send", SLUG, "--now", later.isoformat()) == 0
    if template is None:
        assert "skipped: 1" in capsys.readouterr().out
        assert await deliveries(sessions) == [("skipped", "outside_window")]
        await settled()
        assert len(twilio.requests) == before  # not as free text, and never by SMS instead
        return
    for _ in range(200):
        sent = [r for r in twilio.requests[before:] if r.form.get("ContentSid")]
        if sent:
            break
        await asyncio.sleep(0.05)
    [request] = sent
    assert request.form["ContentSid"] == TEMPLATE and request.to == f"whatsapp:{PHONE}"
    assert json.loads(request.form["ContentVariables"]) == {"1": "Presupuesto participativo 2027"}
    assert not twilio.sent_to(PHONE)  # no SMS
    assert await deliveries(sessions) == [("sent", None)]


async def test_alerts_send_refuses_an_unknown_topic_or_area_and_a_long_text(
    client: Client, on: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await command(on, "alerts", "send", "--topic", "avisos_luz", "--text", "Sin luz") == 2
    assert "unknown topic 'avisos_luz'" in capsys.readouterr().err
    assert (
        await command(on, "alerts", "send", "--topic", "avisos_agua", "--area", "oeste", "--text", "x") == 2
    )
    assert "unknown area 'oeste'" in capsys.readouterr().err
    assert await command(on, "alerts", "send", "--topic", "avisos_agua", "--text", "x" * 321) == 2
    assert "at most 320" in capsys.readouterr().err
    assert (
        await command(on, "alerts", "send", "--topic", "avisos_agua", "--area", "norte", "--text", "Corte")
        == 0
    )
    assert "alert to avisos_agua/norte: 0 queued" in capsys.readouterr().out
