"""Twilio test fixtures: settings with Twilio switched on, the fake REST API, and a signed-post helper."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.settings import Settings
from tests.support.channels import twilio_on
from tests.support.fake_twilio import AUTH_TOKEN, FakeTwilio, post_signed
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]
Post = Callable[[str, dict[str, str]], Awaitable[ClientResponse]]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "twilio"
PUBLIC_URL = "https://ventanilla.example.org"
SMS_FROM = "+15017122661"
WHATSAPP_FROM = "+14155238886"


def load(kind: str, name: str) -> dict[str, str]:
    """A recorded form post: `load("inbound", "sms_spanish_text")`, `load("status", "sms_sent")`."""
    data = json.loads((FIXTURES / kind / f"{name}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
async def fake_twilio() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def twilio_settings(settings: Settings, fake_twilio: FakeTwilio) -> Settings:
    """The test settings with Twilio on, behind a proxy at PUBLIC_URL, its REST API at the fake."""
    return twilio_on(
        settings, fake_twilio, public_url=PUBLIC_URL, sms_from=SMS_FROM, whatsapp_from=WHATSAPP_FROM
    )


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    twilio_settings: Settings,
    scripted: ScriptedClassifier,
) -> Client:
    return await aiohttp_client(create_app(twilio_settings, classifier=scripted))


@pytest.fixture
def post(client: Client) -> Post:
    """`await post("/webhooks/twilio", form)`: signed as Twilio signs, against the public URL."""

    async def send(path: str, form: dict[str, str]) -> ClientResponse:
        return await post_signed(client, path, form, auth_token=AUTH_TOKEN, public_url=PUBLIC_URL)

    return send
