"""Voice tests: one real Whisper for the whole run (loaded once), and helpers to wait for the worker."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.settings import Settings
from bot.settings_loading import load_settings
from bot.voice import Whisper
from storage.models import Direction, Message, VoiceNote, VoiceStatus

MAX_SECONDS = 20  # notes longer than this get the fallback in these tests (the setting's least is 5)


@pytest.fixture(scope="session")
def whisper(tmp_path_factory: pytest.TempPathFactory) -> Whisper:
    """The real transcriber, its model assembled from the installed wheels and loaded once per run."""
    model_dir: Path = tmp_path_factory.mktemp("voice-model")
    settings = load_settings(
        None, None, **{"nlu.model_dir": str(model_dir), "voice.max_seconds": str(MAX_SECONDS)}
    )
    transcriber = Whisper(settings)
    transcriber.model()
    return transcriber


def voice_on(settings: Settings) -> Settings:
    return settings.model_copy(update={"voice": settings.voice.model_copy(update={"enabled": True})})


async def all_heard(sessions: async_sessionmaker[AsyncSession], notes: int = 1) -> list[VoiceNote]:
    """Wait until `notes` notes are done (the worker runs beside the webhooks), at most two minutes: a
    guard against a hang, not a measure of speed (bench/voice.py measures)."""
    for _ in range(1200):
        async with sessions() as session:
            found = list(await session.scalars(select(VoiceNote).order_by(VoiceNote.id)))
        if len(found) >= notes and all(n.status == VoiceStatus.DONE for n in found):
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"voice notes not heard: {[(n.status, n.tries) for n in found]}")


async def conversation(sessions: async_sessionmaker[AsyncSession]) -> list[Message]:
    async with sessions() as session:
        return list(await session.scalars(select(Message).order_by(Message.id)))


def heard_messages(messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.direction == Direction.IN and m.transcribed_from is not None]
