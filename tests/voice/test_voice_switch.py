"""Without the `voice` extra, or with `voice.enabled: false`, a voice note gets the old answer: "I can't
listen yet, could you type it?" — and nothing is queued."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_app
from bot.settings import Settings
from bot.texts import text
from storage.models import Direction, Message, VoiceNote
from tests.connectors.telegram.conftest import SECRET, Client
from tests.connectors.telegram.test_parser import load
from tests.connectors.telegram.test_webhook import OGG, post
from tests.support.channels import telegram_on
from tests.support.fake_telegram import FakeTelegram
from tests.support.scripted import dialogue_rules

ROOT = Path(__file__).resolve().parents[2]


def test_without_the_extra_a_voice_note_gets_the_old_answer(settings: Settings, tmp_path: Path) -> None:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "voice" / "not_installed.py"),
            settings.database.url,
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    assert text("cannot_listen", "es") in answer["replies"]
    assert not (tmp_path / "whisper-base").exists()  # nothing assembled either


async def test_switched_off_a_voice_note_gets_the_old_answer(
    aiohttp_client: Callable[[web.Application], Awaitable[Client]],
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # `voice.enabled: false` (the tests' default; config.yml's `voice:` says how), with the extra installed.
    async with FakeTelegram() as fake:
        fake.add_file("AwACAgEAAxkBAAIBVoice4sec", OGG, "voice/file_9.oga")
        app = create_app(telegram_on(settings, fake, secret=SECRET), classifier=dialogue_rules())
        client = await aiohttp_client(app)
        assert (await post(client, load("vt_voice.json")))[0] == 200
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(VoiceNote)) == 0
        replies = list(await session.scalars(select(Message.text).where(Message.direction == Direction.OUT)))
    assert text("cannot_listen", "es") in replies
