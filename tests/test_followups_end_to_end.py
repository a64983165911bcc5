"""End to end on the web chat, Telegram and SMS (real twilio and python-telegram-bot against local fakes):
a case filed in chat, resolved by `ventanilla cases set-status`, asked "¿Lo arreglaron?" after `ventanilla
followups send-due --now …`, reopened by "no, sigue igual", and the reason read on the inbox's case page by
a logged-in staff member."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.cli import build_parser
from bot.settings import Settings
from nlu.base import Classifier
from storage import staff as staff_rows
from storage.models import Case, utcnow
from tests.inbox.conftest import Staff, password_hash
from tests.support.channels import telegram_on, twilio_on
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, post_signed

Client = TestClient[web.Request, web.Application]
PUBLIC_URL = "https://ventanilla.example.org"
OUR_SMS, PHONE, CHAT_ID, SECRET = "+15017122661", "+573001234567", 987654321, "webhook-secret-123"
WEB = "web-ana-5f3c9d27e1"
_ids = itertools.count(1)


@pytest.fixture
async def fakes() -> AsyncIterator[tuple[FakeTwilio, FakeTelegram]]:
    async with FakeTwilio() as twilio, FakeTelegram() as telegram:
        yield twilio, telegram


@pytest.fixture
def on(settings: Settings, fakes: tuple[FakeTwilio, FakeTelegram]) -> Settings:
    twilio, telegram = fakes
    return telegram_on(
        twilio_on(settings, twilio, public_url=PUBLIC_URL, sms_from=OUR_SMS), telegram, secret=SECRET
    )


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    on: Settings,
    builtin_classifier: Classifier,
) -> Client:
    return await aiohttp_client(create_app(on, classifier=builtin_classifier))


class Channel:
    """A citizen on one channel: what they write, and everything the city has written to them so far."""

    def __init__(self, name: str, client: Client, fakes: tuple[FakeTwilio, FakeTelegram]) -> None:
        self.name, self.client, (self.twilio, self.telegram) = name, client, fakes
        self.web: list[str] = []

    async def says(self, text: str) -> None:
        if self.name == "rest":
            body = {"sender": WEB, "message": text, "metadata": {"message_id": f"m{next(_ids)}"}}
            response = await self.client.post("/webhooks/rest/webhook", data=json.dumps(body))
            assert response.status == 200, await response.text()
            self.web += [r["text"] for r in await response.json()]
        elif self.name == "sms":
            sid = f"SM{next(_ids):032x}"
            form = {"MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": PHONE, "To": OUR_SMS, "Body": text,
                    "NumMedia": "0"}  # fmt: skip
            response = await post_signed(
                self.client, "/webhooks/twilio", form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL
            )
            assert response.status == 200
        else:
            user = {"id": CHAT_ID, "is_bot": False, "first_name": "Ana"}
            update = {"update_id": 900000000 + next(_ids),
                      "message": {"message_id": next(_ids), "from": user, "chat": {**user, "type": "private"},
                                  "date": 1763800100, "text": text}}  # fmt: skip
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            response = await self.client.post("/webhooks/telegram", data=json.dumps(update), headers=headers)
            assert response.status == 200

    async def received(self) -> list[dict[str, Any]]:
        """What reached the citizen: the web chat's answers and its poll, or what the fake provider got."""
        if self.name == "rest":
            polled = await (await self.client.get("/webhooks/rest/messages", params={"sender": WEB})).json()
            return [{"text": t} for t in self.web] + [
                {"text": m["text"], "buttons": m.get("buttons")} for m in polled["messages"]
            ]
        if self.name == "sms":
            return [{"text": m["body"]} for m in self.twilio.sent_to(PHONE)]
        return [{"text": str(p["text"]), "reply_markup": p.get("reply_markup")} for p in self.telegram.sent()]

    async def waits_for(self, fragment: str) -> dict[str, Any]:
        for _ in range(300):
            found = [m for m in await self.received() if fragment in m["text"]]
            if found:
                return found[-1]
            await asyncio.sleep(0.05)
        raise AssertionError(f"{fragment!r} never arrived: {[m['text'] for m in await self.received()]}")


async def command(settings: Settings, *argv: str) -> int:
    args: argparse.Namespace = build_parser().parse_args(list(argv))
    return int(await asyncio.to_thread(args.func, args, settings))  # it runs its own event loop


@pytest.fixture
async def inbox(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    builtin_classifier: Classifier,
) -> Client:
    """The inbox on a plain-http address of its own (its cookies are Secure behind the https public URL)."""
    return await aiohttp_client(create_app(settings, classifier=builtin_classifier))


@pytest.mark.parametrize("channel", ["rest", "telegram", "sms"])
async def test_resolved_by_command_asked_after_send_due_and_reopened_with_the_reason_in_the_inbox(
    channel: str,
    client: Client,
    inbox: Client,
    on: Settings,
    fakes: tuple[FakeTwilio, FakeTelegram],
    sessions: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    ana = Channel(channel, client, fakes)
    await ana.says("hay un hueco enorme en la calle 45 con carrera 27, ya se cayeron dos motos")
    await ana.waits_for("foto")
    await ana.says("omitir")
    await ana.waits_for("¿Lo confirmo?")
    await ana.says("si")
    await ana.waits_for("Registrado")
    async with sessions() as session:
        case = await session.scalar(select(Case))
        assert case is not None
        await staff_rows.add_staff(
            session, username="lucia", password_hash=password_hash(), role="agent", department="public_works"
        )
        await session.commit()

    assert await command(on, "cases", "set-status", case.code.lower().replace("-", ""), "resolved",
                         "--staff", "lucia", "--note", "bacheo terminado") == 0  # fmt: skip
    assert f"{case.code}: open → resolved by lucia" in capsys.readouterr().out
    await ana.waits_for("resuelto")  # the citizen is told, as from the inbox
    soon = (utcnow() + timedelta(days=1)).isoformat()
    assert await command(on, "followups", "send-due", "--now", soon) == 0
    assert "0 sent" in capsys.readouterr().out  # not due yet: three days after resolving
    later = (utcnow() + timedelta(days=3, hours=1)).isoformat()
    assert await command(on, "followups", "send-due", "--now", later) == 0
    assert "1 sent" in capsys.readouterr().out

    asked = await ana.waits_for("¿Lo arreglaron?")
    assert f"Tu reporte {case.code} (bache o hueco en la vía, calle 45 con carrera 27)" in asked["text"]
    if channel == "sms":
        assert "1. Sí\n2. No\n3. No sé" in asked["text"]
    elif channel == "telegram":
        keyboard = (
            json.loads(asked["reply_markup"])
            if isinstance(asked["reply_markup"], str)
            else asked["reply_markup"]
        )
        assert [b["text"] for row in keyboard["inline_keyboard"] for b in row] == ["Sí", "No", "No sé"]
    else:
        assert [b["title"] for b in asked["buttons"]] == ["Sí", "No", "No sé"]

    await ana.says("no, sigue igual")
    await ana.waits_for(f"Reabrí tu reporte {case.code}")
    async with sessions() as session:
        reopened = await session.scalar(select(Case))
    assert reopened is not None and (reopened.status, reopened.reopened_count) == ("reopened", 1)

    lucia = Staff(inbox.make_url("/"))
    try:
        assert (await lucia.log_in("lucia")).status == 303
        page = await lucia.page(f"/inbox/cases/{case.code}")
    finally:
        await lucia.close()
    assert "Reabierto" in page and "no, sigue igual" in page and "bacheo terminado" in page
    assert (
        "Reabierto por el ciudadano" in page
        and "Seguimiento «¿lo arreglaron?»: preguntado al ciudadano" in page
    )
