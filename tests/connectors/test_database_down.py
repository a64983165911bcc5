"""With the database gone, webhooks answer 503 with Retry-After (providers retry), never 500."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.settings import Settings
from tests.support.postgres import PostgresServer
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]


async def test_database_dropped_under_the_service_gives_503(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
    postgres_server: PostgresServer | None,
) -> None:
    if not settings.database.url.startswith("postgresql") or postgres_server is None:
        pytest.skip("needs the PostgreSQL server to take away")
    client = await aiohttp_client(create_app(settings, classifier=scripted))
    body = json.dumps({"sender": "web-1-5f3c9d27e1", "message": "hola"})
    assert (await client.post("/webhooks/rest/webhook", data=body)).status == 200
    await postgres_server.adrop_database(settings.database.url.rsplit("/", 1)[1])
    response = await client.post("/webhooks/rest/webhook", data=body)
    assert response.status == 503 and response.headers["Retry-After"] == "5"
    assert (await response.json())["error"] == "unavailable"
    assert (await client.get("/healthz")).status == 503
