"""A client for the whole service with the scripted classifier, for the tests of every public route."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.settings import Settings
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def service(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
) -> Client:
    return await aiohttp_client(create_app(settings, classifier=scripted))
