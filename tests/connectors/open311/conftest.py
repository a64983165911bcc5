"""Open311 fixtures: the whole app under a test client, an API key, and helpers to post and get."""

from __future__ import annotations

import argparse
import json
from collections.abc import Awaitable, Callable
from typing import Any
from xml.etree import ElementTree

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from connectors.open311.commands import add_open311_commands
from connectors.open311.keys import FILE, hash_key, new_key
from storage import api_keys as key_rows
from tests.support.scripted import ScriptedClassifier

Client = TestClient[web.Request, web.Application]
BASE = "/open311/v2"


@pytest.fixture
async def client(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    scripted: ScriptedClassifier,
) -> Client:
    return await aiohttp_client(create_app(settings, classifier=scripted))


async def make_key(
    sessions: async_sessionmaker[AsyncSession], name: str = "fixmystreet", scope: str = FILE
) -> str:
    key = new_key()
    async with sessions() as session, session.begin():
        await key_rows.add_api_key(session, name, hash_key(key), scope)
    return key


@pytest.fixture
async def api_key(sessions: async_sessionmaker[AsyncSession]) -> str:
    return await make_key(sessions)


def parse(body: bytes, content_type: str) -> Any:
    """JSON as Python values, XML as the root element, as the answer's Content-Type says."""
    return json.loads(body) if content_type == "application/json" else ElementTree.fromstring(body)


async def post(
    client: Client, fields: dict[str, str] | list[tuple[str, str]], fmt: str = "json"
) -> tuple[int, Any]:
    response = await client.post(f"{BASE}/requests.{fmt}", data=fields)
    return response.status, parse(await response.read(), response.content_type)


async def get(client: Client, path: str, fmt: str = "json", **params: str) -> tuple[int, Any]:
    response = await client.get(f"{BASE}/{path}.{fmt}", params=params)
    return response.status, parse(await response.read(), response.content_type)


def open311_command(settings: Settings, *argv: str) -> int:
    """What `ventanilla open311 …` does once bot/cli.py registers the commands (as the lead will)."""
    parser = argparse.ArgumentParser(prog="ventanilla")
    add_open311_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["open311", *argv])
    return int(args.func(args, settings))
