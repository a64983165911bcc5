"""Helpers for the inbox in a real browser: Telegram updates to our webhook, staff accounts, logging in."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from typing import TypeVar

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, BrowserContext, Page
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.appkeys import SESSIONS
from inbox.auth import hash_password
from storage import staff as store
from storage.models import OutboxItem, OutboxStatus

SECRET = "browser-inbox-secret"
PASSWORD = "correct horse battery"
_ids = itertools.count(1)
_hash: list[str] = []
T = TypeVar("T")


def password_hash() -> str:
    if not _hash:
        _hash.append(hash_password(PASSWORD))  # argon2 is slow on purpose: once per run is enough
    return _hash[0]


async def add_staff(
    sessions: async_sessionmaker[AsyncSession],
    username: str,
    role: str = "agent",
    department: str | None = None,
) -> int:
    async with sessions() as session, session.begin():
        member = await store.add_staff(
            session, username=username, password_hash=password_hash(), role=role, department=department
        )
        return member.id


async def telegram_says(
    server: TestServer, text: str, *, chat_id: int, first_name: str, secret: str = SECRET
) -> None:
    """A citizen writes to the bot on Telegram: the update Telegram would POST to our webhook."""
    user = {"id": chat_id, "is_bot": False, "first_name": first_name}
    update = {"update_id": 800000000 + next(_ids),
              "message": {"message_id": next(_ids), "from": user, "chat": {**user, "type": "private"},
                          "date": 1763800100, "text": text}}  # fmt: skip
    async with ClientSession() as http:
        response = await http.post(
            server.make_url("/webhooks/telegram"),
            data=json.dumps(update),
            headers={"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"},
        )
        assert response.status == 200, await response.text()


async def until(probe: Callable[[], T | None], what: str, seconds: float = 10.0) -> T:
    """Poll `probe` until it returns something (the outbox sends in the background)."""
    for _ in range(int(seconds / 0.05)):
        found = probe()
        if found is not None:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"waited {seconds}s for {what}")


async def all_sent(server: TestServer, what: str) -> None:
    """Wait until the outbox holds nothing unsent: every reply of the turns so far has left."""
    sessions = server.app[SESSIONS]

    async def unsent() -> int:
        async with sessions() as session:
            waiting = OutboxItem.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING))
            return int(await session.scalar(select(func.count()).where(waiting)) or 0)

    for _ in range(200):
        if not await unsent():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"waited 10s for the outbox to send {what}")


async def desk(browser: Browser, language: str = "es-CO") -> BrowserContext:
    return await browser.new_context(locale=language, viewport={"width": 1280, "height": 800})


async def log_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    """Through the login page, as a person would."""
    await page.goto(f"{base}/inbox/login")
    await page.locator("input[name=username]").fill(username)
    await page.locator("input[name=password]").fill(password)
    await page.locator("form[action='/inbox/login'] button[type=submit]").click()
    await page.wait_for_url("**/inbox/queue**")
