"""A phone call an agent records, then WhatsApp from the caller's number (issue 18): one citizen, one history.

Real routes only: the inbox logged in over HTTP, the Twilio webhook signed, the real twilio client sending
to the local fake Twilio."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from nlu.base import Classifier
from storage import staff as staff_rows
from storage.models import AuditEvent, Case, ChannelIdentity, Citizen, Message
from tests.inbox.conftest import Staff, password_hash
from tests.support.channels import twilio_on
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, post_signed

Client = TestClient[web.Request, web.Application]
PUBLIC_URL = "https://ventanilla.example.org"
OUR_SMS, OUR_WHATSAPP = "+15017122661", "+14155238886"
CALLER = "+573005550101"  # +57 300 555 0101
_ids = itertools.count(1)


@pytest.fixture
async def twilio() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as fake:
        yield fake


@pytest.fixture
async def webhooks(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    builtin_classifier: Classifier,
    twilio: FakeTwilio,
) -> Client:
    on = twilio_on(settings, twilio, public_url=PUBLIC_URL, sms_from=OUR_SMS, whatsapp_from=OUR_WHATSAPP)
    return await aiohttp_client(create_app(on, classifier=builtin_classifier))


@pytest.fixture
async def inbox(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    builtin_classifier: Classifier,
) -> Client:
    """The inbox on a plain-http address of its own (its cookies are Secure behind the https public URL)."""
    return await aiohttp_client(create_app(settings, classifier=builtin_classifier))


@pytest.fixture
async def lucia(inbox: Client, sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[Staff]:
    async with sessions() as session, session.begin():
        await staff_rows.add_staff(
            session, username="lucia", password_hash=password_hash(), role="agent", department="public_works"
        )
    agent = Staff(inbox.make_url("/"))
    assert (await agent.log_in("lucia")).status == 303
    yield agent
    await agent.close()


async def whatsapp_says(client: Client, body: str) -> None:
    sid = f"SM{next(_ids):032x}"
    form = {"MessageSid": sid, "SmsSid": sid, "AccountSid": ACCOUNT_SID, "From": f"whatsapp:{CALLER}",
            "To": f"whatsapp:{OUR_WHATSAPP}", "Body": body, "NumMedia": "0"}  # fmt: skip
    response = await post_signed(
        client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
    )
    assert response.status == 200, await response.text()


async def arrives(texts: Callable[[], list[str]], fragment: str) -> list[str]:
    """What the fake provider received once a message with `fragment` is there (the outbox sends it)."""
    for _ in range(300):
        if any(fragment in t for t in texts()):
            return texts()
        await asyncio.sleep(0.05)
    raise AssertionError(f"{fragment!r} never arrived: {texts()}")


async def test_a_call_with_a_case_then_whatsapp_from_that_number_is_one_citizen_and_one_history(
    webhooks: Client, lucia: Staff, twilio: FakeTwilio, sessions: async_sessionmaker[AsyncSession]
) -> None:
    sms = lambda: [m["body"] for m in twilio.sent_to(CALLER)]  # noqa: E731
    whatsapp = lambda: [m["body"] for m in twilio.sent_to(f"whatsapp:{CALLER}")]  # noqa: E731

    assert "Registrar llamada o visita" in await lucia.page("/inbox/queue")
    assert 'name="phone"' in await lucia.page("/inbox/contacts/new")
    response = await lucia.post("/inbox/contacts/new", {
        "phone": "300 555 0101", "name": "Marta Gómez", "channel": "phone", "at": "",
        "summary": "Llama por un hueco grande frente a su casa; pide que lo tapen antes de las lluvias.",
        "service": "pothole", "description": "Hueco grande en la vía, ya hubo un accidente de moto",
        "place": "Calle 10 # 15-20",
    })  # fmt: skip
    assert response.status == 303, await response.text()
    profile_url = response.headers["Location"].split("#")[0]
    assert re.fullmatch(r"/inbox/citizens/\d+\?done=contact_recorded_case", profile_url)
    async with sessions() as session:
        case = await session.scalar(select(Case))
    assert case is not None and (case.channel, case.service_code, case.address) == (
        "phone", "pothole", "Calle 10 # 15-20",
    )  # fmt: skip
    # The caller has no chat yet: the code reaches them in writing, by SMS to the number they called from.
    told = await arrives(sms, case.code)
    assert "Registramos tu caso" in told[-1] and twilio.sent_to(CALLER)[-1]["from"] == OUR_SMS

    await whatsapp_says(webhooks, "como va mi caso?")
    answers = await arrives(whatsapp, case.code)
    assert any(case.code in a and "bache" in a.lower() for a in answers), answers
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Citizen)) == 1
        channels = (await session.scalars(select(ChannelIdentity.channel).order_by(ChannelIdentity.id))).all()
        assert channels == ["sms", "whatsapp"]
        audited = await session.scalar(select(AuditEvent).where(AuditEvent.action == "contact.phone"))
        assert audited is not None and audited.actor == "lucia" and audited.to_value == case.code

    page = await lucia.page(profile_url.split("?")[0])
    timeline = page[page.index('id="timeline"') :]
    call = timeline.index("Registrado por lucia")
    assert "Llamada" in timeline and "pide que lo tapen" in timeline
    assert call < timeline.index("como va mi caso?")  # the call, then the WhatsApp message: one history
    assert "Marta Gómez" in page

    response = await lucia.post(f"/inbox/cases/{case.code}/status", {"status": "acknowledged"})
    assert response.status == 303
    news = await arrives(whatsapp, "cambió")  # the last channel they wrote on, inside the WhatsApp window
    assert case.code in news[-1]
    async with sessions() as session:
        inbound = select(Message.channel).where(Message.direction == "in").order_by(Message.id)
        history = (await session.scalars(inbound)).all()
    assert history == ["phone", "whatsapp"]
