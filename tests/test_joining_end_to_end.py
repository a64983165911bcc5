"""Joining a report end to end (issue 14): web chat, Telegram and SMS through their real routes and local
fakes, the built-in classifier, and the news of a status change reaching the reporter and supporters."""

from __future__ import annotations

import itertools
import json
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import case_status
from bot.followups import send_due
from bot.settings import Settings
from storage import staff as staff_rows
from storage.models import Case, CaseSupporter, utcnow
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, post_signed

# The app with SMS and Telegram on against local fakes, and the built-in classifier: as for one citizen
# across channels.
from tests.test_cross_channel import OUR_SMS, PUBLIC_URL, SECRET, Client, arrives, client, fakes

__all__ = ["client", "fakes"]  # fixtures, used by name
HERE = (4.60971, -74.08175)
METRE = 1 / 111_195
_ids = itertools.count(1)
USER = {"id": 55501, "is_bot": False, "first_name": "Beto"}


def pin(metres: float) -> dict[str, float]:
    return {"latitude": HERE[0] + metres * METRE, "longitude": HERE[1]}


async def web_chat(
    client: Client, sender: str, message: str, location: dict[str, float] | None = None
) -> str:
    body: dict[str, Any] = {"sender": sender, "message": message}
    if location:
        body["metadata"] = {"location": location}
    response = await client.post("/webhooks/rest/webhook", json=body)
    assert response.status == 200, await response.text()
    return "\n".join(r.get("text", "") for r in await response.json())


async def poll(client: Client, sender: str) -> list[str]:
    response = await client.get("/webhooks/rest/messages", params={"sender": sender, "after": "0"})
    assert response.status == 200, await response.text()
    answer = await response.json()
    items = answer if isinstance(answer, list) else answer.get("messages", [])
    return [str(m.get("text", "")) for m in items]


async def telegram_sends(client: Client, update: dict[str, Any]) -> None:
    response = await client.post(
        "/webhooks/telegram",
        data=json.dumps({"update_id": 900000000 + next(_ids), **update}),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status == 200, await response.text()


def telegram_message(**content: Any) -> dict[str, Any]:
    chat = {**USER, "type": "private"}
    return {"message": {"message_id": next(_ids), "from": USER, "chat": chat, "date": 1763800100, **content}}


async def test_a_neighbour_on_telegram_joins_a_web_chat_report_and_everyone_hears_it_resolved_and_reopened(
    client: Client,
    fakes: tuple[FakeTwilio, FakeTelegram],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    twilio, telegram = fakes
    # The first neighbour reports on the web chat, with the page's location.
    reporter = "web-reporter-5f3c9d27e1"
    await web_chat(client, reporter, "hay un hueco enorme en la via", pin(0))
    await web_chat(client, reporter, "omitir")
    filed = await web_chat(client, reporter, "si")
    code = re.search(r"[2-9A-Z]{3}-[2-9A-Z]{3}", filed)
    assert code is not None, filed

    # A second, 30 m away on Telegram, is offered it and presses "Sí, sumarme".
    def on_telegram() -> list[str]:
        return [str(m["text"]) for m in telegram.sent()]

    await telegram_sends(client, telegram_message(text="hay un hueco enorme en la via"))
    await arrives(on_telegram, 2)  # the privacy notice of a first contact, then the answer
    await telegram_sends(client, telegram_message(location=pin(30)))
    await arrives(on_telegram, 3)
    await telegram_sends(client, telegram_message(text="no tengo foto"))
    offered = (await arrives(on_telegram, 4))[-1]
    assert "a 30 m" in offered and "¿Es el mismo?" in offered, offered
    keyboard = telegram.sent()[-1]["reply_markup"]
    keyboard = json.loads(keyboard) if isinstance(keyboard, str) else keyboard
    assert [b["text"] for row in keyboard["inline_keyboard"] for b in row] == ["Sí, sumarme", "No, es otro"]
    chat = {**USER, "type": "private"}
    press = {"id": "cb1", "from": USER, "chat_instance": "ci", "data": "/affirm",
             "message": {"message_id": 1, "chat": chat, "date": 1763800100, "text": offered}}  # fmt: skip
    await telegram_sends(client, {"callback_query": press})
    assert code[0] in (await arrives(on_telegram, 5))[-1]

    # A third on the web chat joins in words; a fourth, 80 m away by SMS, is offered nothing.
    supporter = "web-supporter-5f3c9d27e1"
    await web_chat(client, supporter, "hay un hueco enorme en la via", pin(10))
    assert "¿Es el mismo?" in await web_chat(client, supporter, "sin foto")
    assert code[0] in await web_chat(client, supporter, "si, es ese mismo")
    far = "+573009998877"
    for said in ("hay un hueco enorme en la via", "calle 45 con 27 frente a la panaderia", "no tengo foto"):
        form = {"MessageSid": f"SM{next(_ids):032x}", "AccountSid": ACCOUNT_SID, "From": far, "To": OUR_SMS,
                "Body": said, "NumMedia": "0"}  # fmt: skip
        response = await post_signed(
            client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
        )
        assert response.status == 200
    on_sms = await arrives(lambda: [m["body"] for m in twilio.sent_to(far)], 4)
    assert "¿Es el mismo?" not in on_sms[-1] and "¿Lo confirmo?" in on_sms[-1]

    # Staff resolve it: the reporter and both supporters are told, each on their own channel.
    async with sessions() as session, session.begin():
        ana = await staff_rows.add_staff(
            session, username="ana", password_hash="x", role="agent", department=None
        )
        case = await session.scalar(select(Case).where(Case.code == code[0]))
        assert case is not None
        await case_status.change_status(
            session, settings, case, "resolved", staff=case_status.Staff(ana.id, ana.username)
        )
        assert len((await session.scalars(select(CaseSupporter))).all()) == 2
    told = (await arrives(on_telegram, 6))[-1]
    assert code[0] in told and "resuelto" in told
    for sender in (reporter, supporter):
        news = await poll(client, sender)
        assert any(code[0] in text and "resuelto" in text for text in news), news

    # The reporter says it is not fixed when asked: the case reopens, and the neighbours who joined hear it
    # as they heard staff's change; the reporter is answered in the conversation, not told twice.
    sent = await send_due(sessions, settings, utcnow() + timedelta(days=settings.followup.after_days + 1))
    assert sent.counts["sent"] == 1
    asked = await poll(client, reporter)
    assert any("¿Lo arreglaron?" in text for text in asked), asked
    answered = await web_chat(client, reporter, "nop sigue igual, el hueco ta ahi mismo")
    assert "Reabrí tu reporte" in answered and code[0] in answered
    told = (await arrives(on_telegram, 7))[-1]
    assert code[0] in told and "reabierto" in told
    news = await poll(client, supporter)
    assert any(code[0] in text and "reabierto" in text for text in news), news
    assert not any("reabierto" in text for text in await poll(client, reporter))
