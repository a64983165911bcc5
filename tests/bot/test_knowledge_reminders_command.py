"""`ventanilla knowledge remind --now`: the reminders due then are queued once and the first batch sent."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli import build_parser
from bot.knowledge import KnowledgeBase
from bot.pipeline import Pipeline
from bot.settings import Settings
from nlu.base import Classifier
from storage.models import Broadcast, Direction, Message
from tests.support.conversation import Citizen as Talker


async def command(settings: Settings, *argv: str) -> int:
    args: argparse.Namespace = build_parser().parse_args(list(argv))
    return int(await asyncio.to_thread(args.func, args, settings))


async def test_remind_queues_once_and_sends_in_the_day_only(
    make_pipeline: Callable[..., Pipeline],
    builtin_classifier: Classifier,
    knowledge_base: KnowledgeBase,
    sessions: async_sessionmaker[AsyncSession],
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ana = Talker(make_pipeline(builtin_classifier, knowledge_base), "web-ana-0f9e8d7c6b")
    await ana.says("recuérdame cuándo vence el predial")
    assert await command(settings, "knowledge", "remind", "--now", "2027-04-20T15:00:00+00:00") == 0
    assert "no topic date is due" in capsys.readouterr().out
    # 21:00 in Bogotá on the reminder day: queued, held for the morning.
    assert await command(settings, "knowledge", "remind", "--now", "2027-04-28T02:00:00+00:00") == 0
    out = capsys.readouterr().out
    assert "reminders impuesto-predial@2027-04-30: 1 queued" in out and "quiet hours" in out
    assert await command(settings, "knowledge", "remind", "--now", "2027-04-28T13:30:00+00:00") == 0
    out = capsys.readouterr().out
    assert "impuesto-predial@2027-04-30: 0 queued" in out and "sent now: 1" in out
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Broadcast)) == 1
        sent = await session.scalars(
            select(Message.text).where(Message.direction == Direction.OUT, Message.author == "system")
        )
        assert [t.split(".")[0] for t in sent.all()] == [
            "⏰ Recordatorio: vence el pago del predial con 10% de descuento el 30 de abril"
        ]
