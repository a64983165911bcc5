"""Updates with a valid secret but odd fields: answered 200 (Telegram retries a 500 for hours) and, where
there is a message to keep, kept; never a 5xx (issue 12, finding 8)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Message
from tests.connectors.telegram.conftest import SECRET, Client, count

MESSAGE = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures" / "telegram" / "message.json").read_text()
)


def update(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = copy.deepcopy(MESSAGE)
    for dotted, value in changes.items():
        target = body
        *parents, leaf = dotted.split("__")
        for part in parents:
            target = target[part]
        target[leaf] = value
    return body


async def post(client: Client, raw: str) -> int:
    response = await client.post(
        "/webhooks/telegram",
        data=raw,
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    return response.status


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps(update(message__text=12345)),  # text that is a number
        json.dumps(update(message__date=1e20)),  # a date no calendar has
        json.dumps(update(update_id=0)).replace('"update_id": 0', '"update_id": ' + "7" * 5000),
        json.dumps(update(message__text="hola \ud800 mundo\u0000")),
        json.dumps(update(message__from__first_name="\u0000" * 300)),
    ],
    ids=["text-number", "date-1e20", "update-id-5000-digits", "lone-surrogate", "nul-name"],
)
async def test_an_odd_update_is_answered_200_never_5xx(client: Client, raw: str) -> None:
    assert await post(client, raw) == 200


async def test_an_odd_but_readable_message_is_kept(
    client: Client, sessions: async_sessionmaker[AsyncSession]
) -> None:
    assert await post(client, json.dumps(update(message__text="hay un bache \ud800 en la 5\u0000"))) == 200
    assert await count(sessions, Message) >= 1
