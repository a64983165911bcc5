"""Inbox fixtures: the app on a test server, staff accounts, staff members each with their own cookies."""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import ClientResponse, ClientSession, CookieJar, web
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from yarl import URL

from bot.app import create_app
from bot.settings import Settings
from inbox.auth import hash_password
from storage import staff as store
from storage.models import Conversation
from tests.support.channels import telegram_on
from tests.support.fake_telegram import FakeTelegram
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]
SECRET = "inbox-secret-1"
CHAT_ID = 987654321
_ids = itertools.count(1)
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@functools.cache
def password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once for the whole run


@dataclass
class Staff:
    """One staff member in a browser of their own (their own cookies), driving the inbox over HTTP."""

    base: URL
    username: str = ""
    http: ClientSession = field(default_factory=lambda: ClientSession(cookie_jar=CookieJar(unsafe=True)))
    csrf: str = ""

    def url(self, path: str) -> URL:
        return self.base.join(URL(path))

    async def get(self, path: str, **kwargs: Any) -> ClientResponse:
        return await self.http.get(self.url(path), allow_redirects=False, **kwargs)

    async def page(self, path: str) -> str:
        response = await self.get(path)
        assert response.status == 200, (path, response.status, response.headers.get("Location"))
        return await response.text()

    async def post(
        self, path: str, data: dict[str, str] | None = None, *, csrf: bool = True
    ) -> ClientResponse:
        form = {**({"csrf_token": self.csrf} if csrf else {}), **(data or {})}
        return await self.http.post(self.url(path), data=form, allow_redirects=False)

    async def log_in(
        self, username: str, password: str = PASSWORD, next_: str = "/inbox/queue"
    ) -> ClientResponse:
        form = await self.page("/inbox/login")
        token = CSRF.search(form)
        assert token is not None
        data = {"csrf_token": token[1], "username": username, "password": password, "next": next_}
        response = await self.http.post(self.url("/inbox/login"), data=data, allow_redirects=False)
        if response.status == 303:
            self.username = username
            queue = await self.page("/inbox/queue")
            found = re.search(r'<meta name="csrf-token" content="([^"]+)"', queue)
            assert found is not None
            self.csrf = found[1]
        return response

    async def close(self) -> None:
        await self.http.close()


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
) -> Client:
    return await aiohttp_client(create_app(settings, classifier=scripted))


@pytest.fixture
def add_staff(
    sessions: async_sessionmaker[AsyncSession],
) -> Callable[..., Awaitable[int]]:
    async def add(
        username: str,
        role: str = "agent",
        department: str | None = None,
        departments: list[str] | None = None,
    ) -> int:
        async with sessions() as session, session.begin():
            staff = await store.add_staff(
                session, username=username, password_hash=password_hash(), role=role, department=department,
                departments=departments,
            )  # fmt: skip
            return staff.id

    return add


@pytest.fixture
async def browser(client: Client) -> AsyncIterator[Callable[[], Staff]]:
    """Make a fresh, logged-out staff browser: `ana = browser()` then `await ana.log_in("ana")`."""
    opened: list[Staff] = []

    def make() -> Staff:
        staff = Staff(client.make_url("/"))
        opened.append(staff)
        return staff

    yield make
    for staff in opened:
        await staff.close()


@pytest.fixture
async def agent(add_staff: Callable[..., Awaitable[int]], browser: Callable[[], Staff]) -> Staff:
    await add_staff("ana", "agent", "public_works")
    ana = browser()
    assert (await ana.log_in("ana")).status == 303
    return ana


@pytest.fixture
async def supervisor(add_staff: Callable[..., Awaitable[int]], browser: Callable[[], Staff]) -> Staff:
    await add_staff("sara", "supervisor")
    sara = browser()
    assert (await sara.log_in("sara")).status == 303
    return sara


async def web_chat(client: Client, sender: str, message: str) -> list[dict[str, Any]]:
    """A citizen writes on the web chat; the bot's answers."""
    response = await client.post(
        "/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": message}),
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 200, await response.text()
    answer: list[dict[str, Any]] = await response.json()
    return answer


async def conversation_of(sessions: async_sessionmaker[AsyncSession], sender: str) -> Conversation:
    """The conversation of the web chat citizen with this sender id."""
    async with sessions() as session:
        found = await session.scalar(select(Conversation).where(Conversation.last_address == sender))
    assert found is not None
    return found


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def telegram_client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
    telegram: FakeTelegram,
) -> Client:
    return await aiohttp_client(
        create_app(telegram_on(settings, telegram, secret=SECRET), classifier=scripted)
    )


async def telegram_says(client: Client, text: str) -> None:
    user = {"id": CHAT_ID, "is_bot": False, "first_name": "Ana"}
    update_ = {"update_id": 700000000 + next(_ids),
               "message": {"message_id": next(_ids), "from": user, "chat": {**user, "type": "private"},
                           "date": 1763800100, "text": text}}  # fmt: skip
    response = await client.post(
        "/webhooks/telegram", data=json.dumps(update_), headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
    )
    assert response.status == 200, await response.text()


async def arrives(telegram: FakeTelegram, count: int) -> list[str]:
    for _ in range(200):
        texts = [str(p["text"]) for p in telegram.sent()]
        if len(texts) >= count:
            await asyncio.sleep(0.2)  # anything more would be a duplicate or a leaked note
            return [str(p["text"]) for p in telegram.sent()]
        await asyncio.sleep(0.05)
    raise AssertionError(f"only {telegram.sent()} arrived")
