"""Telegram test fixtures: the fake Bot API on 127.0.0.1 and settings that point python-telegram-bot at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from tests.support.channels import telegram_on
from tests.support.fake_telegram import FakeTelegram
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]
SECRET = "s3cr3t-webhook_token"


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def telegram_settings(settings: Settings, fake_telegram: FakeTelegram) -> Settings:
    return telegram_on(settings, fake_telegram, secret=SECRET)


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    telegram_settings: Settings,
    scripted: ScriptedClassifier,
) -> Client:
    return await aiohttp_client(create_app(telegram_settings, classifier=scripted))


async def count(sessions: async_sessionmaker[AsyncSession], model: type[Any]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)
