"""A whole Telegram conversation through the service: webhook in, outbox out, observed at the fake API."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Case, Direction, Message
from tests.connectors.telegram.conftest import Client
from tests.connectors.telegram.test_webhook import post
from tests.support.fake_telegram import FakeTelegram

CHAT = 555000111
ANA = {"id": CHAT, "is_bot": False, "first_name": "Ana", "language_code": "es"}
_update_ids = itertools.count(800000001)


def says(text: str) -> dict[str, Any]:
    chat = {"id": CHAT, "first_name": "Ana", "type": "private"}
    return {
        "update_id": next(_update_ids),
        "message": {"message_id": 1, "from": ANA, "chat": chat, "date": 1763900000, "text": text},
    }


def presses(payload: str) -> dict[str, Any]:
    chat = {"id": CHAT, "first_name": "Ana", "type": "private"}
    message = {
        "message_id": 2,
        "from": {"id": 1, "is_bot": True, "first_name": "Bot"},
        "chat": chat,
        "date": 0,
    }
    query = {"id": f"q{payload}", "from": ANA, "chat_instance": "1", "message": message, "data": payload}
    return {"update_id": next(_update_ids), "callback_query": query}


async def eventually(condition: Callable[[], bool], seconds: float = 15.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the condition did not hold in time")


def delivered(fake: FakeTelegram, *, accepted_only: bool = True) -> list[dict[str, Any]]:
    return [m for m in fake.sent(accepted_only=accepted_only) if m["chat_id"] == str(CHAT)]


async def replies(sessions: async_sessionmaker[AsyncSession]) -> list[Message]:
    async with sessions() as session:
        query = select(Message).where(Message.direction == Direction.OUT).order_by(Message.id)
        return list(await session.scalars(query))


async def test_a_report_filed_with_buttons_on_telegram(
    client: Client, fake_telegram: FakeTelegram, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert (await post(client, says("hay un bache en la calle 10 # 4-20")))[0] == 200
    await eventually(lambda: any("reply_markup" in m for m in delivered(fake_telegram)))
    keyboard = delivered(fake_telegram)[-1]["reply_markup"]["inline_keyboard"]
    assert {"text": "Omitir", "callback_data": "/skip"} in [row[0] for row in keyboard]

    await post(client, presses("/skip"))
    await eventually(lambda: len(delivered(fake_telegram)) == 3)  # the privacy notice came first
    await post(client, presses("/affirm"))
    async with sessions() as session:
        code = await session.scalar(select(Case.code))
    assert code
    await eventually(lambda: any(code in m["text"] for m in delivered(fake_telegram)))
    # Every reply the pipeline queued reached the chat once, in order.
    await eventually(lambda: len(delivered(fake_telegram)) == 4)
    assert [m["text"] for m in delivered(fake_telegram)] == [r.text for r in await replies(sessions)]
    assert sorted(c["callback_query_id"] for c in fake_telegram.sent("answerCallbackQuery")) == [
        "q/affirm",
        "q/skip",
    ]


async def test_replies_survive_a_telegram_outage_and_arrive_exactly_once(
    client: Client, fake_telegram: FakeTelegram, sessions: async_sessionmaker[AsyncSession]
) -> None:
    fake_telegram.fail_next(2, status=502, method="sendMessage")
    update = says("hola")
    for _ in range(3):  # Telegram's own retries of the update change nothing
        await post(client, update)
    expected = [r.text for r in await replies(sessions)]
    await eventually(lambda: len(delivered(fake_telegram)) >= len(expected))
    await asyncio.sleep(0.3)  # nothing more trickles in
    assert sorted(m["text"] for m in delivered(fake_telegram)) == sorted(expected)  # each reply once
    assert len(delivered(fake_telegram, accepted_only=False)) == len(expected) + 2  # after two refusals
